package io.innkeeper.cdk;

import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The alarms every deployment needs from day one: work parked for an operator (dead-letter and
 * on-failure queues not empty), functions failing, commands failing, a stream reader falling behind
 * (iterator age) and read models lagging past what a consistency token waits for. They have no
 * actions yet; wire them to a topic through {@link InnkeeperStack#alarms()}.
 */
final class Alarms {

  private static final Duration PERIOD = Duration.minutes(5);

  private Alarms() {}

  static List<Alarm> create(
      Construct scope,
      Topology topology,
      Map<String, Queue> queues,
      Map<String, InnkeeperFunction> functions,
      CatalogMetrics metrics) {
    Construct group = new Construct(scope, "Alarms");
    List<Alarm> alarms = new ArrayList<>();
    // On AWS the parked queues' depth is the parked-records signal: Lambda parks stream records
    // without telling the function, so MetricCatalog.PARKED_RECORDS only exists locally.
    for (String queueId : parkingQueues(topology)) {
      Queue queue = AccessGrants.queue(queues, queueId);
      alarms.add(
          queue
              .metricApproximateNumberOfMessagesVisible(
                  MetricOptions.builder().period(PERIOD).statistic("Maximum").build())
              .createAlarm(
                  group,
                  Names.pascal(queueId) + "NotEmpty",
                  CreateAlarmOptions.builder()
                      .alarmDescription(
                          "Messages parked in " + queueId + ": inspect them, then redrive")
                      .threshold(1)
                      .evaluationPeriods(1)
                      .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                      .treatMissingData(TreatMissingData.NOT_BREACHING)
                      .build()));
    }
    for (InnkeeperFunction fn : functions.values()) {
      String id = fn.spec().id();
      alarms.add(
          fn.function()
              .metricErrors(MetricOptions.builder().period(PERIOD).statistic("Sum").build())
              .createAlarm(
                  group,
                  Names.pascal(id) + "Errors",
                  CreateAlarmOptions.builder()
                      .alarmDescription("Function " + id + " failed invocations")
                      .threshold(1)
                      .evaluationPeriods(1)
                      .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                      .treatMissingData(TreatMissingData.NOT_BREACHING)
                      .build()));
    }
    for (InnkeeperFunction fn : functions.values()) {
      if (fn.spec().triggers().stream().anyMatch(Trigger.StreamTrigger.class::isInstance)) {
        String id = fn.spec().id();
        alarms.add(
            iteratorAge(fn)
                .createAlarm(
                    group,
                    Names.pascal(id) + "IteratorAge",
                    CreateAlarmOptions.builder()
                        .alarmDescription(
                            "Function "
                                + id
                                + " is more than a minute behind its stream for five minutes:"
                                + " read models lag, and past 24 h records would be lost")
                        .threshold(ITERATOR_AGE_LIMIT_MILLIS)
                        .evaluationPeriods(5)
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build()));
      }
    }
    alarms.add(
        metrics
            .total(MetricCatalog.COMMANDS_FAILED, "Sum", PERIOD)
            .createAlarm(
                group,
                "CommandsFailed",
                CreateAlarmOptions.builder()
                    .alarmDescription(
                        "Commands marked FAILED after their last delivery (their status says so);"
                            + " the command dead-letter queue holds them for inspection and"
                            + " redrive")
                    .threshold(1)
                    .evaluationPeriods(1)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build()));
    alarms.add(
        projectionLag(metrics)
            .createAlarm(
                group,
                "ProjectionLag",
                CreateAlarmOptions.builder()
                    .alarmDescription(
                        "Read models trail their events by more than a consistency token waits"
                            + " (p99 over "
                            + PROJECTION_LAG_LIMIT_MILLIS
                            + " ms for five minutes): token-bound queries time out")
                    .threshold(PROJECTION_LAG_LIMIT_MILLIS)
                    // Five of five: a single slow batch (a cold start, a retried record) is not
                    // an incident; five minutes of it is.
                    .evaluationPeriods(5)
                    .datapointsToAlarm(5)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                    // No events, no lag samples: an idle system is a healthy one.
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build()));
    return alarms;
  }

  /**
   * Past this p99 lag a query bound to a consistency token waits in vain (the contract's 5 s wait),
   * so it is where lag stops being invisible to callers.
   */
  static final int PROJECTION_LAG_LIMIT_MILLIS = Topology.CONSISTENCY_WAIT_MILLIS;

  /**
   * p99 of the projector's lag over all projections, per minute: the {@code [Service]} dimension
   * set, so a lagging projection alarms whatever its name.
   */
  static Metric projectionLag(CatalogMetrics metrics) {
    return metrics.total(MetricCatalog.PROJECTION_LAG, "p99", Duration.minutes(1));
  }

  /** A stream reader this far behind, for five minutes in a row, needs a look. */
  static final double ITERATOR_AGE_LIMIT_MILLIS = 60_000;

  /**
   * The age of the newest record a stream-triggered function has read, per minute; how far the read
   * models trail the events table.
   */
  static Metric iteratorAge(InnkeeperFunction fn) {
    return fn.function()
        .metric(
            "IteratorAge",
            MetricOptions.builder().period(Duration.minutes(1)).statistic("Maximum").build());
  }

  /** Dead-letter queues and on-failure destinations: anything in them needs a human. */
  static Set<String> parkingQueues(Topology topology) {
    Set<String> ids = new TreeSet<>();
    for (QueueSpec queue : topology.queues()) {
      if (queue.deadLetter() != null) {
        ids.add(queue.deadLetter().queueId());
      }
    }
    topology.functions().stream()
        .flatMap(f -> f.triggers().stream())
        .filter(Trigger.StreamTrigger.class::isInstance)
        .map(t -> ((Trigger.StreamTrigger) t).onFailureQueueId())
        .filter(Objects::nonNull)
        .forEach(ids::add);
    return ids;
  }
}
