package io.innkeeper.core.obs;

import io.innkeeper.core.Env;
import io.innkeeper.core.obs.MetricCatalog.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom metrics, written as CloudWatch embedded metric format (EMF) log lines: CloudWatch Logs
 * turns them into metrics, with no agent and no API call on the request path.
 *
 * <p>The names, units and dimensions are {@link MetricCatalog}'s. Every metric is in the catalog's
 * namespace with the dimension {@code Service} (the {@code SERVICE_NAME} environment variable,
 * {@code innkeeper-local} when unset); one with a {@link Metric#breakdown()} is published under
 * both {@code [Service]} and {@code [Service, breakdown]}.
 *
 * <p>Each line is also an ordinary log line ({@code level}, {@code timestamp}, {@code function},
 * {@code msg: "metric"} and the invocation's context), so a metric can be traced to its command.
 */
public final class Metrics {

  private Metrics() {}

  /** Counts one of a metric without a breakdown. */
  public static void count(Metric metric) {
    put(metric, 1, null);
  }

  /** Counts one, broken down by {@code breakdownValue} (e.g. the command type). */
  public static void count(Metric metric, String breakdownValue) {
    put(metric, 1, breakdownValue);
  }

  /**
   * Publishes one value.
   *
   * @param breakdownValue the value of the metric's breakdown dimension; ignored for a metric
   *     without one, {@code "unknown"} when missing for one with one
   */
  public static void put(Metric metric, double value, String breakdownValue) {
    String service =
        Env.get(MetricCatalog.SERVICE_NAME_ENV).orElse(MetricCatalog.LOCAL_SERVICE_NAME);
    Map<String, Object> own = new LinkedHashMap<>();
    own.put(MetricCatalog.SERVICE, service);
    if (metric.breakdown() != null) {
      own.put(metric.breakdown(), breakdownValue == null ? "unknown" : breakdownValue);
    }
    own.put(metric.name(), value);
    Log.emit(
        Log.Level.INFO,
        "metric",
        own,
        Map.of("_aws", directive(metric, System.currentTimeMillis())));
  }

  /** The {@code _aws} object of one metric's line. */
  static String directive(Metric metric, long timestampMillis) {
    List<List<String>> dimensions =
        metric.breakdown() == null
            ? List.of(List.of(MetricCatalog.SERVICE))
            : List.of(
                List.of(MetricCatalog.SERVICE), List.of(MetricCatalog.SERVICE, metric.breakdown()));
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("Timestamp", timestampMillis);
    aws.put(
        "CloudWatchMetrics",
        List.of(
            Map.of(
                "Namespace",
                MetricCatalog.NAMESPACE,
                "Dimensions",
                dimensions,
                "Metrics",
                List.of(Map.of("Name", metric.name(), "Unit", metric.unit())))));
    StringBuilder out = new StringBuilder(256);
    JsonLine.value(out, aws);
    return out.toString();
  }
}
