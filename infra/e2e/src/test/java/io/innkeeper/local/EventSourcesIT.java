package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.local.probe.Probes;
import io.innkeeper.local.probe.Probes.SqsDelivery;
import io.innkeeper.local.probe.Probes.StreamCall;
import io.innkeeper.local.probe.SqsProbeHandler;
import io.innkeeper.local.probe.StreamProbeHandler;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.TableSpec.AttributeType;
import io.innkeeper.topology.TableSpec.KeyAttribute;
import io.innkeeper.topology.TableSpec.Role;
import io.innkeeper.topology.TableSpec.StreamView;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The event source mappings against the real emulators, with probe handlers: SQS partial batch
 * responses, redelivery and the dead-letter queue; stream order, filtering, retry from the failed
 * record, bisection and parking.
 */
class EventSourcesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EVENTS_ONLY =
      "{\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[\"event\"]}}}}";

  private static LocalRuntime runtime;
  private static DynamoDbClient dynamoDb;
  private static SqsClient sqs;

  static Topology topology() {
    var pk = new KeyAttribute("pk", AttributeType.S);
    var sk = new KeyAttribute("sk", AttributeType.N);
    return new Topology(
        List.of(
            new TableSpec("orders", Role.RECORD, pk, sk, StreamView.NEW_IMAGE, null, List.of()),
            new TableSpec("poison", Role.RECORD, pk, sk, StreamView.NEW_IMAGE, null, List.of())),
        List.of(
            new QueueSpec("work", false, 1, 3600, new QueueSpec.DeadLetter("work-dlq", 3)),
            new QueueSpec("work-dlq", false, 30, 3600, null),
            new QueueSpec("parked", false, 30, 3600, null),
            new QueueSpec("parked-poison", false, 30, 3600, null)),
        List.of(
            new FunctionSpec(
                "sqs-probe",
                SqsProbeHandler.class.getName(),
                256,
                10,
                Map.of(
                    "PARKED_QUEUE_URL", new EnvValue.QueueUrl("parked"),
                    "ORDERS_TABLE", new EnvValue.TableName("orders"),
                    "GREETING", new EnvValue.Literal("hello")),
                List.of(new Trigger.SqsTrigger("work", 10, 2)),
                List.of()),
            new FunctionSpec(
                "orders-probe",
                StreamProbeHandler.class.getName(),
                256,
                10,
                Map.of(),
                List.of(
                    new Trigger.StreamTrigger(
                        "orders", 4, "TRIM_HORIZON", EVENTS_ONLY, 2, false, 3600, "parked")),
                List.of()),
            new FunctionSpec(
                "poison-probe",
                StreamProbeHandler.class.getName(),
                256,
                10,
                Map.of(),
                List.of(
                    new Trigger.StreamTrigger(
                        "poison", 10, "TRIM_HORIZON", null, 1, true, 3600, "parked-poison")),
                List.of())));
  }

  @BeforeAll
  static void start() throws Exception {
    runtime = LocalRuntime.start(new LocalOptions(topology(), 0, null, false));
    dynamoDb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint());
    sqs = LocalAws.sqs(runtime.sqsEndpoint());
  }

  @AfterAll
  static void stop() {
    if (dynamoDb != null) {
      dynamoDb.close();
      sqs.close();
    }
    if (runtime != null) {
      runtime.close();
      runtime.close();
    }
  }

  @Test
  void functionsSeeTheirResolvedEnvironment() throws Exception {
    // The probe's constructor runs at latest with the first SQS invocation; prewarm may beat it.
    await(Duration.ofSeconds(10), () -> Probes.ENVIRONMENT.containsKey("GREETING"));
    assertEquals(runtime.queueUrl("parked"), Probes.ENVIRONMENT.get("PARKED_QUEUE_URL"));
    assertEquals("innkeeper-orders", Probes.ENVIRONMENT.get("ORDERS_TABLE"));
    assertEquals("hello", Probes.ENVIRONMENT.get("GREETING"));
    assertEquals("innkeeper-orders", runtime.tableName("orders"));
    assertTrue(runtime.queueUrl("parked").endsWith("/innkeeper-parked"));
  }

  @Test
  void sqsHonoursPartialBatchResponsesAndDeadLetters() throws Exception {
    List<String> bodies =
        List.of("ok-1", "ok-2", "ok-3", "ok-4", "ok-5", "fail-once-1", "poison-1", "throw-once-1");
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      entries.add(
          SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies.get(i)).build());
    }
    assertTrue(
        sqs.sendMessageBatch(r -> r.queueUrl(runtime.queueUrl("work")).entries(entries))
            .failed()
            .isEmpty());

    // The poison message reaches the dead-letter queue after maxReceiveCount (3) receives.
    List<Message> dead = new ArrayList<>();
    await(
        Duration.ofSeconds(20),
        () -> {
          dead.addAll(
              sqs.receiveMessage(r -> r.queueUrl(runtime.queueUrl("work-dlq")).waitTimeSeconds(1))
                  .messages());
          return !dead.isEmpty();
        });
    assertEquals(List.of("poison-1"), dead.stream().map(Message::body).toList());
    await(Duration.ofSeconds(10), () -> succeeded("fail-once-1") && succeeded("throw-once-1"));
    // A message that is not deleted comes back after the 1 s visibility timeout: wait past it.
    Thread.sleep(2_500);

    Map<String, List<SqsDelivery>> byBody = new HashMap<>();
    Probes.SQS.forEach(d -> byBody.computeIfAbsent(d.body(), b -> new ArrayList<>()).add(d));
    assertEquals(Set.copyOf(bodies), byBody.keySet());
    for (String body : bodies) {
      List<SqsDelivery> deliveries = byBody.get(body);
      if (body.startsWith("poison")) {
        assertEquals(
            List.of(1, 2, 3),
            deliveries.stream().map(SqsDelivery::receiveCount).toList(),
            "poison receives");
        continue;
      }
      // Every delivery but the last one failed; the last one succeeded and the message was deleted.
      for (int i = 0; i < deliveries.size(); i++) {
        boolean last = i == deliveries.size() - 1;
        assertEquals(
            last, succeeded(deliveries.get(i)), body + " delivery " + i + ": " + deliveries);
        assertEquals(i + 1, deliveries.get(i).receiveCount(), body + " receive count");
      }
    }
    assertEquals(2, byBody.get("fail-once-1").size());
    assertEquals(2, byBody.get("throw-once-1").size());
    // Everything that shared an invocation with the throw came back, not only the culprit.
    Set<Integer> threw = new LinkedHashSet<>();
    Probes.SQS.stream().filter(SqsDelivery::threw).forEach(d -> threw.add(d.invocation()));
    assertFalse(threw.isEmpty());
    for (SqsDelivery d : Probes.SQS) {
      if (threw.contains(d.invocation()) && !d.body().startsWith("poison")) {
        assertTrue(byBody.get(d.body()).size() > d.receiveCount(), d + " was not redelivered");
      }
    }
    assertTrue(
        Probes.SQS_ATTRIBUTE_NAMES.containsAll(
            List.of(
                "ApproximateReceiveCount",
                "SentTimestamp",
                "SenderId",
                "ApproximateFirstReceiveTimestamp")),
        Probes.SQS_ATTRIBUTE_NAMES.toString());
    int containers =
        runtime.functions() instanceof io.innkeeper.local.lambda.FunctionHost host
            ? host.containersStarted().get("sqs-probe")
            : -1;
    assertTrue(containers >= 1 && containers <= 2, "containers: " + containers);
  }

  private static boolean succeeded(String body) {
    return Probes.SQS.stream().anyMatch(d -> d.body().equals(body) && succeeded(d));
  }

  private static boolean succeeded(SqsDelivery d) {
    String body = d.body();
    return !d.threw()
        && !body.startsWith("poison")
        && !(body.startsWith("fail-once") && d.receiveCount() == 1);
  }

  @Test
  void streamDeliversInOrderFiltersAndRetriesFromTheFailedRecord() throws Exception {
    // 1..12 in write order; 3 and 8 are not events (filtered out); 6 fails once.
    for (int i = 1; i <= 12; i++) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("pk", AttributeValue.fromS("order"));
      item.put("sk", AttributeValue.fromN(String.valueOf(i)));
      item.put("kind", AttributeValue.fromS(i == 3 || i == 8 ? "head" : "event"));
      if (i == 6) {
        item.put("behavior", AttributeValue.fromS("fail-once"));
      }
      dynamoDb.putItem(r -> r.tableName(runtime.tableName("orders")).item(item));
    }
    await(Duration.ofSeconds(15), () -> delivered("innkeeper-orders-probe").contains("order/12"));

    List<StreamCall> calls = calls("innkeeper-orders-probe");
    List<String> expected =
        IntStream.rangeClosed(1, 12)
            .filter(i -> i != 3 && i != 8)
            .mapToObj(i -> "order/" + i)
            .toList();
    assertEquals(expected, delivered("innkeeper-orders-probe"), "delivered in order: " + calls);
    calls.forEach(c -> assertTrue(c.ids().size() <= 4, "batch size: " + c));
    assertFalse(
        calls.stream().anyMatch(c -> c.ids().contains("order/3") || c.ids().contains("order/8")),
        "filtered records reached the function: " + calls);

    // The failed invocation's records before order/6 are done; the retry starts at order/6.
    int failedAt = -1;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).outcome().startsWith("failed:")) {
        assertEquals(-1, failedAt, "failed more than once: " + calls);
        failedAt = i;
      }
    }
    assertTrue(failedAt >= 0, "no partial failure seen: " + calls);
    StreamCall failed = calls.get(failedAt);
    int index = failed.ids().indexOf("order/6");
    assertEquals(
        failed.sequenceNumbers().get(index), failed.outcome().substring("failed:".length()));
    StreamCall retry = calls.get(failedAt + 1);
    assertEquals("order/6", retry.ids().get(0), "retry: " + calls);
    for (String before : failed.ids().subList(0, index)) {
      assertEquals(1, calls.stream().filter(c -> c.ids().contains(before)).count(), before);
    }
    assertTrue(
        sqs.receiveMessage(r -> r.queueUrl(runtime.queueUrl("parked")).waitTimeSeconds(1))
            .messages()
            .isEmpty());
  }

  @Test
  void streamBisectsAFailingBatchAndParksThePoisonRecord() throws Exception {
    // One transaction, so the records are visible together and arrive as one batch.
    List<TransactWriteItem> writes = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("pk", AttributeValue.fromS("p"));
      item.put("sk", AttributeValue.fromN(String.valueOf(i)));
      if (i == 4) {
        item.put("behavior", AttributeValue.fromS("poison"));
      }
      writes.add(
          TransactWriteItem.builder()
              .put(p -> p.tableName(runtime.tableName("poison")).item(item))
              .build());
    }
    dynamoDb.transactWriteItems(r -> r.transactItems(writes));

    List<Message> parked = new ArrayList<>();
    await(
        Duration.ofSeconds(20),
        () -> {
          parked.addAll(
              sqs.receiveMessage(
                      r -> r.queueUrl(runtime.queueUrl("parked-poison")).waitTimeSeconds(1))
                  .messages());
          return !parked.isEmpty();
        });
    await(Duration.ofSeconds(10), () -> delivered("innkeeper-poison-probe").contains("p/8"));

    List<StreamCall> calls = calls("innkeeper-poison-probe");
    assertEquals(
        List.of("p/1", "p/2", "p/3", "p/5", "p/6", "p/7", "p/8"),
        delivered("innkeeper-poison-probe"),
        calls.toString());
    for (String id : List.of("p/1", "p/2", "p/3", "p/5", "p/6", "p/7", "p/8")) {
      assertEquals(
          1,
          calls.stream().filter(c -> c.outcome().equals("ok") && c.ids().contains(id)).count(),
          id + " processed more than once: " + calls);
    }
    List<StreamCall> withPoison = calls.stream().filter(c -> c.ids().contains("p/4")).toList();
    assertTrue(withPoison.get(0).ids().size() > 1, "first batch was not split: " + calls);
    for (int i = 1; i < withPoison.size(); i++) {
      assertTrue(
          withPoison.get(i).ids().size() <= withPoison.get(i - 1).ids().size(),
          "batches holding the poison must shrink: " + calls);
    }
    // maximumRetryAttempts = 1: the poison alone is tried twice, then parked.
    assertEquals(
        2,
        withPoison.stream().filter(c -> c.ids().equals(List.of("p/4"))).count(),
        calls.toString());

    assertEquals(1, parked.size());
    JsonNode record = JSON.readTree(parked.get(0).body());
    String poisonSeq =
        withPoison.get(0).sequenceNumbers().get(withPoison.get(0).ids().indexOf("p/4"));
    JsonNode info = record.get("DDBStreamBatchInfo");
    assertEquals(poisonSeq, info.get("startSequenceNumber").asText());
    assertEquals(poisonSeq, info.get("endSequenceNumber").asText());
    assertEquals(1, info.get("batchSize").asInt());
    assertTrue(info.get("shardId").asText().startsWith("shardId-"));
    String streamArn =
        dynamoDb
            .describeTable(r -> r.tableName(runtime.tableName("poison")))
            .table()
            .latestStreamArn();
    assertEquals(streamArn, info.get("streamArn").asText());
    assertTrue(info.hasNonNull("approximateArrivalOfFirstRecord"));
    assertEquals("RetryAttemptsExhausted", record.at("/requestContext/condition").asText());
    assertEquals(
        "arn:aws:lambda:us-east-1:000000000000:function:innkeeper-poison-probe",
        record.at("/requestContext/functionArn").asText());
    assertEquals("Unhandled", record.at("/responseContext/functionError").asText());
    assertEquals("1.0", record.get("version").asText());
  }

  private static List<StreamCall> calls(String function) {
    return Probes.STREAM.stream().filter(c -> c.function().equals(function)).toList();
  }

  /** Ids in the order the function first processed them successfully. */
  private static List<String> delivered(String function) {
    Set<String> done = new LinkedHashSet<>();
    for (StreamCall call : calls(function)) {
      if (call.outcome().equals("threw")) {
        continue;
      }
      for (int i = 0; i < call.ids().size(); i++) {
        if (call.outcome().equals("failed:" + call.sequenceNumbers().get(i))) {
          break;
        }
        done.add(call.ids().get(i));
      }
    }
    return List.copyOf(done);
  }

  static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  @SuppressWarnings("unused")
  private static String describe(List<StreamCall> calls) {
    return calls.stream().map(StreamCall::toString).collect(Collectors.joining("\n"));
  }
}
