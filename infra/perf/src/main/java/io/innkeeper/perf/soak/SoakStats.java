package io.innkeeper.perf.soak;

import io.innkeeper.perf.Samples;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/** What the soak's clients saw, counted as it happens (thread-safe). */
final class SoakStats {
  /** Logical commands sent (an idempotent repeat is one command sent twice). */
  final LongAdder sent = new LongAdder();

  /** Commands answered 202 (counted once per command id). */
  final LongAdder accepted = new LongAdder();

  /** Commands settled, as the status tracker saw them leave PENDING. */
  final LongAdder settled = new LongAdder();

  final LongAdder succeeded = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder failed = new LongAdder();

  /** Commands the intake refused as the workload expected it might (e.g. 403): no command. */
  final LongAdder refused = new LongAdder();

  /** Requests sent again after a 5xx, a 429 or no answer. */
  final LongAdder retries = new LongAdder();

  /** Commands whose request never got an answer other than 5xx/429/none, after every attempt. */
  final LongAdder gaveUp = new LongAdder();

  /** Idempotent repeats answered with another command id than the first request. */
  final LongAdder repeatMismatches = new LongAdder();

  /** Idempotent repeats sent. */
  final LongAdder repeats = new LongAdder();

  private final Map<Integer, LongAdder> answers = new ConcurrentSkipListMap<>();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
  private final LongAdder unexpectedCount = new LongAdder();
  private final Samples latencies = new Samples();
  private final Map<String, Samples> latenciesByType = new ConcurrentHashMap<>();

  void answered(int status) {
    answers.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  void retried() {
    retries.increment();
  }

  /** An answer the workload did not expect (a harness or API bug); the first few are kept. */
  void unexpected(String what) {
    unexpectedCount.increment();
    if (unexpected.size() < 10) {
      unexpected.add(what);
    }
  }

  long unexpectedCount() {
    return unexpectedCount.sum();
  }

  List<String> unexpectedExamples() {
    synchronized (unexpected) {
      return List.copyOf(unexpected);
    }
  }

  /** A command left PENDING after {@code latencyMillis} (as seen by the tracker's polling). */
  void settled(String type, String status, String reason, long latencyMillis) {
    settled.increment();
    switch (status) {
      case "SUCCEEDED" -> succeeded.increment();
      case "REJECTED" -> rejected.increment();
      default -> failed.increment();
    }
    String key = type + " " + status + (reason == null ? "" : " " + reason);
    outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
    latencies.add(latencyMillis);
    latenciesByType.computeIfAbsent(type, t -> new Samples()).add(latencyMillis);
  }

  /** HTTP statuses answered, {@code -1} for no answer. */
  Map<Integer, Long> answers() {
    Map<Integer, Long> copy = new TreeMap<>();
    answers.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** "type status [reason]" to count. */
  Map<String, Long> outcomes() {
    Map<String, Long> copy = new TreeMap<>();
    outcomes.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** The {@code p}-th percentile (0..100) of accept-to-settle latencies, in ms; -1 if none. */
  long latencyPercentile(double p) {
    return percentile(latencies, p);
  }

  /** "p50 / p99 / max" accept-to-settle latency per command type, in ms. */
  Map<String, String> latencyByType() {
    Map<String, String> byType = new TreeMap<>();
    latenciesByType.forEach(
        (type, l) ->
            byType.put(
                type, percentile(l, 50) + " / " + percentile(l, 99) + " / " + percentile(l, 100)));
    return byType;
  }

  private static long percentile(Samples values, double p) {
    return values.count() == 0 ? -1 : (long) values.percentile(p);
  }
}
