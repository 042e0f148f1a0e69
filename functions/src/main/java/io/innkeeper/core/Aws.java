package io.innkeeper.core;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * SDK clients as every function builds them, once, in its constructor: the URL-connection HTTP
 * client (the quickest to start), region and credentials from the default chains, and an endpoint
 * override only where {@code INNKEEPER_DYNAMODB_ENDPOINT} / {@code INNKEEPER_SQS_ENDPOINT} are set
 * (the local runtime, LocalStack).
 */
public final class Aws {
  private Aws() {}

  private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder().build();

  /**
   * The functions' clock: UTC at millisecond precision, so instants in the API and the events read
   * {@code 2026-11-23T10:15:30.123Z} rather than carrying nanoseconds no one can use.
   */
  public static final Clock MILLISECOND_CLOCK = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));

  public static DynamoDbClient dynamoDb() {
    DynamoDbClientBuilder b = DynamoDbClient.builder().httpClient(HTTP);
    Env.get("INNKEEPER_DYNAMODB_ENDPOINT").map(URI::create).ifPresent(b::endpointOverride);
    return b.build();
  }

  public static SqsClient sqs() {
    SqsClientBuilder b = SqsClient.builder().httpClient(HTTP);
    Env.get("INNKEEPER_SQS_ENDPOINT").map(URI::create).ifPresent(b::endpointOverride);
    return b.build();
  }
}
