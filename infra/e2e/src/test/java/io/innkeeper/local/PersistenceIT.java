package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.probe.Probes;
import io.innkeeper.local.probe.Probes.StreamCall;
import io.innkeeper.local.probe.StreamProbeHandler;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.TableSpec.AttributeType;
import io.innkeeper.topology.TableSpec.KeyAttribute;
import io.innkeeper.topology.TableSpec.Role;
import io.innkeeper.topology.TableSpec.StreamView;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** With a data directory, tables, queued messages and stream checkpoints survive a restart. */
class PersistenceIT {

  private static final String FUNCTION = "innkeeper-persist-probe";

  private static Topology topology() {
    return new Topology(
        List.of(
            new TableSpec(
                "items",
                Role.RECORD,
                new KeyAttribute("pk", AttributeType.S),
                new KeyAttribute("sk", AttributeType.N),
                StreamView.NEW_IMAGE,
                "expiresAt",
                List.of(
                    new TableSpec.IndexSpec(
                        "by-kind", new KeyAttribute("kind", AttributeType.S), null)))),
        List.of(new QueueSpec("keep", true, 30, 3600, null)),
        List.of(
            new FunctionSpec(
                "persist-probe",
                StreamProbeHandler.class.getName(),
                256,
                10,
                Map.of(),
                List.of(
                    new Trigger.StreamTrigger(
                        "items", 10, "TRIM_HORIZON", null, 0, false, -1, null)),
                List.of())));
  }

  @Test
  void restartKeepsDataAndResumesTheStream(@TempDir Path dataDir) throws Exception {
    LocalOptions options = new LocalOptions(topology(), 0, dataDir, false);
    try (LocalRuntime first = LocalRuntime.start(options);
        var dynamoDb = LocalAws.dynamoDb(first.dynamoDbEndpoint());
        var sqs = LocalAws.sqs(first.sqsEndpoint())) {
      for (int i = 1; i <= 3; i++) {
        put(dynamoDb, first.tableName("items"), i);
      }
      sqs.sendMessage(
          r ->
              r.queueUrl(first.queueUrl("keep"))
                  .messageBody("still here")
                  .messageGroupId("g")
                  .messageDeduplicationId("d1"));
      EventSourcesIT.await(Duration.ofSeconds(10), () -> seen("items/3") == 1);
    }
    assertTrue(Files.list(dataDir.resolve("stream-checkpoints")).findAny().isPresent());

    try (LocalRuntime second = LocalRuntime.start(options);
        var dynamoDb = LocalAws.dynamoDb(second.dynamoDbEndpoint());
        var sqs = LocalAws.sqs(second.sqsEndpoint())) {
      var kept =
          dynamoDb.getItem(
              r ->
                  r.tableName(second.tableName("items"))
                      .key(
                          Map.of(
                              "pk",
                              AttributeValue.fromS("items"),
                              "sk",
                              AttributeValue.fromN("2"))));
      assertTrue(kept.hasItem(), "item lost across the restart");
      put(dynamoDb, second.tableName("items"), 4);
      EventSourcesIT.await(Duration.ofSeconds(10), () -> seen("items/4") == 1);
      for (int i = 1; i <= 3; i++) {
        assertEquals(1, seen("items/" + i), "items/" + i + " replayed after the restart");
      }
      List<Message> messages =
          sqs.receiveMessage(r -> r.queueUrl(second.queueUrl("keep")).waitTimeSeconds(2))
              .messages();
      assertEquals(List.of("still here"), messages.stream().map(Message::body).toList());
      assertEquals(
          "ENABLED",
          dynamoDb
              .describeTimeToLive(r -> r.tableName(second.tableName("items")))
              .timeToLiveDescription()
              .timeToLiveStatusAsString());
    }
  }

  private static void put(
      software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb, String table, int sk) {
    dynamoDb.putItem(
        r ->
            r.tableName(table)
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS("items"),
                        "sk", AttributeValue.fromN(String.valueOf(sk)),
                        "kind", AttributeValue.fromS("event"))));
  }

  private static long seen(String id) {
    return Probes.STREAM.stream()
        .filter(c -> c.function().equals(FUNCTION))
        .map(StreamCall::ids)
        .filter(ids -> ids.contains(id))
        .count();
  }
}
