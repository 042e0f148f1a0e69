package io.innkeeper.perf.bench;

import io.innkeeper.perf.Samples;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Invocations and handler time per function, as the runtime observed them. */
final class FunctionTimes {
  private final Map<String, Samples> durations = new ConcurrentHashMap<>();
  private final Map<String, double[]> billed = new ConcurrentHashMap<>();

  void add(String function, double millis) {
    durations.computeIfAbsent(function, k -> new Samples()).add(millis);
    double[] b = billed.computeIfAbsent(function, k -> new double[1]);
    synchronized (b) {
      // Lambda bills each invocation's duration rounded up to the millisecond.
      b[0] += Math.ceil(millis);
    }
  }

  Map<String, Integer> invocations() {
    Map<String, Integer> out = new TreeMap<>();
    durations.forEach((f, s) -> out.put(f, s.count()));
    return out;
  }

  /** Mean billed milliseconds per invocation. */
  Map<String, Double> meanBilledMillis() {
    Map<String, Double> out = new TreeMap<>();
    billed.forEach(
        (f, b) -> {
          int n = durations.get(f).count();
          synchronized (b) {
            out.put(f, n == 0 ? 0 : b[0] / n);
          }
        });
    return out;
  }

  Map<String, double[]> percentiles() {
    Map<String, double[]> out = new TreeMap<>();
    durations.forEach(
        (f, s) -> out.put(f, new double[] {s.percentile(50), s.percentile(99), s.mean()}));
    return out;
  }
}
