package io.innkeeper.core.aws;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;

/**
 * How much of an invocation's time is left. Lambda ends an invocation at its timeout whatever it
 * was doing, so work that can be handed back (the rest of an SQS batch, the rest of a stream batch)
 * or cut short (a wait) looks here first, and stops in time to say what it did.
 */
@FunctionalInterface
public interface Deadline {

  /** The time left; zero or negative when it is up. */
  Duration remaining();

  /** Whether less than {@code reserve} is left. */
  default boolean within(Duration reserve) {
    return remaining().compareTo(reserve) < 0;
  }

  /** No deadline: tests, tools, and callers outside Lambda. */
  static Deadline none() {
    return () -> Duration.ofDays(365);
  }

  /** The invocation's own deadline; {@link #none()} without a context (tests, priming). */
  static Deadline of(Context context) {
    if (context == null) {
      return none();
    }
    return () -> Duration.ofMillis(context.getRemainingTimeInMillis());
  }
}
