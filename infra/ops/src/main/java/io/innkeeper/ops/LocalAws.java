package io.innkeeper.ops;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one identity everything in the local runtime uses. DynamoDB Local partitions its data by
 * access key and region, so the runtime's own clients and the functions' clients must agree on
 * both, or they see different (empty) databases. LocalStack takes the same identity as it is: it
 * accepts any secret and files an alphanumeric access key under account {@value #ACCOUNT_ID}.
 */
public final class LocalAws {

  public static final String REGION = "us-east-1";
  public static final String ACCOUNT_ID = "000000000000";
  public static final String ACCESS_KEY_ID = "local";
  public static final String SECRET_ACCESS_KEY = "local";

  private LocalAws() {}

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
  }

  /** A DynamoDB client for {@code endpoint}. */
  public static DynamoDbClient dynamoDb(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** A DynamoDB Streams client for {@code endpoint} (DynamoDB Local serves both APIs). */
  public static DynamoDbStreamsClient dynamoDbStreams(URI endpoint) {
    return DynamoDbStreamsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** An SQS client for {@code endpoint}. */
  public static SqsClient sqs(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** An SNS client for {@code endpoint}. */
  public static software.amazon.awssdk.services.sns.SnsClient sns(URI endpoint) {
    return software.amazon.awssdk.services.sns.SnsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** The ARN of a local topic (the local bus's account and region, as SNS names them). */
  public static String topicArn(String physicalTopicName) {
    return "arn:aws:sns:" + REGION + ":" + ACCOUNT_ID + ":" + physicalTopicName;
  }

  /** The ARN Lambda would show for a local function. */
  public static String functionArn(String physicalFunctionName) {
    return "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + physicalFunctionName;
  }
}
