package io.innkeeper.cdk;

import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.topology.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * One CloudWatch dashboard for the on-call engineer, rows top to bottom in the order a command
 * travels: the API, what became of the commands, the command queue and its parking, each function,
 * the stream reader's and the projections' lag, the queries waiting for them, parked records, then
 * the alarms. Built from the topology and the {@link MetricCatalog}, so a new function, queue or
 * metric shows up by itself.
 */
final class OnCallDashboard {
  private static final Duration PERIOD = Duration.minutes(1);
  private static final int FULL = 24;
  private static final int HALF = 12;
  private static final int HEIGHT = 6;

  private OnCallDashboard() {}

  static Dashboard create(
      Construct scope,
      HttpApi api,
      Map<String, Queue> queues,
      Map<String, InnkeeperFunction> functions,
      Set<String> parkingQueues,
      List<String> projections,
      Map<String, Topic> topics,
      List<String> subscribers,
      CatalogMetrics metrics,
      List<? extends IAlarm> alarms) {
    var dashboard =
        Dashboard.Builder.create(scope, "Dashboard").defaultInterval(Duration.hours(3)).build();

    dashboard.addWidgets(
        graph(
            "API requests and errors",
            FULL,
            List.of(
                apiMetric(api, "Count", "Sum"),
                apiMetric(api, "4xx", "Sum"),
                apiMetric(api, "5xx", "Sum"))),
        graph("API latency p99 (ms)", FULL, List.of(apiMetric(api, "Latency", "p99"))));

    dashboard.addWidgets(
        graph(
            "Commands per minute: accepted, succeeded, rejected, failed, conflicts retried",
            HALF,
            List.of(
                metrics.total(MetricCatalog.COMMANDS_ACCEPTED, "Sum", PERIOD),
                metrics.total(MetricCatalog.COMMANDS_SUCCEEDED, "Sum", PERIOD),
                metrics.total(MetricCatalog.COMMANDS_REJECTED, "Sum", PERIOD),
                metrics.total(MetricCatalog.COMMANDS_FAILED, "Sum", PERIOD),
                metrics.total(MetricCatalog.CONFLICTS_RETRIED, "Sum", PERIOD))),
        // Reasons and command types belong to the domain: a search finds whichever were sent.
        graph(
            "Commands rejected, by reason",
            HALF,
            List.of(metrics.everyPart(MetricCatalog.COMMANDS_REJECTED, "Sum", PERIOD))));
    dashboard.addWidgets(
        graph(
            "Commands accepted, by type",
            HALF,
            List.of(metrics.everyPart(MetricCatalog.COMMANDS_ACCEPTED, "Sum", PERIOD))),
        graph(
            "Commands succeeded, by type",
            HALF,
            List.of(metrics.everyPart(MetricCatalog.COMMANDS_SUCCEEDED, "Sum", PERIOD))));

    List<IMetric> depth = new ArrayList<>();
    List<IMetric> age = new ArrayList<>();
    queues.forEach(
        (id, queue) -> {
          depth.add(
              queue.metricApproximateNumberOfMessagesVisible(
                  MetricOptions.builder().period(PERIOD).statistic("Maximum").label(id).build()));
          age.add(
              queue.metricApproximateAgeOfOldestMessage(
                  MetricOptions.builder().period(PERIOD).statistic("Maximum").label(id).build()));
        });
    dashboard.addWidgets(
        graph("Queue depth (dead-letter and parked queues should stay at 0)", HALF, depth),
        graph("Age of the oldest message (s)", HALF, age));

    for (InnkeeperFunction fn : functions.values()) {
      String id = fn.spec().id();
      dashboard.addWidgets(
          graph(
              id + ": invocations, errors, throttles",
              HALF,
              List.of(
                  fnMetric(fn, "Invocations", "Sum"),
                  fnMetric(fn, "Errors", "Sum"),
                  fnMetric(fn, "Throttles", "Sum"))),
          graph(
              id + ": duration (ms)",
              HALF,
              List.of(fnMetric(fn, "Duration", "p50"), fnMetric(fn, "Duration", "p99"))));
    }

    List<IMetric> lag = new ArrayList<>();
    for (InnkeeperFunction fn : functions.values()) {
      if (fn.spec().triggers().stream().anyMatch(Trigger.StreamTrigger.class::isInstance)) {
        lag.add(Alarms.iteratorAge(fn));
      }
    }
    if (!lag.isEmpty()) {
      dashboard.addWidgets(
          graph(
              "Stream iterator age (ms): how far read models and the event bus trail", FULL, lag));
    }

    List<IMetric> projectionLag = new ArrayList<>();
    projectionLag.add(Alarms.projectionLag(metrics));
    projections.forEach(
        name -> projectionLag.add(metrics.part(MetricCatalog.PROJECTION_LAG, name, "p99", PERIOD)));
    dashboard.addWidgets(
        GraphWidget.Builder.create()
            .title("Projection lag p99 (ms): event written to read model updated")
            .width(FULL)
            .height(HEIGHT)
            .left(projectionLag)
            .leftAnnotations(
                List.of(
                    HorizontalAnnotation.builder()
                        .value(Alarms.PROJECTION_LAG_LIMIT_MILLIS)
                        .label("consistency wait (alarm)")
                        .build()))
            .build());

    if (!topics.isEmpty()) {
      // The event bus: what went out, what SNS could not deliver, and how far behind the record
      // the publisher and each subscriber service are.
      List<IMetric> bus = new ArrayList<>();
      topics.forEach(
          (id, topic) -> {
            bus.add(
                topic.metricNumberOfMessagesPublished(
                    MetricOptions.builder()
                        .period(PERIOD)
                        .statistic("Sum")
                        .label(id + " published")
                        .build()));
            bus.add(
                topic.metricNumberOfNotificationsFailed(
                    MetricOptions.builder()
                        .period(PERIOD)
                        .statistic("Sum")
                        .label(id + " deliveries failed")
                        .build()));
          });
      List<IMetric> busLag = new ArrayList<>();
      busLag.add(metrics.total(MetricCatalog.PUBLISH_LAG, "p99", PERIOD));
      subscribers.forEach(
          name -> busLag.add(metrics.part(MetricCatalog.SUBSCRIBER_LAG, name, "p99", PERIOD)));
      dashboard.addWidgets(
          graph("Event bus: published and failed deliveries", HALF, bus),
          graph("Event bus lag p99 (ms): event written to published / to applied", HALF, busLag));
    }

    List<IMetric> parked = new ArrayList<>();
    // Locally the stream poller counts parked records; on AWS the parked queues' depth shows them.
    parked.add(metrics.total(MetricCatalog.PARKED_RECORDS, "Sum", PERIOD));
    parkingQueues.forEach(
        id ->
            parked.add(
                queues
                    .get(id)
                    .metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder()
                            .period(PERIOD)
                            .statistic("Maximum")
                            .label(id + " depth")
                            .build())));
    dashboard.addWidgets(
        graph(
            "Queries with a consistency token: waits and timeouts",
            HALF,
            List.of(
                metrics.total(MetricCatalog.CONSISTENCY_WAITS, "Sum", PERIOD),
                metrics.total(MetricCatalog.CONSISTENCY_TIMEOUTS, "Sum", PERIOD))),
        graph("Parked stream records and dead-lettered commands (should stay at 0)", HALF, parked));
    dashboard.addWidgets(
        AlarmStatusWidget.Builder.create()
            .title("Alarms")
            .alarms(List.copyOf(alarms))
            .width(FULL)
            .build());
    return dashboard;
  }

  private static IWidget graph(String title, int width, List<IMetric> metrics) {
    return GraphWidget.Builder.create()
        .title(title)
        .width(width)
        .height(HEIGHT)
        .left(metrics)
        .build();
  }

  private static IMetric fnMetric(InnkeeperFunction fn, String name, String statistic) {
    return fn.function()
        .metric(
            name,
            MetricOptions.builder()
                .period(PERIOD)
                .statistic(statistic)
                .label(name + " " + statistic)
                .build());
  }

  private static IMetric apiMetric(HttpApi api, String name, String statistic) {
    return Metric.Builder.create()
        .namespace("AWS/ApiGateway")
        .metricName(name)
        .dimensionsMap(Map.of("ApiId", api.getApiId()))
        .period(PERIOD)
        .statistic(statistic)
        .label(name + " " + statistic)
        .build();
  }
}
