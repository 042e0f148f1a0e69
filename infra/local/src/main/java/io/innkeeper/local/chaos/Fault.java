package io.innkeeper.local.chaos;

import java.util.Locale;

/**
 * The faults the local runtime can inject, each where the real platform produces it: the first
 * seven are the platform's delivery and crash behaviour, the rest AWS's own answers and limits.
 */
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
  SLOW_CONSUMER,
  /**
   * A function's single-item write ({@code PutItem}, {@code UpdateItem}, {@code DeleteItem}) meets
   * an item another transaction holds: {@code TransactionConflictException}, nothing written.
   */
  TRANSACTION_CONFLICT,
  /**
   * A function's {@code TransactWriteItems} is cancelled because one of its items was throttled:
   * {@code TransactionCanceledException} with one {@code ThrottlingError} reason, nothing written.
   */
  THROTTLED_TRANSACTION,
  /** A function's {@code BatchGetItem} is answered in part: some keys come back unprocessed. */
  UNPROCESSED_KEYS,
  /** A {@code BatchWriteItem} is done in part: some of its items come back unprocessed. */
  UNPROCESSED_ITEMS,
  /** A function's DynamoDB call stalls (for {@code slow-call-millis}), past its attempt timeout. */
  SLOW_CALL,
  /**
   * An invocation loses most of its time before the handler runs (a long pause, a slow earlier
   * step): only {@code timeout-headroom-millis} are left, and if it runs on past its deadline the
   * host fails it as Lambda fails a timed-out invocation.
   */
  FUNCTION_TIMEOUT,
  /** A function's {@code SendMessage} (command intake) is throttled by SQS. */
  SQS_THROTTLE,
  /**
   * The stream's open shards close and child shards take over, as DynamoDB Streams does every few
   * hours: the stream poller must finish a parent before its child, so order holds across them.
   */
  SHARD_ROLLOVER,
  /**
   * One function fails every invocation for a while (an outage of a dependency of its own, a bad
   * deploy): set as an {@code outage} window, not a rate; counted per invocation failed for it.
   */
  FUNCTION_OUTAGE;

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
