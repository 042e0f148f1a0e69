package io.innkeeper.core.aws;

import io.innkeeper.core.Env;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * How a function's AWS SDK clients time out and retry, set explicitly instead of the SDK's
 * defaults, which wait up to 30 s for a socket read with no limit on a call: a stalled call would
 * then outlast a function's 10 to 60 s timeout, and Lambda would fail the whole invocation (an SQS
 * batch then waits out its visibility timeout).
 *
 * <ul>
 *   <li>{@code attemptTimeout}: one HTTP attempt is abandoned after this and retried;
 *   <li>{@code callTimeout}: the whole call, retries and backoff included, gives up after this;
 *   <li>{@code maxAttempts}: attempts per call, the first included.
 * </ul>
 *
 * The topology sets them for every function ({@value #ATTEMPT_TIMEOUT_ENV}, {@value
 * #CALL_TIMEOUT_ENV}, {@value #MAX_ATTEMPTS_ENV}) and checks that a call ends well within the
 * shortest function timeout. Retries use the SDK's standard strategy (its retry conditions and
 * circuit breaker) with {@link Backoff}'s jitter, and also retry what {@link
 * AwsErrors#retryableBeyondSdk} names.
 *
 * @param attemptTimeout the longest one HTTP attempt may take
 * @param callTimeout the longest one call may take, every attempt and pause included
 * @param maxAttempts attempts per call, at least 1
 */
public record SdkSettings(Duration attemptTimeout, Duration callTimeout, int maxAttempts) {

  public static final String ATTEMPT_TIMEOUT_ENV = "SDK_ATTEMPT_TIMEOUT_MS";
  public static final String CALL_TIMEOUT_ENV = "SDK_CALL_TIMEOUT_MS";
  public static final String MAX_ATTEMPTS_ENV = "SDK_MAX_ATTEMPTS";

  /**
   * Without the environment (tools, tests): the topology's values. DynamoDB and SQS answer in
   * milliseconds, so an attempt still running after 2 s has stalled; 5 s for a call leaves room for
   * a stalled attempt, backoff and a second attempt, and is half the shortest function timeout.
   */
  public static final SdkSettings DEFAULT =
      new SdkSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 4);

  public SdkSettings {
    if (attemptTimeout.isNegative()
        || attemptTimeout.isZero()
        || callTimeout.compareTo(attemptTimeout) < 0
        || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "need 0 < attempt timeout <= call timeout and at least 1 attempt, not "
              + attemptTimeout
              + ", "
              + callTimeout
              + ", "
              + maxAttempts);
    }
  }

  /** The function's settings, from its environment; {@link #DEFAULT} for what is not set. */
  public static SdkSettings fromEnvironment() {
    return new SdkSettings(
        Duration.ofMillis(
            Env.integer(ATTEMPT_TIMEOUT_ENV, (int) DEFAULT.attemptTimeout().toMillis())),
        Duration.ofMillis(Env.integer(CALL_TIMEOUT_ENV, (int) DEFAULT.callTimeout().toMillis())),
        Env.integer(MAX_ATTEMPTS_ENV, DEFAULT.maxAttempts()));
  }

  /** The retry strategy: the SDK's standard one with this project's jitter and extra cases. */
  public RetryStrategy retryStrategy() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(maxAttempts)
        .backoffStrategy(Backoff.SDK.forSdk())
        .throttlingBackoffStrategy(Backoff.SDK_THROTTLING.forSdk())
        .retryOnException(AwsErrors::transactionConflict)
        .retryOnException(AwsErrors::throttledTransaction)
        .treatAsThrottling(AwsErrors::throttledTransaction)
        .build();
  }

  /** Everything above, for a client builder's {@code overrideConfiguration}. */
  public ClientOverrideConfiguration overrides() {
    return ClientOverrideConfiguration.builder()
        .apiCallAttemptTimeout(attemptTimeout)
        .apiCallTimeout(callTimeout)
        .retryStrategy(retryStrategy())
        .build();
  }
}
