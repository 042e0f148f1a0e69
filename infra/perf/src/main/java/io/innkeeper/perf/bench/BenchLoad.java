package io.innkeeper.perf.bench;

import io.innkeeper.client.HttpApi;
import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.core.domain.fixture.BenchWorkload;
import io.innkeeper.events.Json;
import io.innkeeper.perf.Samples;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * The benchmark's load, sent over the HTTP API as real clients would: the domain's load ({@link
 * BenchWorkload.Load}: state with plenty of room, so commands succeed and the load measures the
 * machinery, not rejections), command clients that each keep a few commands outstanding, and query
 * clients that ask back to back.
 *
 * <p>A command counts as processed when the command-handler invocation that carried it returned
 * without reporting it failed; the runtime tells the benchmark through {@link #handlerInvoked}, so
 * nobody polls the status table while the load runs.
 */
final class BenchLoad {

  /** A command sent and not yet processed. */
  record Pending(int client, long sentNanos, BenchWorkload.Command command, Api.Answer accepted) {}

  private final BenchOptions o;
  private final Timeline timeline;
  private final HttpApi api;
  private final BenchWorkload.Load load;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Semaphore[] windows;
  private final AtomicInteger keys = new AtomicInteger();
  private final String runId = Long.toString(System.currentTimeMillis(), 36);

  /** Counters of the phase running now; replaced at each phase. */
  volatile PhaseStats stats = new PhaseStats("setup");

  /** What one phase saw. */
  static final class PhaseStats {
    final String name;
    final LongAdder sent = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder processed = new LongAdder();
    final LongAdder processedInWindow = new LongAdder();
    final LongAdder queries = new LongAdder();
    final LongAdder queryErrors = new LongAdder();
    final Samples settle = new Samples();
    final Samples lag = new Samples();
    final Samples queryLatency = new Samples();
    final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    volatile long startNanos = System.nanoTime();
    volatile long endNanos;

    PhaseStats(String name) {
      this.name = name;
    }

    double seconds() {
      long end = endNanos == 0 ? System.nanoTime() : endNanos;
      return (end - startNanos) / 1e9;
    }
  }

  BenchLoad(
      URI base,
      BenchOptions o,
      Timeline timeline,
      BiFunction<String, List<String>, String> tokens,
      BenchWorkload workload) {
    this.o = o;
    this.timeline = timeline;
    this.api = new HttpApi(base, tokens);
    this.load = workload.load(o.scale(), o.clients(), api);
    this.windows = new Semaphore[o.clients()];
    for (int c = 0; c < o.clients(); c++) {
      windows[c] = new Semaphore(o.window());
    }
  }

  int outstanding() {
    return pending.size();
  }

  // ---------------------------------------------------------------------------------------------
  // Setup

  /** The domain's setup, each command awaited. */
  void setUp() {
    load.setUp();
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  /**
   * Runs the command clients until {@code untilNanos}.
   *
   * @param ratePerSecond 0 for as fast as the windows allow; otherwise the total rate to pace at
   */
  void commands(long untilNanos, double ratePerSecond, Map<String, Integer> mix)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < o.clients(); c++) {
      int client = c;
      Thread t =
          new Thread(
              () -> commandClient(client, untilNanos, ratePerSecond, mix), "bench-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private void commandClient(
      int client, long untilNanos, double ratePerSecond, Map<String, Integer> mix) {
    SplittableRandom random = new SplittableRandom(o.seed() * 1_000_003L + client + keys.get());
    long interval = ratePerSecond > 0 ? (long) (1e9 * o.clients() / ratePerSecond) : 0;
    // Clients start spread over one interval, so a paced load is smooth, not in waves.
    long next = System.nanoTime() + (interval > 0 ? random.nextLong(interval) : 0);
    while (System.nanoTime() < untilNanos) {
      if (interval > 0) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          sleepNanos(wait);
        }
        next += interval;
        if (System.nanoTime() >= untilNanos) {
          return;
        }
      }
      try {
        if (!windows[client].tryAcquire(untilNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!sendCommand(client, random, mix)) {
        windows[client].release();
      }
    }
  }

  /** Sends one command of the mix; false when it was not accepted (nothing is outstanding). */
  private boolean sendCommand(int client, SplittableRandom random, Map<String, Integer> mix) {
    PhaseStats s = stats;
    BenchWorkload.Command command = load.command(client, pick(mix, random), random);
    long sent = System.nanoTime();
    s.sent.increment();
    Api.Answer answer =
        api.post(
            command.path(),
            command.caller(),
            "bench-" + runId + "-" + keys.incrementAndGet(),
            command.body());
    s.statuses.computeIfAbsent(answer.status(), k -> new LongAdder()).increment();
    if (answer.status() != 202) {
      s.refused.increment();
      return false;
    }
    String commandId = answer.field("commandId");
    pending.put(commandId, new Pending(client, sent, command, answer));
    s.accepted.increment();
    timeline.count("accepted", System.nanoTime());
    return true;
  }

  /**
   * Called by the runtime after every command-handler invocation: every command it carried that it
   * did not report as failed has been processed (its outcome recorded).
   */
  void handlerInvoked(String eventJson, String answer, boolean failed, long endNanos) {
    if (failed) {
      return;
    }
    List<String> failures = new ArrayList<>();
    Object items = Json.parseObject(answer == null ? "{}" : answer).get("batchItemFailures");
    if (items instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> m) {
          failures.add(String.valueOf(m.get("itemIdentifier")));
        }
      }
    }
    Object records = Json.parseObject(eventJson).get("Records");
    if (!(records instanceof List<?> list)) {
      return;
    }
    PhaseStats s = stats;
    for (Object record : list) {
      if (!(record instanceof Map<?, ?> m)
          || failures.contains(String.valueOf(m.get("messageId")))) {
        continue;
      }
      Object commandId = Json.parseObject(String.valueOf(m.get("body"))).get("commandId");
      Pending p = commandId == null ? null : pending.remove(commandId.toString());
      if (p == null) {
        continue;
      }
      s.processed.increment();
      if (s.endNanos == 0 || endNanos <= s.endNanos) {
        s.processedInWindow.increment();
      }
      double millis = (endNanos - p.sentNanos()) / 1e6;
      s.settle.add(millis);
      timeline.count("processed", endNanos);
      timeline.latency("settle", endNanos, millis);
      p.command().processed().accept(p.accepted());
      windows[p.client()].release();
    }
  }

  /**
   * Called by the runtime after every projector invocation: each record it applied (all of them
   * unless it reported a failure, then those before it) reached every read model now.
   */
  void projectorInvoked(String eventJson, String answer, boolean failed, long endNanos) {
    if (failed) {
      return;
    }
    long nowMillis = System.currentTimeMillis() - (System.nanoTime() - endNanos) / 1_000_000;
    String firstFailure = null;
    Object items = Json.parseObject(answer == null ? "{}" : answer).get("batchItemFailures");
    if (items instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> m) {
      firstFailure = String.valueOf(m.get("itemIdentifier"));
    }
    Object records = Json.parseObject(eventJson).get("Records");
    if (!(records instanceof List<?> list)) {
      return;
    }
    PhaseStats s = stats;
    for (Object record : list) {
      if (!(record instanceof Map<?, ?> m) || !(m.get("dynamodb") instanceof Map<?, ?> ddb)) {
        continue;
      }
      if (String.valueOf(ddb.get("SequenceNumber")).equals(firstFailure)) {
        return;
      }
      if (ddb.get("NewImage") instanceof Map<?, ?> image
          && image.get("occurredAt") instanceof Map<?, ?> at
          && at.get("S") != null) {
        try {
          long written = java.time.Instant.parse(at.get("S").toString()).toEpochMilli();
          double lag = Math.max(0, nowMillis - written);
          s.lag.add(lag);
          timeline.latency("lag", endNanos, lag);
        } catch (RuntimeException ignored) {
          // Not an event item; the stream filter lets none through, but a benchmark must not die.
        }
      }
    }
  }

  /** Waits until every accepted command was processed, or the deadline passed. */
  boolean drain(long deadlineNanos) throws InterruptedException {
    while (!pending.isEmpty()) {
      if (System.nanoTime() > deadlineNanos) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  /** Runs the query clients back to back until {@code untilNanos}. */
  void queries(long untilNanos) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < o.clients(); c++) {
      int client = c;
      Thread t =
          new Thread(
              () -> {
                SplittableRandom random = new SplittableRandom(o.seed() * 7_919L + client);
                while (System.nanoTime() < untilNanos) {
                  query(client, random);
                }
              },
              "bench-query-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private void query(int client, SplittableRandom random) {
    PhaseStats s = stats;
    BenchWorkload.Query query = load.query(client, pick(o.queryMix(), random), random);
    String path = query.path();
    String token = query.caller() == null ? null : api.token(query.caller());
    long start = System.nanoTime();
    int status = get(path, token);
    long end = System.nanoTime();
    if (status != 200) {
      s.queryErrors.increment();
      s.statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
      return;
    }
    double millis = (end - start) / 1e6;
    s.queries.increment();
    s.queryLatency.add(millis);
    timeline.count("queries", end);
    timeline.latency("query", end, millis);
  }

  /** One GET on the client's low-overhead path: only the status matters to the load. */
  private int get(String path, String token) {
    return api.status(path, token);
  }

  private static String pick(Map<String, Integer> mix, SplittableRandom random) {
    int total = 0;
    for (int w : mix.values()) {
      total += w;
    }
    int r = random.nextInt(total);
    for (Map.Entry<String, Integer> e : mix.entrySet()) {
      r -= e.getValue();
      if (r < 0) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
