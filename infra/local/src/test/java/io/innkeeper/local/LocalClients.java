package io.innkeeper.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients for tests that look behind the API at the embedded servers. */
final class LocalClients {
  private LocalClients() {}

  // DynamoDB Local partitions data by access key: use the runtime's.
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  static DynamoDbClient dynamoDb(LocalRuntime runtime) {
    return DynamoDbClient.builder()
        .endpointOverride(runtime.dynamoDbEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static SqsClient sqs(LocalRuntime runtime) {
    return SqsClient.builder()
        .endpointOverride(runtime.sqsEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
