package io.innkeeper.cdk;

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
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The alarms every deployment needs from day one: work parked for an operator, and functions
 * failing. They have no actions yet; wire them to a topic (or a dashboard) through {@link
 * InnkeeperStack#alarms()}.
 */
final class Alarms {

  private static final Duration PERIOD = Duration.minutes(5);

  private Alarms() {}

  static List<Alarm> create(
      Construct scope,
      Topology topology,
      Map<String, Queue> queues,
      Map<String, InnkeeperFunction> functions) {
    Construct group = new Construct(scope, "Alarms");
    List<Alarm> alarms = new ArrayList<>();
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
    return alarms;
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
