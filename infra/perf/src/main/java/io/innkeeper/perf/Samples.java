package io.innkeeper.perf;

import java.util.Arrays;

/**
 * A growable list of latency samples (milliseconds) with nearest-rank percentiles; thread-safe.
 * What {@code soak} and {@code bench} report their latencies with.
 */
public final class Samples {
  private double[] values = new double[1024];
  private int size;

  public synchronized void add(double value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  public synchronized int count() {
    return size;
  }

  /** The {@code p}-th percentile (0..100) by nearest rank; {@code NaN} without samples. */
  public synchronized double percentile(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
  }

  public synchronized double mean() {
    if (size == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    return sum / size;
  }
}
