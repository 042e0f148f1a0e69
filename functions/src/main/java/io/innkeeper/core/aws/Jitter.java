package io.innkeeper.core.aws;

import java.security.SecureRandom;

/**
 * The random part of every retry delay in the functions. It must differ between execution
 * environments restored from one SnapStart snapshot, or every restored copy of a function would
 * back off in lock step and retry into the same throttle at the same instant. {@code
 * ThreadLocalRandom} (the AWS SDK's default jitter source) derives its seeds from state captured in
 * the snapshot, so it repeats across restores; {@link SecureRandom} is the source AWS's SnapStart
 * guidance names as safe, because its default implementation on Linux draws from the operating
 * system's entropy on every call and the restored environments get fresh entropy.
 */
public final class Jitter {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Jitter() {}

  /**
   * A number from 0 to {@code bound}, both included.
   *
   * @throws IllegalArgumentException if {@code bound} is negative
   */
  public static long upTo(long bound) {
    if (bound < 0) {
      throw new IllegalArgumentException("bound must not be negative: " + bound);
    }
    return bound == Long.MAX_VALUE
        ? RANDOM.nextLong() & Long.MAX_VALUE
        : RANDOM.nextLong(bound + 1);
  }
}
