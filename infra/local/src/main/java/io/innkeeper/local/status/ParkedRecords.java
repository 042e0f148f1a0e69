package io.innkeeper.local.status;

import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.obs.Metrics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stream records the local stream pollers gave up on. On AWS the event source mapping parks records
 * without telling the function, so the parked queue's depth is the signal there; locally the poller
 * plays the mapping, and says it here: the {@code ParkedRecords} metric, as an EMF line, and a
 * count per stream for {@code GET /_local/status}. Counts are per JVM, since it started.
 */
public final class ParkedRecords {
  private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

  private ParkedRecords() {}

  /**
   * Records that {@code records} records of {@code tableId}'s stream were parked on their way to
   * {@code functionId}.
   *
   * @param condition why: {@code RetryAttemptsExhausted} or {@code RecordAgeExceeded}
   */
  public static void parked(String functionId, String tableId, int records, String condition) {
    COUNTS.computeIfAbsent(key(functionId, tableId), k -> new AtomicLong()).addAndGet(records);
    try (Log.Scope scope =
        Log.invocation(
            io.innkeeper.local.LocalRuntime.LOG_FUNCTION,
            "component",
            "stream " + tableId + " -> " + functionId,
            "condition",
            condition)) {
      Metrics.put(MetricCatalog.PARKED_RECORDS, records, null);
    }
  }

  /** Parked records per {@code "<table> -> <function>"}, since the JVM started. */
  public static Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    COUNTS.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  static String key(String functionId, String tableId) {
    return tableId + " -> " + functionId;
  }
}
