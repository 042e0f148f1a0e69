package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The alarms and the dashboard an on-call engineer starts from. */
class OperationsTest {

  private final Synth synth = Synth.innkeeper();

  /** Alarms by name suffix (the construct id), e.g. {@code CommandDlqNotEmpty}. */
  private Map<String, JsonNode> alarms() {
    Map<String, JsonNode> byId = new TreeMap<>();
    synth
        .resources("AWS::CloudWatch::Alarm")
        .forEach(
            (logicalId, alarm) ->
                byId.put(
                    logicalId.replaceAll("^Alarms", "").replaceAll("[0-9A-F]{8}$", ""),
                    alarm.path("Properties")));
    return byId;
  }

  @Test
  void everyParkingQueueEveryFunctionAndTheStreamReaderHaveAnAlarm() {
    Map<String, JsonNode> alarms = alarms();

    Set<String> expected = new TreeSet<>();
    Alarms.parkingQueues(synth.stack.topology())
        .forEach(q -> expected.add(Names.pascal(q) + "NotEmpty"));
    synth.stack.functions().keySet().forEach(f -> expected.add(Names.pascal(f) + "Errors"));
    // Every reader of the events stream: the projector and the event bus's publisher.
    expected.add("ProjectorIteratorAge");
    expected.add("PublisherIteratorAge");
    expected.add("CommandsFailed");
    expected.add("ProjectionLag");
    assertEquals(expected, alarms.keySet());
    assertTrue(expected.contains("CommandDlqNotEmpty"));
    assertTrue(expected.contains("ProjectorParkedNotEmpty"));
    assertTrue(expected.contains("PublisherParkedNotEmpty"));
    assertTrue(expected.contains("GuestMessagesDlqNotEmpty"));
  }

  @Test
  void aDeadLetterMessageAlarmsAtOnceAndAFunctionErrorToo() {
    JsonNode dlq = alarms().get("CommandDlqNotEmpty");
    assertEquals("ApproximateNumberOfMessagesVisible", dlq.path("MetricName").asText());
    assertEquals(1, dlq.path("Threshold").asInt());
    assertEquals("GreaterThanOrEqualToThreshold", dlq.path("ComparisonOperator").asText());
    assertEquals(
        synth.logicalId(synth.stack.queues().get("command-dlq")),
        dlq.path("Dimensions").get(0).path("Value").path("Fn::GetAtt").get(0).asText());
    JsonNode errors = alarms().get("CommandHandlerErrors");
    assertEquals("Errors", errors.path("MetricName").asText());
    assertEquals(1, errors.path("Threshold").asInt());
  }

  /**
   * On AWS the parked queue's depth stands for PARKED_RECORDS, which only the local poller emits.
   */
  @Test
  void aParkedStreamRecordAlarmsAtOnce() {
    JsonNode parked = alarms().get("ProjectorParkedNotEmpty");
    assertEquals("AWS/SQS", parked.path("Namespace").asText());
    assertEquals("ApproximateNumberOfMessagesVisible", parked.path("MetricName").asText());
    assertEquals("Maximum", parked.path("Statistic").asText());
    assertEquals(1, parked.path("Threshold").asInt());
    assertEquals("GreaterThanOrEqualToThreshold", parked.path("ComparisonOperator").asText());
    assertEquals(1, parked.path("Dimensions").size());
    assertEquals("QueueName", parked.path("Dimensions").get(0).path("Name").asText());
    assertEquals(
        synth.logicalId(synth.stack.queues().get("projector-parked")),
        parked.path("Dimensions").get(0).path("Value").path("Fn::GetAtt").get(0).asText());
  }

  @Test
  void aFailedCommandAlarmsAtOnce() {
    JsonNode failed = alarms().get("CommandsFailed");
    assertCatalogMetric(failed, MetricCatalog.COMMANDS_FAILED);
    assertEquals("Sum", failed.path("Statistic").asText());
    assertEquals(300, failed.path("Period").asInt());
    assertEquals(1, failed.path("EvaluationPeriods").asInt());
    assertEquals(1, failed.path("Threshold").asInt());
    assertEquals("GreaterThanOrEqualToThreshold", failed.path("ComparisonOperator").asText());
    assertEquals("notBreaching", failed.path("TreatMissingData").asText());
  }

  /**
   * p99 over all projections (the [Service] dimension set), above the consistency wait the contract
   * (docs/api.md) gives a token-bound query, for five one-minute periods out of five.
   */
  @Test
  void projectionsLaggingPastTheConsistencyWaitForFiveMinutesAlarm() {
    JsonNode lag = alarms().get("ProjectionLag");
    assertCatalogMetric(lag, MetricCatalog.PROJECTION_LAG);
    assertEquals("p99", lag.path("ExtendedStatistic").asText());
    assertFalse(lag.has("Statistic"));
    assertEquals(60, lag.path("Period").asInt());
    assertEquals(5, lag.path("EvaluationPeriods").asInt());
    assertEquals(5, lag.path("DatapointsToAlarm").asInt());
    assertEquals(5000, lag.path("Threshold").asInt());
    assertEquals(Topology.CONSISTENCY_WAIT_MILLIS, lag.path("Threshold").asInt());
    assertEquals("GreaterThanThreshold", lag.path("ComparisonOperator").asText());
    assertEquals("notBreaching", lag.path("TreatMissingData").asText());
  }

  /** Namespace, name and exactly the dimension Service = this stack's name. */
  private static void assertCatalogMetric(JsonNode alarm, MetricCatalog.Metric metric) {
    assertEquals(MetricCatalog.NAMESPACE, alarm.path("Namespace").asText());
    assertEquals(metric.name(), alarm.path("MetricName").asText());
    JsonNode dimensions = alarm.path("Dimensions");
    assertEquals(1, dimensions.size(), "only the Service dimension: " + dimensions);
    assertEquals(MetricCatalog.SERVICE, dimensions.get(0).path("Name").asText());
    assertEquals("AWS::StackName", dimensions.get(0).path("Value").path("Ref").asText());
  }

  @Test
  void theProjectorAlarmsWhenItTrailsItsStreamByAMinuteForFiveMinutes() {
    JsonNode age = alarms().get("ProjectorIteratorAge");
    assertEquals("IteratorAge", age.path("MetricName").asText());
    assertEquals("AWS/Lambda", age.path("Namespace").asText());
    assertEquals("Maximum", age.path("Statistic").asText());
    assertEquals(60, age.path("Period").asInt());
    assertEquals(5, age.path("EvaluationPeriods").asInt());
    assertEquals(60_000, age.path("Threshold").asInt());
    assertEquals(
        synth.logicalId(synth.stack.functions().get("projector").function()),
        age.path("Dimensions").get(0).path("Value").path("Ref").asText());
  }

  @Test
  void theDashboardShowsTheApiEveryQueueEveryFunctionTheStreamLagAndTheAlarms() {
    Map<String, JsonNode> dashboards = synth.resources("AWS::CloudWatch::Dashboard");
    assertEquals(1, dashboards.size());
    String body =
        flatten(dashboards.values().iterator().next().path("Properties").path("DashboardBody"));

    assertTrue(body.contains("\"AWS/ApiGateway\",\"5xx\""), body);
    assertTrue(body.contains("{Ref:" + synth.logicalId(synth.stack.api().httpApi()) + "}"));
    synth
        .stack
        .queues()
        .values()
        .forEach(
            q ->
                assertTrue(
                    body.contains("{GetAtt:" + synth.logicalId(q) + ".QueueName}"),
                    "queue " + synth.logicalId(q)));
    synth
        .stack
        .functions()
        .values()
        .forEach(
            fn -> {
              String ref = "{Ref:" + synth.logicalId(fn.function()) + "}";
              assertTrue(body.contains("\"Errors\",\"FunctionName\"," + "\"" + ref), ref);
              assertTrue(body.contains("\"Duration\",\"FunctionName\"," + "\"" + ref), ref);
            });
    assertTrue(body.contains("\"IteratorAge\""), body);
    alarms()
        .keySet()
        .forEach(a -> assertTrue(body.contains("Alarms" + a), "alarm " + a + " on the dashboard"));
    assertEquals(
        synth.logicalId(synth.stack.dashboard()),
        synth.json.path("Outputs").path("DashboardName").path("Value").path("Ref").asText());
  }

  @Test
  void theDashboardShowsEveryCatalogMetricOfThisStack() {
    String body = dashboardBody();
    String service = "\"" + MetricCatalog.SERVICE + "\",\"{Ref:AWS::StackName}\"";
    for (MetricCatalog.Metric metric : MetricCatalog.ALL) {
      assertTrue(
          body.contains(
              "[\"" + MetricCatalog.NAMESPACE + "\",\"" + metric.name() + "\"," + service),
          metric.name() + " of this stack on the dashboard");
    }
    List<String> projections = io.innkeeper.topology.Topology.innkeeper().projections();
    assertFalse(projections.isEmpty());
    for (String projection : projections) {
      assertTrue(
          body.contains(
              "\""
                  + MetricCatalog.PROJECTION_LAG.name()
                  + "\",\"Projection\",\""
                  + projection
                  + "\","
                  + service),
          "lag of projection " + projection);
    }
    assertTrue(body.contains("\"stat\":\"p99\""), "lag as p99");
    // Breakdowns the stack cannot enumerate come from a search over this stack's metrics.
    for (MetricCatalog.Metric metric :
        List.of(
            MetricCatalog.COMMANDS_REJECTED,
            MetricCatalog.COMMANDS_ACCEPTED,
            MetricCatalog.COMMANDS_SUCCEEDED)) {
      String search =
          "SEARCH('{Innkeeper,Service,"
              + metric.breakdown()
              + "} MetricName=\\\""
              + metric.name()
              + "\\\" Service=\\\"{Ref:AWS::StackName}\\\"', 'Sum', 60)";
      assertTrue(body.contains(search), metric.name() + " by " + metric.breakdown());
    }
    assertTrue(
        body.contains("\"value\":" + Alarms.PROJECTION_LAG_LIMIT_MILLIS),
        "the lag alarm's threshold drawn on the lag graph");
  }

  /**
   * The stack reads only metrics the functions write: every custom metric an alarm or a dashboard
   * graph or search names is in the catalog the functions publish from.
   */
  @Test
  void theAlarmsAndTheDashboardNameOnlyCatalogMetrics() {
    Set<String> catalog = new TreeSet<>();
    MetricCatalog.ALL.forEach(m -> catalog.add(m.name()));
    Set<String> named = new TreeSet<>();
    alarms().values().stream()
        .filter(a -> MetricCatalog.NAMESPACE.equals(a.path("Namespace").asText()))
        .forEach(a -> named.add(a.path("MetricName").asText()));
    String body = dashboardBody();
    Matcher graphed =
        Pattern.compile("\\[\"" + MetricCatalog.NAMESPACE + "\",\"([^\"]+)\"").matcher(body);
    while (graphed.find()) {
      named.add(graphed.group(1));
    }
    Matcher searched = Pattern.compile("MetricName=\\\\\"([^\\\\\"]+)").matcher(body);
    while (searched.find()) {
      named.add(searched.group(1));
    }
    assertTrue(named.containsAll(List.of("CommandsFailed", "ProjectionLag", "CommandsRejected")));
    assertTrue(catalog.containsAll(named), "not in the catalog: " + difference(named, catalog));
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> rest = new TreeSet<>(a);
    rest.removeAll(b);
    return rest;
  }

  private String dashboardBody() {
    Map<String, JsonNode> dashboards = synth.resources("AWS::CloudWatch::Dashboard");
    assertEquals(1, dashboards.size());
    return flatten(dashboards.values().iterator().next().path("Properties").path("DashboardBody"));
  }

  /** The dashboard body with every intrinsic written as {Ref:Id} or {GetAtt:Id.Attr}. */
  private static String flatten(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.has("Ref")) {
      return "{Ref:" + node.path("Ref").asText() + "}";
    }
    if (node.has("Fn::GetAtt")) {
      JsonNode att = node.path("Fn::GetAtt");
      return "{GetAtt:" + att.get(0).asText() + "." + att.get(1).asText() + "}";
    }
    if (node.has("Fn::Join")) {
      StringBuilder b = new StringBuilder();
      String sep = node.path("Fn::Join").get(0).asText();
      JsonNode parts = node.path("Fn::Join").get(1);
      for (int i = 0; i < parts.size(); i++) {
        b.append(i == 0 ? "" : sep).append(flatten(parts.get(i)));
      }
      return b.toString();
    }
    return node.toString();
  }
}
