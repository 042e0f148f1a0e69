package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.DeploymentSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The synthesized template, read back into the deployment summary, equals the summary of the
 * topology; the local runtime's tests hold what it started to the same summary ({@code
 * LocalParityIT}). So AWS and the local runtime run the same functions and handlers, the same
 * triggers with the same settings, the same tables, queues and routes.
 */
class ParityTest {

  private final Synth synth = Synth.innkeeper();

  @Test
  void theTemplateDeploysExactlyWhatTheTopologySummarizes() {
    assertEquals(DeploymentSummary.of(synth.stack.topology()), summaryOf(synth));
  }

  @Test
  void theSummaryNamesEverySettingThatChangesBehaviour() {
    Map<String, Object> summary = DeploymentSummary.of(synth.stack.topology());
    @SuppressWarnings("unchecked")
    var projector =
        (List<Map<String, Object>>) ((Map<?, ?>) summary.get("triggers")).get("projector");
    assertEquals(
        List.of(
            "batchSize",
            "bisectBatchOnError",
            "filterPattern",
            "maximumRecordAgeSeconds",
            "maximumRetryAttempts",
            "onFailureQueue",
            "startingPosition",
            "stream"),
        List.copyOf(projector.get(0).keySet()));
    assertEquals(
        io.innkeeper.topology.Topology.innkeeper().routes().size(),
        ((Map<?, ?>) summary.get("routes")).size(),
        "every route the domain and the core declare");
  }

  /** Reads the summary back from the template, naming resources by their topology ids. */
  static Map<String, Object> summaryOf(Synth synth) {
    Map<String, String> ids = new HashMap<>();
    synth.stack.tables().forEach((id, t) -> ids.put(synth.logicalId(t), id));
    synth.stack.queues().forEach((id, q) -> ids.put(synth.logicalId(q), id));
    synth.stack.topics().forEach((id, t) -> ids.put(synth.logicalId(t), id));
    synth
        .stack
        .functions()
        .forEach(
            (id, fn) -> {
              ids.put(synth.logicalId(fn.function()), id);
              ids.put(synth.logicalId(fn.alias()), id);
            });

    Map<String, Object> functions = new TreeMap<>();
    synth
        .resources("AWS::Lambda::Function")
        .forEach(
            (logicalId, r) -> {
              if (ids.containsKey(logicalId)) {
                JsonNode p = r.path("Properties");
                functions.put(
                    ids.get(logicalId),
                    DeploymentSummary.function(
                        p.path("Handler").asText().replace("::handleRequest", ""),
                        p.path("MemorySize").asInt(),
                        p.path("Timeout").asInt()));
              }
            });

    Map<String, Object> triggers = new TreeMap<>();
    synth
        .resources("AWS::Lambda::EventSourceMapping")
        .forEach(
            (logicalId, r) -> {
              JsonNode p = r.path("Properties");
              String function = ids.get(only(Synth.referencedIds(p.path("FunctionName"))));
              String source = ids.get(only(Synth.referencedIds(p.path("EventSourceArn"))));
              Map<String, Object> trigger;
              if (p.has("StartingPosition")) {
                JsonNode onFailure =
                    p.path("DestinationConfig").path("OnFailure").path("Destination");
                trigger =
                    DeploymentSummary.streamTrigger(
                        source,
                        p.path("BatchSize").asInt(),
                        p.path("StartingPosition").asText(),
                        p.path("FilterCriteria")
                            .path("Filters")
                            .path(0)
                            .path("Pattern")
                            .asText(null),
                        p.path("MaximumRetryAttempts").asInt(),
                        p.path("BisectBatchOnFunctionError").asBoolean(),
                        p.path("MaximumRecordAgeInSeconds").asInt(),
                        onFailure.isMissingNode()
                            ? null
                            : ids.get(only(Synth.referencedIds(onFailure))));
              } else {
                trigger =
                    DeploymentSummary.sqsTrigger(
                        source,
                        p.path("BatchSize").asInt(),
                        p.path("ScalingConfig").path("MaximumConcurrency").asInt());
              }
              @SuppressWarnings("unchecked")
              List<Object> mine =
                  (List<Object>) triggers.computeIfAbsent(function, f -> new ArrayList<>());
              mine.add(trigger);
            });

    Map<String, JsonNode> integrations = synth.resources("AWS::ApiGatewayV2::Integration");
    Map<String, Object> routes = new TreeMap<>();
    synth
        .resources("AWS::ApiGatewayV2::Route")
        .forEach(
            (logicalId, r) -> {
              JsonNode p = r.path("Properties");
              JsonNode integration = integrations.get(only(Synth.referencedIds(p.path("Target"))));
              String function =
                  ids.get(
                      only(
                          Synth.referencedIds(
                              integration.path("Properties").path("IntegrationUri"))));
              routes.put(
                  p.path("RouteKey").asText(),
                  DeploymentSummary.route(
                      function, "JWT".equals(p.path("AuthorizationType").asText())));
            });

    Map<String, Object> tables = new TreeMap<>();
    synth
        .resources("AWS::DynamoDB::Table")
        .forEach(
            (logicalId, r) -> {
              JsonNode p = r.path("Properties");
              Map<String, String> types = new HashMap<>();
              p.path("AttributeDefinitions")
                  .forEach(
                      a ->
                          types.put(
                              a.path("AttributeName").asText(), a.path("AttributeType").asText()));
              String hash = null;
              String range = null;
              for (JsonNode k : p.path("KeySchema")) {
                String name = k.path("AttributeName").asText();
                String key = DeploymentSummary.key(name, types.get(name));
                if ("HASH".equals(k.path("KeyType").asText())) {
                  hash = key;
                } else {
                  range = key;
                }
              }
              JsonNode stream = p.path("StreamSpecification").path("StreamViewType");
              JsonNode ttl = p.path("TimeToLiveSpecification");
              tables.put(
                  ids.get(logicalId),
                  DeploymentSummary.table(
                      hash,
                      range,
                      stream.isMissingNode() ? "NONE" : stream.asText(),
                      ttl.path("Enabled").asBoolean() ? ttl.path("AttributeName").asText() : null));
            });

    Map<String, Object> queues = new TreeMap<>();
    synth
        .resources("AWS::SQS::Queue")
        .forEach(
            (logicalId, r) -> {
              JsonNode p = r.path("Properties");
              JsonNode redrive = p.path("RedrivePolicy");
              queues.put(
                  ids.get(logicalId),
                  DeploymentSummary.queue(
                      p.path("FifoQueue").asBoolean(),
                      p.path("VisibilityTimeout").asInt(),
                      p.path("MessageRetentionPeriod").asInt(),
                      redrive.isMissingNode()
                          ? null
                          : ids.get(only(Synth.referencedIds(redrive.path("deadLetterTargetArn")))),
                      redrive.path("maxReceiveCount").asInt(0)));
            });
    Map<String, Object> topics = new TreeMap<>();
    synth
        .resources("AWS::SNS::Topic")
        .forEach(
            (logicalId, r) -> {
              JsonNode p = r.path("Properties");
              topics.put(
                  ids.get(logicalId),
                  DeploymentSummary.topic(
                      p.path("FifoTopic").asBoolean(),
                      p.path("ContentBasedDeduplication").asBoolean()));
            });

    Map<String, Object> subscriptions = new TreeMap<>();
    synth
        .resources("AWS::SNS::Subscription")
        .forEach(
            (logicalId, r) -> {
              JsonNode p = r.path("Properties");
              assertEquals("sqs", p.path("Protocol").asText());
              JsonNode filter = p.path("FilterPolicy");
              subscriptions.put(
                  ids.get(only(Synth.referencedIds(p.path("Endpoint")))),
                  DeploymentSummary.subscription(
                      ids.get(only(Synth.referencedIds(p.path("TopicArn")))),
                      p.path("RawMessageDelivery").asBoolean(),
                      filter.isMissingNode() ? null : filter.toString()));
            });
    return DeploymentSummary.summary(
        functions, triggers, routes, tables, queues, topics, subscriptions);
  }

  private static String only(List<String> ids) {
    assertEquals(1, ids.size(), "one resource referenced: " + ids);
    return ids.get(0);
  }
}
