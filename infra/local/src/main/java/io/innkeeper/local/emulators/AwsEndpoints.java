package io.innkeeper.local.emulators;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the local runtime reaches the AWS APIs it needs: DynamoDB, DynamoDB Streams, SQS and SNS.
 * Either the embedded servers ({@link Emulators#endpoints()}) or servers someone else runs, such as
 * a LocalStack container, whose one edge port serves every API ({@link #all(URI)}).
 *
 * <p>The identity stays the runtime's own ({@code io.innkeeper.ops.LocalAws}: region {@code
 * us-east-1}, access key {@code local}). LocalStack accepts any credentials and files an
 * alphanumeric access key under account {@code 000000000000}, the account the runtime's ARNs use.
 *
 * @param dynamoDb the DynamoDB endpoint
 * @param dynamoDbStreams the DynamoDB Streams endpoint (the same as {@code dynamoDb} for DynamoDB
 *     Local and LocalStack; a separate host on AWS)
 * @param sqs the SQS endpoint
 * @param sns the SNS endpoint (the event bus)
 */
public record AwsEndpoints(URI dynamoDb, URI dynamoDbStreams, URI sqs, URI sns) {

  public AwsEndpoints {
    check(dynamoDb, "dynamoDb");
    check(dynamoDbStreams, "dynamoDbStreams");
    check(sqs, "sqs");
    check(sns, "sns");
  }

  /** SNS at the SQS endpoint, as LocalStack's edge port serves both. */
  public AwsEndpoints(URI dynamoDb, URI dynamoDbStreams, URI sqs) {
    this(dynamoDb, dynamoDbStreams, sqs, sqs);
  }

  /** One endpoint for every API, e.g. LocalStack's {@code http://127.0.0.1:4566}. */
  public static AwsEndpoints all(URI endpoint) {
    return new AwsEndpoints(endpoint, endpoint, endpoint, endpoint);
  }

  private static void check(URI endpoint, String what) {
    Objects.requireNonNull(endpoint, what);
    String scheme =
        endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          what + " endpoint must be an absolute http(s) URL with a host: " + endpoint);
    }
  }
}
