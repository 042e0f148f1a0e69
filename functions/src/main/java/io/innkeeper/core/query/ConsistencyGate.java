package io.innkeeper.core.query;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.FieldError;
import io.innkeeper.core.http.Problem;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.obs.Metrics;
import io.innkeeper.core.projection.Watermarks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Read-your-writes for queries. A query sent with {@code X-Consistency-Token} waits until the
 * projector's watermark for the token's stream reaches the token's version, then reads with
 * strongly consistent reads; past the wait budget it answers 503 with {@code Retry-After}. Without
 * the header a query reads at once, eventually consistent.
 *
 * <p>The watermark is polled at a growing interval (10 ms, doubling to 200 ms): a token is usually
 * reached within milliseconds, and a long wait should not read the table a hundred times a second.
 * The wait also ends early enough for the function to answer within its own timeout (the 503 then
 * comes sooner than the budget).
 */
public final class ConsistencyGate {
  public static final String HEADER = "X-Consistency-Token";
  private static final long FIRST_PAUSE_MILLIS = 10;
  private static final long MAX_PAUSE_MILLIS = 200;

  /** Kept in hand after a wait, for the query's own reads. */
  static final Duration ANSWER_RESERVE = io.innkeeper.core.aws.SdkSettings.DEFAULT.callTimeout();

  private final Watermarks watermarks;
  private final Duration budget;

  /**
   * @param budget how long a query waits for the read model (docs/api.md: 5 s unless configured)
   */
  public ConsistencyGate(Watermarks watermarks, Duration budget) {
    this.watermarks = watermarks;
    this.budget = budget;
  }

  /** A query, handed the request's {@link Freshness}. */
  @FunctionalInterface
  public interface Query {
    ApiResponse answer(ApiRequest request, Freshness freshness);
  }

  /**
   * What a query must read at. A malformed token is refused before the query runs; the wait itself
   * happens when the query calls {@link #await()}, after it has checked the caller and the input,
   * so a refused request is answered at once and never held for the wait budget.
   */
  public final class Freshness {
    private final ConsistencyToken token;
    private final io.innkeeper.core.aws.Deadline invocation;
    private boolean reached;

    private Freshness(ConsistencyToken token, io.innkeeper.core.aws.Deadline invocation) {
      this.token = token;
      this.invocation = invocation;
    }

    /**
     * Waits until the read model reflects the request's token, if it has one; call it after
     * validating and before the first read.
     *
     * @return whether reads must be strongly consistent (the request carried a token)
     * @throws Problem 503 with {@code Retry-After} when the wait budget runs out
     */
    public boolean await() {
      if (token == null) {
        return false;
      }
      if (!reached) {
        waitFor(token, invocation);
        reached = true;
      }
      return true;
    }
  }

  /** Wraps a query with the token check. */
  public Function<ApiRequest, ApiResponse> route(Query query) {
    return request -> query.answer(request, freshness(request));
  }

  /**
   * Reads the request's token, if any.
   *
   * @throws Problem 400 for a malformed token
   */
  public Freshness freshness(ApiRequest request) {
    var header = request.header(HEADER);
    if (header.isEmpty()) {
      return new Freshness(null, request.deadline());
    }
    return new Freshness(
        ConsistencyToken.parse(header.get().strip())
            .orElseThrow(
                () ->
                    Problem.validation(
                        List.of(
                            new FieldError(
                                HEADER, "is not a consistency token this API handed out")))),
        request.deadline());
  }

  /**
   * Waits for the token's version, and logs the wait with the stream and version the token names:
   * the command handler's "command decided" line names the same pair with the command's id. The
   * token itself is never logged.
   */
  private void waitFor(ConsistencyToken token, io.innkeeper.core.aws.Deadline invocation) {
    long started = System.nanoTime();
    Duration allowed = invocation.remaining().minus(ANSWER_RESERVE);
    Duration wait = allowed.compareTo(budget) < 0 ? allowed : budget;
    long deadline = started + Math.max(0, wait.toNanos());
    long pause = FIRST_PAUSE_MILLIS;
    int polls = 0;
    long projected;
    Metrics.count(MetricCatalog.CONSISTENCY_WAITS);
    while ((projected = watermarks.projected(token.streamId())) < token.version()) {
      polls++;
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        logWait(token, started, "timedOut", polls, projected);
        Metrics.count(MetricCatalog.CONSISTENCY_TIMEOUTS);
        throw new Problem(
            503,
            "not-caught-up",
            "Service Unavailable",
            "The read model does not reflect that command yet; retry shortly.",
            List.of(),
            Map.of("Retry-After", "1"));
      }
      sleep(Math.min(pause, left));
      pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
    }
    logWait(token, started, "reached", polls + 1, projected);
  }

  private static void logWait(
      ConsistencyToken token, long startedNanos, String outcome, int reads, long projected) {
    Log.info(
        "consistency wait",
        "commandId",
        token.commandId(),
        "stream",
        token.streamId(),
        "version",
        token.version(),
        "projectedVersion",
        projected,
        "outcome",
        outcome,
        "waitedMs",
        (System.nanoTime() - startedNanos) / 1_000_000,
        "watermarkReads",
        reads);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
