package io.innkeeper.cdk;

import io.innkeeper.topology.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * One CloudWatch dashboard for the on-call engineer, rows top to bottom in the order a command
 * travels: the API, the command queue and its parking, each function, the stream reader's lag, then
 * the alarms. Built from the topology, so a new function or queue shows up by itself.
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
      dashboard.addWidgets(graph("Stream iterator age (ms): how far read models trail", FULL, lag));
    }
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
