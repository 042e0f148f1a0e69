package io.innkeeper.local.gateway;

import java.util.function.LongSupplier;

/**
 * A token bucket for {@link RateLimit}: full at the start, refilled continuously at the rate, one
 * token per request. Thread-safe; the time source is injectable so tests need no sleeping.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final RateLimit limit;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  TokenBucket(RateLimit limit, LongSupplier nanoTime) {
    this.limit = limit;
    this.nanoTime = nanoTime;
    this.tokens = limit.burst();
    this.refilledAt = nanoTime.getAsLong();
  }

  /**
   * Takes a token when there is one.
   *
   * @return {@code 0} when the request may pass, else the whole seconds (at least 1) until a token
   *     will be there: the {@code Retry-After} value
   */
  synchronized long tryAcquire() {
    long now = nanoTime.getAsLong();
    double elapsed = Math.max(0, now - refilledAt) / NANOS_PER_SECOND;
    tokens = Math.min(limit.burst(), tokens + elapsed * limit.requestsPerSecond());
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    double wait = (1 - tokens) / limit.requestsPerSecond();
    return Math.max(1, (long) Math.ceil(wait));
  }
}
