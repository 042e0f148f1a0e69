package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Trigger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggersTest {

  private final Synth synth = Synth.innkeeper();

  @Test
  void everyQueueAndStreamTriggerHasExactlyOneMapping() {
    long expected =
        synth.stack.topology().functions().stream()
            .flatMap(f -> f.triggers().stream())
            .filter(t -> !(t instanceof Trigger.HttpRoute))
            .count();
    assertEquals(expected, synth.resources("AWS::Lambda::EventSourceMapping").size());
  }

  @Test
  void sqsTriggersMapToTheAliasWithTheTopologysSettings() {
    int seen = 0;
    for (FunctionSpec spec : synth.stack.topology().functions()) {
      for (Trigger trigger : spec.triggers()) {
        if (trigger instanceof Trigger.SqsTrigger sqs) {
          String queue = synth.logicalId(synth.stack.queues().get(sqs.queueId()));
          JsonNode esm = mapping(spec, queue);
          assertEquals(sqs.batchSize(), esm.path("BatchSize").asInt());
          assertEquals(
              sqs.maxConcurrency(), esm.path("ScalingConfig").path("MaximumConcurrency").asInt());
          assertEquals(
              "[\"ReportBatchItemFailures\"]", esm.path("FunctionResponseTypes").toString());
          seen++;
        }
      }
    }
    assertFalse(seen == 0, "the topology has an SQS trigger");
  }

  @Test
  void streamTriggersMapToTheAliasWithTheTopologysSettings() {
    int seen = 0;
    for (FunctionSpec spec : synth.stack.topology().functions()) {
      for (Trigger trigger : spec.triggers()) {
        if (trigger instanceof Trigger.StreamTrigger stream) {
          String table = synth.logicalId(synth.stack.tables().get(stream.tableId()));
          JsonNode esm = mapping(spec, table);
          assertEquals(
              "StreamArn", esm.path("EventSourceArn").path("Fn::GetAtt").get(1).asText(), "stream");
          assertEquals(stream.batchSize(), esm.path("BatchSize").asInt());
          assertEquals(stream.startingPosition(), esm.path("StartingPosition").asText());
          assertEquals(stream.maximumRetryAttempts(), esm.path("MaximumRetryAttempts").asInt());
          assertEquals(
              stream.bisectBatchOnError(), esm.path("BisectBatchOnFunctionError").asBoolean());
          assertEquals(
              stream.maximumRecordAgeSeconds(), esm.path("MaximumRecordAgeInSeconds").asInt());
          assertEquals(
              "[\"ReportBatchItemFailures\"]", esm.path("FunctionResponseTypes").toString());
          JsonNode filters = esm.path("FilterCriteria").path("Filters");
          if (stream.filterPattern() == null) {
            assertEquals(0, filters.size());
          } else {
            assertEquals(1, filters.size());
            assertEquals(stream.filterPattern(), filters.get(0).path("Pattern").asText());
          }
          JsonNode destination =
              esm.path("DestinationConfig").path("OnFailure").path("Destination");
          if (stream.onFailureQueueId() == null) {
            assertFalse(esm.has("DestinationConfig"));
          } else {
            String parked = synth.logicalId(synth.stack.queues().get(stream.onFailureQueueId()));
            assertEquals(List.of(parked), Synth.referencedIds(destination), "on-failure queue");
            assertFalse(
                synth.resource(parked).path("Properties").path("FifoQueue").asBoolean(),
                "on-failure destination is a standard queue");
          }
          seen++;
        }
      }
    }
    assertFalse(seen == 0, "the topology has a stream trigger");
  }

  @Test
  void theProjectorSeesOnlyEventItems() {
    JsonNode esm =
        synth.resources("AWS::Lambda::EventSourceMapping").values().stream()
            .map(r -> r.path("Properties"))
            .filter(p -> p.has("StartingPosition"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "{\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[\"event\"]}}}}",
        esm.path("FilterCriteria").path("Filters").get(0).path("Pattern").asText());
  }

  /** The one mapping from {@code sourceId} to the alias of {@code spec}'s function. */
  private JsonNode mapping(FunctionSpec spec, String sourceId) {
    String alias = synth.logicalId(synth.stack.functions().get(spec.id()).alias());
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode esm : synth.resources("AWS::Lambda::EventSourceMapping").values()) {
      JsonNode props = esm.path("Properties");
      if (Synth.referencedIds(props.path("EventSourceArn")).contains(sourceId)
          && Synth.referencedIds(props.path("FunctionName")).equals(List.of(alias))) {
        found.add(props);
      }
    }
    assertEquals(1, found.size(), spec.id() + " mapping from " + sourceId + " to its alias");
    return found.get(0);
  }
}
