package io.innkeeper.core.obs;

import java.util.ArrayList;
import java.util.List;

/**
 * The custom metrics the functions publish in CloudWatch embedded metric format (EMF), the one
 * place for the names that the functions write ({@link Metrics}), the stack's dashboard and alarms
 * read (infra/cdk, through the topology) and the local runtime publishes.
 *
 * <p>Every metric is in {@link #NAMESPACE} and carries the dimension {@link #SERVICE} (the value of
 * the functions' {@code SERVICE_NAME} environment variable: the stack name on AWS, {@code
 * innkeeper-local} locally), so two deployments in one account never mix. A metric with a {@link
 * Metric#breakdown()} dimension is published under both dimension sets, {@code [Service]} and
 * {@code [Service, breakdown]}, so a dashboard can show the total and the parts.
 *
 * <p>A new metric is one {@link #metric} line here: it joins {@link #ALL}, so the stack's tests
 * require it on the dashboard.
 */
public final class MetricCatalog {

  /** The CloudWatch namespace of every custom metric. */
  public static final String NAMESPACE = "Innkeeper";

  /** The dimension every metric carries. */
  public static final String SERVICE = "Service";

  /** The environment variable holding the {@link #SERVICE} dimension's value. */
  public static final String SERVICE_NAME_ENV = "SERVICE_NAME";

  /** The {@link #SERVICE} dimension's value when the local runtime hosts the functions. */
  public static final String LOCAL_SERVICE_NAME = "innkeeper-local";

  /**
   * One custom metric.
   *
   * @param breakdown the second dimension's name, or {@code null} for a metric with only {@link
   *     #SERVICE}
   * @param emittedBy who publishes it (a function's name, or the local runtime's part)
   */
  public record Metric(String name, String unit, String breakdown, String emittedBy) {}

  // Declared before the metrics: each metric(...) below appends to it during class initialisation.
  private static final List<Metric> DECLARED = new ArrayList<>();

  public static final Metric COMMANDS_ACCEPTED =
      metric("CommandsAccepted", "Count", "CommandType", "command-api");
  public static final Metric COMMANDS_SUCCEEDED =
      metric("CommandsSucceeded", "Count", "CommandType", "command-handler");
  public static final Metric COMMANDS_REJECTED =
      metric("CommandsRejected", "Count", "Reason", "command-handler");
  public static final Metric COMMANDS_FAILED =
      metric("CommandsFailed", "Count", null, "command-handler");
  public static final Metric CONFLICTS_RETRIED =
      metric("ConflictsRetried", "Count", null, "command-handler");

  // The values of ProjectionLag's Projection dimension are the domain's projections, named by the
  // topology's projections().
  public static final Metric PROJECTION_LAG =
      metric("ProjectionLag", "Milliseconds", "Projection", "projector");
  public static final Metric CONSISTENCY_WAITS =
      metric("ConsistencyWaits", "Count", null, "query-api");
  public static final Metric CONSISTENCY_TIMEOUTS =
      metric("ConsistencyTimeouts", "Count", null, "query-api");

  /**
   * Stream records given up on. Lambda's event source mapping parks them on AWS without telling the
   * function, so there the parked queue's depth ({@code AWS/SQS}) is the signal; locally the stream
   * poller plays the mapping and publishes this metric.
   */
  public static final Metric PARKED_RECORDS =
      metric("ParkedRecords", "Count", null, "local stream poller");

  /** From an event's {@code occurredAt} to its acceptance by the event bus. */
  public static final Metric PUBLISH_LAG = metric("PublishLag", "Milliseconds", null, "publisher");

  /**
   * From an event's {@code occurredAt} to its application by a subscriber service, by service (the
   * values of the {@code Subscriber} dimension are the domain's subscriber services).
   */
  public static final Metric SUBSCRIBER_LAG =
      metric("SubscriberLag", "Milliseconds", "Subscriber", "subscriber services");

  /** Every custom metric, in declaration order. */
  public static final List<Metric> ALL = List.copyOf(DECLARED);

  private MetricCatalog() {}

  private static Metric metric(String name, String unit, String breakdown, String emittedBy) {
    Metric metric = new Metric(name, unit, breakdown, emittedBy);
    DECLARED.add(metric);
    return metric;
  }
}
