package io.innkeeper.core.aws;

import java.time.Duration;

/**
 * How a batch call asks again for what DynamoDB left unprocessed. A partial answer to {@code
 * BatchGetItem} ({@code UnprocessedKeys}) or {@code BatchWriteItem} ({@code UnprocessedItems}) is
 * not an error to the SDK, so it never retries it: DynamoDB leaves keys or items unprocessed when
 * the table is throttled or an answer would pass 16 MB, and AWS's guidance is to ask again with
 * exponential backoff. Asking again at once, in a loop without end, is what keeps a throttled table
 * throttled; giving up after a few rounds lets the invocation fail and its trigger retry later.
 */
public final class UnprocessedRetries {

  /** Rounds of a batch call, the first included, before it gives up. */
  public static final int MAX_ROUNDS = 8;

  /** The pause before round {@code n + 1}: from up to 50 ms, doubling, at most 1 s. */
  public static final Backoff BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));

  private UnprocessedRetries() {}

  /**
   * Called before round {@code round} (1-based) of a batch call that still has work: pauses before
   * every round after the first.
   *
   * @throws Incomplete once {@link #MAX_ROUNDS} rounds left work unprocessed
   */
  public static void beforeRound(int round, String what, int left) {
    if (round > MAX_ROUNDS) {
      throw new Incomplete(what, left, MAX_ROUNDS);
    }
    if (round > 1) {
      BACKOFF.pause(round - 1);
    }
  }

  /** A batch call that DynamoDB kept answering in part; nothing about it is lost, only undone. */
  public static final class Incomplete extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Incomplete(String what, int left, int rounds) {
      super(what + ": " + left + " left unprocessed after " + rounds + " rounds");
    }
  }
}
