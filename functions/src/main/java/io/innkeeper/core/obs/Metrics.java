package io.innkeeper.core.obs;

import io.innkeeper.core.Env;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom metrics, written as CloudWatch embedded metric format (EMF) log lines: CloudWatch Logs
 * turns them into metrics, with no agent and no API call on the request path.
 *
 * <p>The names, units and dimensions are a copy of the topology's {@code MetricCatalog} (this
 * module cannot depend on the topology; a test in the local runtime, which sees both, proves they
 * are equal). Every metric is in {@link #NAMESPACE} with the dimension {@link #SERVICE} (the {@code
 * SERVICE_NAME} environment variable, {@value #DEFAULT_SERVICE} when unset); one with a {@link
 * Metric#breakdown()} is published under both {@code [Service]} and {@code [Service, breakdown]}.
 *
 * <p>Each line is also an ordinary log line ({@code level}, {@code timestamp}, {@code function},
 * {@code msg: "metric"} and the invocation's context), so a metric can be traced to its command.
 */
public final class Metrics {

  /** The CloudWatch namespace of every custom metric. */
  public static final String NAMESPACE = "Innkeeper";

  /** The dimension every metric carries. */
  public static final String SERVICE = "Service";

  /** The environment variable holding the {@link #SERVICE} dimension's value. */
  public static final String SERVICE_NAME_ENV = "SERVICE_NAME";

  /** The {@link #SERVICE} value when {@link #SERVICE_NAME_ENV} is not set. */
  public static final String DEFAULT_SERVICE = "innkeeper-local";

  /**
   * One custom metric.
   *
   * @param breakdown the second dimension's name, or {@code null} for a metric with only {@link
   *     #SERVICE}
   */
  public record Metric(String name, String unit, String breakdown) {}

  public static final Metric COMMANDS_ACCEPTED =
      new Metric("CommandsAccepted", "Count", "CommandType");
  public static final Metric COMMANDS_SUCCEEDED =
      new Metric("CommandsSucceeded", "Count", "CommandType");
  public static final Metric COMMANDS_REJECTED = new Metric("CommandsRejected", "Count", "Reason");
  public static final Metric COMMANDS_FAILED = new Metric("CommandsFailed", "Count", null);
  public static final Metric CONFLICTS_RETRIED = new Metric("ConflictsRetried", "Count", null);
  public static final Metric PROJECTION_LAG =
      new Metric("ProjectionLag", "Milliseconds", "Projection");
  public static final Metric CONSISTENCY_WAITS = new Metric("ConsistencyWaits", "Count", null);
  public static final Metric CONSISTENCY_TIMEOUTS =
      new Metric("ConsistencyTimeouts", "Count", null);

  /** Published by the local runtime's stream poller (on AWS the parked queue's depth says it). */
  public static final Metric PARKED_RECORDS = new Metric("ParkedRecords", "Count", null);

  /**
   * Publisher: from an event's {@code occurredAt} to its acceptance by the event bus (the topic),
   * per event.
   */
  public static final Metric PUBLISH_LAG = new Metric("PublishLag", "Milliseconds", null);

  /**
   * A subscriber service: from an event's {@code occurredAt} to its application in the service's
   * own tables, per event, by subscriber.
   */
  public static final Metric SUBSCRIBER_LAG =
      new Metric("SubscriberLag", "Milliseconds", "Subscriber");

  /** Every custom metric. */
  public static final List<Metric> ALL =
      List.of(
          COMMANDS_ACCEPTED,
          COMMANDS_SUCCEEDED,
          COMMANDS_REJECTED,
          COMMANDS_FAILED,
          CONFLICTS_RETRIED,
          PROJECTION_LAG,
          CONSISTENCY_WAITS,
          CONSISTENCY_TIMEOUTS,
          PARKED_RECORDS,
          PUBLISH_LAG,
          SUBSCRIBER_LAG);

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
    String service = Env.get(SERVICE_NAME_ENV).orElse(DEFAULT_SERVICE);
    Map<String, Object> own = new LinkedHashMap<>();
    own.put(SERVICE, service);
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
            ? List.of(List.of(SERVICE))
            : List.of(List.of(SERVICE), List.of(SERVICE, metric.breakdown()));
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("Timestamp", timestampMillis);
    aws.put(
        "CloudWatchMetrics",
        List.of(
            Map.of(
                "Namespace",
                NAMESPACE,
                "Dimensions",
                dimensions,
                "Metrics",
                List.of(Map.of("Name", metric.name(), "Unit", metric.unit())))));
    StringBuilder out = new StringBuilder(256);
    JsonLine.value(out, aws);
    return out.toString();
  }
}
