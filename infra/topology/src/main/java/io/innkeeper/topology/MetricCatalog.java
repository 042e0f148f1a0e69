package io.innkeeper.topology;

import java.util.List;

/**
 * The custom metrics the functions publish in CloudWatch embedded metric format (EMF), one place
 * for the names that the functions write, the stack's dashboard and alarms read, and the local
 * runtime's tests check.
 *
 * <p>Every metric is in {@link #NAMESPACE} and carries the dimension {@link #SERVICE} (the value of
 * the functions' {@code SERVICE_NAME} environment variable: the stack name on AWS, {@code
 * innkeeper-local} locally), so two deployments in one account never mix. A metric with a {@link
 * Metric#breakdown()} dimension is published under both dimension sets, {@code [Service]} and
 * {@code [Service, breakdown]}, so a dashboard can show the total and the parts.
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

  /** One custom metric. */
  public record Metric(String name, String unit, String breakdown, String emittedBy) {}

  public static final Metric COMMANDS_ACCEPTED =
      new Metric("CommandsAccepted", "Count", "CommandType", "command-api");
  public static final Metric COMMANDS_SUCCEEDED =
      new Metric("CommandsSucceeded", "Count", "CommandType", "command-handler");
  public static final Metric COMMANDS_REJECTED =
      new Metric("CommandsRejected", "Count", "Reason", "command-handler");
  public static final Metric COMMANDS_FAILED =
      new Metric("CommandsFailed", "Count", null, "command-handler");
  public static final Metric CONFLICTS_RETRIED =
      new Metric("ConflictsRetried", "Count", null, "command-handler");
  public static final Metric PROJECTION_LAG =
      new Metric("ProjectionLag", "Milliseconds", "Projection", "projector");

  // The values of ProjectionLag's Projection dimension are the domain's projections, named by
  // Topology#projections.
  public static final Metric CONSISTENCY_WAITS =
      new Metric("ConsistencyWaits", "Count", null, "query-api");
  public static final Metric CONSISTENCY_TIMEOUTS =
      new Metric("ConsistencyTimeouts", "Count", null, "query-api");

  /**
   * Stream records given up on. Lambda's event source mapping parks them on AWS without telling the
   * function, so there the parked queue's depth ({@code AWS/SQS}) is the signal; locally the stream
   * poller plays the mapping and publishes this metric.
   */
  public static final Metric PARKED_RECORDS =
      new Metric("ParkedRecords", "Count", null, "local stream poller");

  /** From an event's {@code occurredAt} to its acceptance by the event bus. */
  public static final Metric PUBLISH_LAG =
      new Metric("PublishLag", "Milliseconds", null, "publisher");

  /**
   * From an event's {@code occurredAt} to its application by a subscriber service, by service (the
   * values of the {@code Subscriber} dimension are the domain's subscriber services).
   */
  public static final Metric SUBSCRIBER_LAG =
      new Metric("SubscriberLag", "Milliseconds", "Subscriber", "subscriber services");

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

  private MetricCatalog() {}
}
