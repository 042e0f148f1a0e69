package io.innkeeper.core.aws;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Capped exponential backoff with full jitter: before retry {@code n} (1 after the first failure) a
 * pause drawn evenly from 0 to {@code min(cap, base × 2^(n-1))}. Full jitter spreads the retries of
 * many callers that failed together (a throttle, a hot item) instead of bunching them into the next
 * wave; the jitter comes from {@link Jitter}, so restored SnapStart copies do not wait alike.
 *
 * @param base the upper bound of the first pause
 * @param cap the upper bound no pause exceeds
 */
public record Backoff(Duration base, Duration cap) {

  /** For DynamoDB and SQS errors that are not throttling (500s, conflicts, timeouts). */
  public static final Backoff SDK = new Backoff(Duration.ofMillis(25), Duration.ofSeconds(1));

  /**
   * For throttling: a throttled table or queue needs longer to recover, so the first pauses are
   * larger; the cap stays small enough for a function to retry within its timeout.
   */
  public static final Backoff SDK_THROTTLING =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap, not " + base + " and " + cap);
    }
  }

  /** The largest pause before retry {@code attempt}: the bound the jitter draws under. */
  public Duration ceiling(int attempt) {
    int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
    long millis = base.toMillis() << doublings;
    return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
  }

  /** A pause before retry {@code attempt} (1 after the first failure). */
  public Duration delay(int attempt) {
    return Duration.ofMillis(Jitter.upTo(ceiling(attempt).toMillis()));
  }

  /**
   * Sleeps before retry {@code attempt}.
   *
   * @throws IllegalStateException when interrupted (the interrupt flag is set again)
   */
  public void pause(int attempt) {
    sleep(delay(attempt));
  }

  /** This backoff as the AWS SDK's retry strategy takes it. */
  public BackoffStrategy forSdk() {
    return this::delay;
  }

  static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
