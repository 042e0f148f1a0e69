package io.innkeeper.local.chaos;

import java.util.Locale;

/** The faults the local runtime can inject, each where the real platform can produce it. */
public enum Fault {
  /** SQS delivers a message that was already delivered (at-least-once delivery). */
  DUPLICATE_DELIVERY,
  /**
   * The command handler returns, its DynamoDB writes done, but the runtime "crashes" before the
   * messages are deleted: they come back.
   */
  CRASH_BEFORE_ACK,
  /** DynamoDB answers a function's request with a throttling error. */
  DYNAMODB_THROTTLE,
  /** DynamoDB answers a function's request with a 500, possibly after doing the work. */
  DYNAMODB_5XX,
  /** A whole stream batch is delivered again after it succeeded. */
  STREAM_REDELIVERY,
  /** The projector "crashes" partway through a batch: the rest of the batch is delivered again. */
  PROJECTOR_CRASH,
  /** A consumer is slow: the poller waits before invoking the function. */
  SLOW_CONSUMER;

  /** The name used in chaos specs and reports, e.g. {@code duplicate-delivery}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The fault named {@code key}, as {@link #key()} spells it. */
  public static Fault of(String key) {
    for (Fault f : values()) {
      if (f.key().equals(key)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + key + "'; known: " + keys());
  }

  /** Every fault's key, comma-separated, in declaration order. */
  public static String keys() {
    StringBuilder b = new StringBuilder();
    for (Fault f : values()) {
      b.append(b.length() == 0 ? "" : ", ").append(f.key());
    }
    return b.toString();
  }
}
