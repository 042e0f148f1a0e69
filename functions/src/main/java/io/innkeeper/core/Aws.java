package io.innkeeper.core;

import io.innkeeper.core.aws.SdkSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * SDK clients as every function builds them, once, in its constructor: the URL-connection HTTP
 * client (the quickest to start), and an endpoint override only where {@code
 * INNKEEPER_DYNAMODB_ENDPOINT} / {@code INNKEEPER_SQS_ENDPOINT} / {@code INNKEEPER_SNS_ENDPOINT}
 * are set (the local runtime, LocalStack), and the timeouts and retries of {@link SdkSettings}.
 *
 * <p>Region and credentials come from the few places a function finds them, not from the SDK's
 * default chains, which build and try providers (profile files, instance metadata, ...) that a
 * Lambda function never uses, at a cost in class loading on every cold start: system properties
 * ({@code aws.region}, {@code aws.accessKeyId}: the local runtime, which cannot set environment
 * variables), then Lambda's environment ({@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}), then the
 * container credentials endpoint, which is how Lambda hands credentials to SnapStart functions so
 * that they stay fresh after a restore.
 */
public final class Aws {
  private Aws() {}

  private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder().build();

  /**
   * The functions' clock: UTC at millisecond precision, so instants in the API and the events read
   * {@code 2026-11-23T10:15:30.123Z} rather than carrying nanoseconds no one can use.
   */
  public static final Clock MILLISECOND_CLOCK = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));

  private static final AwsCredentialsProvider CREDENTIALS =
      AwsCredentialsProviderChain.builder()
          .reuseLastProviderEnabled(true)
          .credentialsProviders(
              SystemPropertyCredentialsProvider.create(),
              EnvironmentVariableCredentialsProvider.create(),
              ContainerCredentialsProvider.create())
          .build();

  /** The region from {@code aws.region} or {@code AWS_REGION}; empty for the SDK's own chain. */
  static java.util.Optional<Region> region() {
    String name = System.getProperty("aws.region");
    if (name == null || name.isBlank()) {
      name = System.getenv("AWS_REGION");
    }
    return name == null || name.isBlank()
        ? java.util.Optional.empty()
        : java.util.Optional.of(Region.of(name));
  }

  /**
   * The function's timeouts and retries ({@link SdkSettings#fromEnvironment()}), read once: every
   * client a function builds ends its calls well before the function's own timeout.
   */
  private static final SdkSettings SETTINGS = SdkSettings.fromEnvironment();

  public static DynamoDbClient dynamoDb() {
    DynamoDbClientBuilder b =
        DynamoDbClient.builder()
            .httpClient(HTTP)
            .credentialsProvider(CREDENTIALS)
            .overrideConfiguration(SETTINGS.overrides());
    region().ifPresent(b::region);
    Env.get("INNKEEPER_DYNAMODB_ENDPOINT").map(URI::create).ifPresent(b::endpointOverride);
    return b.build();
  }

  public static SqsClient sqs() {
    SqsClientBuilder b =
        SqsClient.builder()
            .httpClient(HTTP)
            .credentialsProvider(CREDENTIALS)
            .overrideConfiguration(SETTINGS.overrides());
    region().ifPresent(b::region);
    Env.get("INNKEEPER_SQS_ENDPOINT").map(URI::create).ifPresent(b::endpointOverride);
    return b.build();
  }

  /** The event bus's client (the publisher's). */
  public static SnsClient sns() {
    SnsClientBuilder b =
        SnsClient.builder()
            .httpClient(HTTP)
            .credentialsProvider(CREDENTIALS)
            .overrideConfiguration(SETTINGS.overrides());
    region().ifPresent(b::region);
    Env.get("INNKEEPER_SNS_ENDPOINT").map(URI::create).ifPresent(b::endpointOverride);
    return b.build();
  }
}
