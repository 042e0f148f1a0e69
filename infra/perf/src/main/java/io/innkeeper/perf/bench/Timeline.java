package io.innkeeper.perf.bench;

import io.innkeeper.perf.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-second series over the whole run, for the chart: counts (accepted, processed, queries) and
 * latency samples (settle latency, projection lag) bucketed by the second they were observed in.
 */
final class Timeline {
  private final long originNanos;
  private final Map<String, TreeMap<Integer, long[]>> counts = new TreeMap<>();
  private final Map<String, TreeMap<Integer, Samples>> latencies = new TreeMap<>();
  private final List<Marker> markers = new ArrayList<>();

  /** A named phase boundary, in seconds since the origin. */
  record Marker(double second, String label) {}

  Timeline(long originNanos) {
    this.originNanos = originNanos;
  }

  int second(long nanos) {
    return (int) Math.max(0, (nanos - originNanos) / 1_000_000_000L);
  }

  double seconds(long nanos) {
    return (nanos - originNanos) / 1e9;
  }

  synchronized void count(String series, long atNanos) {
    counts.computeIfAbsent(series, k -> new TreeMap<>())
        .computeIfAbsent(second(atNanos), k -> new long[1])[0]++;
  }

  synchronized void latency(String series, long atNanos, double millis) {
    latencies
        .computeIfAbsent(series, k -> new TreeMap<>())
        .computeIfAbsent(second(atNanos), k -> new Samples())
        .add(millis);
  }

  synchronized void mark(long atNanos, String label) {
    markers.add(new Marker(seconds(atNanos), label));
  }

  synchronized List<Marker> markers() {
    return List.copyOf(markers);
  }

  /** Per-second counts of a series, every second from 0 to {@code lastSecond}. */
  synchronized double[] rate(String series, int lastSecond) {
    double[] out = new double[lastSecond + 1];
    TreeMap<Integer, long[]> s = counts.getOrDefault(series, new TreeMap<>());
    s.forEach(
        (sec, n) -> {
          if (sec <= lastSecond) {
            out[sec] = n[0];
          }
        });
    return out;
  }

  /** Per-second percentiles of a latency series; {@code NaN} for seconds without samples. */
  synchronized double[] percentile(String series, double p, int lastSecond) {
    double[] out = new double[lastSecond + 1];
    java.util.Arrays.fill(out, Double.NaN);
    TreeMap<Integer, Samples> s = latencies.getOrDefault(series, new TreeMap<>());
    s.forEach(
        (sec, samples) -> {
          if (sec <= lastSecond) {
            out[sec] = samples.percentile(p);
          }
        });
    return out;
  }
}
