package io.innkeeper.local.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.local.lambda.FunctionInvoker;
import io.innkeeper.local.triggers.CheckpointStore;
import io.innkeeper.local.triggers.SqsPoller;
import io.innkeeper.local.triggers.StreamPoller;
import io.innkeeper.topology.Trigger.SqsTrigger;
import io.innkeeper.topology.Trigger.StreamTrigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.SequenceNumberRange;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The pollers' injection points against in-memory stand-ins for SQS and DynamoDB Streams, so each
 * fault's effect on deliveries, acknowledgements and checkpoints is seen exactly.
 */
class ChaosPollersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Chaos chaos(String spec) {
    return new Chaos(ChaosConfig.parse(spec));
  }

  private static void await(String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("gave up waiting: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // SQS

  /**
   * A queue as far as the poller uses one: a received message stays in flight until it is deleted
   * or made visible again (there is no visibility timeout), and counts its receives.
   */
  private static class FakeQueue implements SqsClient {
    final Map<String, Integer> receives = new LinkedHashMap<>();
    final Map<String, Boolean> visible = new LinkedHashMap<>();
    final List<String> deleted = new ArrayList<>();
    final List<String> madeVisible = new ArrayList<>();
    final ConcurrentLinkedQueue<Long> receivedAt = new ConcurrentLinkedQueue<>();

    FakeQueue(int messages) {
      for (int i = 1; i <= messages; i++) {
        receives.put("m" + i, 0);
        visible.put("m" + i, true);
      }
    }

    @Override
    public synchronized ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
      List<Message> batch = new ArrayList<>();
      for (var e : visible.entrySet()) {
        if (e.getValue() && batch.size() < request.maxNumberOfMessages()) {
          String id = e.getKey();
          int count = receives.merge(id, 1, Integer::sum);
          e.setValue(false);
          batch.add(
              Message.builder()
                  .messageId(id)
                  .receiptHandle(id + "#" + count)
                  .body("body of " + id)
                  .md5OfBody("x")
                  .attributes(
                      Map.of(
                          MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                          Integer.toString(count)))
                  .build());
        }
      }
      if (batch.isEmpty()) {
        try {
          wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        receivedAt.add(System.nanoTime());
      }
      return ReceiveMessageResponse.builder().messages(batch).build();
    }

    @Override
    public synchronized DeleteMessageBatchResponse deleteMessageBatch(
        DeleteMessageBatchRequest request) {
      request
          .entries()
          .forEach(
              e -> {
                String id = e.receiptHandle().split("#")[0];
                deleted.add(id);
                visible.remove(id);
              });
      return DeleteMessageBatchResponse.builder().build();
    }

    @Override
    public synchronized ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(
        ChangeMessageVisibilityBatchRequest request) {
      List<BatchResultErrorEntry> failed = new ArrayList<>();
      request
          .entries()
          .forEach(
              e -> {
                assertEquals(0, e.visibilityTimeout());
                String id = e.receiptHandle().split("#")[0];
                madeVisible.add(id);
                visible.put(id, true);
              });
      return ChangeMessageVisibilityBatchResponse.builder().failed(failed).build();
    }

    synchronized boolean drained() {
      return visible.isEmpty();
    }

    @Override
    public String serviceName() {
      return "sqs";
    }

    @Override
    public void close() {}
  }

  /** One invocation as the function saw it: message id and receive count, in order. */
  private record SqsCall(List<String> ids, List<Integer> receiveCounts, long at) {}

  private static JsonNode records(String event) {
    try {
      return JSON.readTree(event).get("Records");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<SqsCall> parseSqs(String event, long at) {
    JsonNode records = records(event);
    List<String> ids = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (JsonNode r : records) {
      ids.add(r.get("messageId").asText());
      counts.add(r.get("attributes").get("ApproximateReceiveCount").asInt());
    }
    return List.of(new SqsCall(ids, counts, at));
  }

  private static SqsPoller sqsPoller(
      FakeQueue queue, FunctionInvoker invoker, Chaos chaos, int batchSize) {
    return new SqsPoller(
        "fn",
        new SqsTrigger("q", batchSize, 1),
        "http://queue",
        "arn:aws:sqs:us-east-1:000000000000:q",
        queue,
        invoker,
        chaos,
        false);
  }

  @Test
  void a_duplicate_delivery_invokes_the_same_batch_twice_and_deletes_it_once() throws Exception {
    FakeQueue queue = new FakeQueue(7);
    ConcurrentLinkedQueue<SqsCall> calls = new ConcurrentLinkedQueue<>();
    Chaos chaos = chaos("seed=1,duplicate-delivery=1");
    try (SqsPoller poller =
        sqsPoller(
            queue,
            (fn, event) -> {
              calls.addAll(parseSqs(event, System.nanoTime()));
              return null;
            },
            chaos,
            3)) {
      poller.start();
      await("all deleted", queue::drained);
    }
    List<SqsCall> all = new ArrayList<>(calls);
    assertEquals(6, all.size(), "3 batches (3 + 3 + 1 messages), each twice: " + all);
    for (int i = 0; i < all.size(); i += 2) {
      assertEquals(all.get(i).ids(), all.get(i + 1).ids(), "the same batch again");
      assertEquals(all.get(i).receiveCounts(), all.get(i + 1).receiveCounts(), "one receive");
    }
    assertEquals(7, queue.deleted.size(), "each message deleted once: " + queue.deleted);
    assertEquals(3L, chaos.injected().get(Fault.DUPLICATE_DELIVERY));
  }

  @Test
  void a_duplicate_acknowledges_what_either_delivery_processed() throws Exception {
    FakeQueue queue = new FakeQueue(2);
    AtomicInteger invocations = new AtomicInteger();
    Chaos chaos = chaos("seed=1,duplicate-delivery=1");
    try (SqsPoller poller =
        sqsPoller(
            queue,
            (fn, event) -> {
              // The first delivery fails m2, the duplicate processes both.
              return invocations.incrementAndGet() == 1
                  ? "{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}"
                  : "{}";
            },
            chaos,
            10)) {
      poller.start();
      await("both deleted", queue::drained);
    }
    assertEquals(List.of("m1", "m2"), queue.deleted);
    assertEquals(2, invocations.get());
  }

  @Test
  void a_crash_before_the_ack_brings_the_processed_messages_back_with_a_higher_receive_count()
      throws Exception {
    FakeQueue queue = new FakeQueue(5);
    ConcurrentLinkedQueue<SqsCall> calls = new ConcurrentLinkedQueue<>();
    Chaos chaos = chaos("seed=4,crash-before-ack=0.6");
    try (SqsPoller poller =
        sqsPoller(
            queue,
            (fn, event) -> {
              calls.addAll(parseSqs(event, System.nanoTime()));
              return null;
            },
            chaos,
            2)) {
      poller.start();
      await("all deleted", queue::drained);
    }
    long crashes = chaos.injected().get(Fault.CRASH_BEFORE_ACK);
    assertTrue(crashes > 0, "seed 4 at 0.6 crashes at least once");
    List<SqsCall> all = new ArrayList<>(calls);
    // Every invocation ended in a crash or in deleting its batch.
    long acked = all.size() - crashes;
    assertEquals(5, queue.deleted.size());
    Map<String, List<Integer>> seen = new LinkedHashMap<>();
    for (SqsCall c : all) {
      for (int i = 0; i < c.ids().size(); i++) {
        seen.computeIfAbsent(c.ids().get(i), k -> new ArrayList<>()).add(c.receiveCounts().get(i));
      }
    }
    int redeliveries = 0;
    for (var e : seen.entrySet()) {
      List<Integer> counts = e.getValue();
      for (int i = 0; i < counts.size(); i++) {
        assertEquals(i + 1, counts.get(i), "receive counts of " + e.getKey() + ": " + counts);
      }
      redeliveries += counts.size() - 1;
    }
    assertTrue(redeliveries > 0);
    assertEquals(queue.madeVisible.size(), redeliveries, "each crash brought its batch back");
    assertTrue(acked >= 3, "5 messages in batches of 2 need 3 acks at least: " + acked);
  }

  @Test
  void a_crash_brings_back_only_what_the_function_processed() throws Exception {
    FakeQueue queue = new FakeQueue(3);
    AtomicInteger invocations = new AtomicInteger();
    Chaos chaos = chaos("seed=1,crash-before-ack=1");
    try (SqsPoller poller =
        sqsPoller(
            queue,
            (fn, event) -> {
              invocations.incrementAndGet();
              return "{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"},"
                  + "{\"itemIdentifier\":\"m3\"}]}";
            },
            chaos,
            10)) {
      poller.start();
      await("a crash", () -> chaos.injected().get(Fault.CRASH_BEFORE_ACK) >= 1);
    }
    synchronized (queue) {
      assertTrue(queue.deleted.isEmpty(), "nothing acknowledged: " + queue.deleted);
      assertEquals("m1", queue.madeVisible.get(0), "failed messages keep their visibility");
      assertTrue(queue.madeVisible.stream().allMatch("m1"::equals), queue.madeVisible.toString());
    }
  }

  @Test
  void a_slow_consumer_waits_before_invoking() throws Exception {
    FakeQueue queue = new FakeQueue(1);
    ConcurrentLinkedQueue<SqsCall> calls = new ConcurrentLinkedQueue<>();
    Chaos chaos = chaos("seed=1,slow-consumer=1,slow-millis=150");
    try (SqsPoller poller =
        sqsPoller(
            queue,
            (fn, event) -> {
              calls.addAll(parseSqs(event, System.nanoTime()));
              return null;
            },
            chaos,
            10)) {
      poller.start();
      await("deleted", queue::drained);
    }
    long waited = (calls.peek().at() - queue.receivedAt.peek()) / 1_000_000;
    assertTrue(waited >= 150, "invoked " + waited + " ms after the receive");
    assertEquals(1L, chaos.injected().get(Fault.SLOW_CONSUMER));
  }

  @Test
  void without_chaos_nothing_is_injected() throws Exception {
    FakeQueue queue = new FakeQueue(4);
    AtomicInteger invocations = new AtomicInteger();
    Chaos chaos = chaos("seed=1");
    try (SqsPoller poller =
        sqsPoller(
            queue,
            (fn, event) -> {
              invocations.incrementAndGet();
              return null;
            },
            chaos,
            2)) {
      poller.start();
      await("deleted", queue::drained);
    }
    assertEquals(2, invocations.get());
    assertTrue(queue.madeVisible.isEmpty());
    assertEquals(0L, chaos.injected().values().stream().mapToLong(Long::longValue).sum());
  }

  // -----------------------------------------------------------------------------------------------
  // DynamoDB Streams

  private static final String STREAM_ARN =
      "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000";
  private static final String SHARD = "shardId-00000000000000000001-00000001";

  /** One closed shard of {@code n} records; iterators are positions in it. */
  private static final class FakeStream implements DynamoDbStreamsClient {
    final List<Record> records = new ArrayList<>();

    FakeStream(int n) {
      for (int i = 0; i < n; i++) {
        records.add(
            Record.builder()
                .eventID("e" + i)
                .eventName(OperationType.INSERT)
                .dynamodb(
                    StreamRecord.builder()
                        .sequenceNumber(seq(i))
                        .keys(Map.of("pk", AttributeValue.fromS("k" + i)))
                        .newImage(Map.of("pk", AttributeValue.fromS("k" + i)))
                        .approximateCreationDateTime(Instant.now())
                        .streamViewType(StreamViewType.NEW_IMAGE)
                        .build())
                .build());
      }
    }

    static String seq(int i) {
      return String.format("%021d", 1000 + i);
    }

    static int index(String seq) {
      return Integer.parseInt(seq) - 1000;
    }

    @Override
    public DescribeStreamResponse describeStream(DescribeStreamRequest request) {
      return DescribeStreamResponse.builder()
          .streamDescription(
              StreamDescription.builder()
                  .streamArn(STREAM_ARN)
                  .shards(
                      Shard.builder()
                          .shardId(SHARD)
                          .sequenceNumberRange(
                              SequenceNumberRange.builder()
                                  .startingSequenceNumber(seq(0))
                                  .endingSequenceNumber(seq(records.size() - 1))
                                  .build())
                          .build())
                  .build())
          .build();
    }

    @Override
    public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
      int position =
          request.shardIteratorType() == ShardIteratorType.AFTER_SEQUENCE_NUMBER
              ? index(request.sequenceNumber()) + 1
              : 0;
      return GetShardIteratorResponse.builder().shardIterator(Integer.toString(position)).build();
    }

    @Override
    public GetRecordsResponse getRecords(GetRecordsRequest request) {
      int from = Integer.parseInt(request.shardIterator());
      int to = Math.min(records.size(), from + request.limit());
      return GetRecordsResponse.builder()
          .records(records.subList(from, to))
          .nextShardIterator(to >= records.size() ? null : Integer.toString(to))
          .build();
    }

    @Override
    public String serviceName() {
      return "streams";
    }

    @Override
    public void close() {}
  }

  /** Counts what would be parked. */
  private static final class ParkingLot extends FakeQueue {
    final AtomicInteger parked = new AtomicInteger();

    ParkingLot() {
      super(0);
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
      parked.incrementAndGet();
      return SendMessageResponse.builder().messageId("p").build();
    }
  }

  /** One stream invocation: the record indexes it held, and the checkpoint when it came. */
  private record StreamCall(List<Integer> indexes, Integer checkpointBefore) {}

  @Test
  void crashes_and_redeliveries_replay_records_without_gaps_or_parking_and_checkpoints_hold()
      throws Exception {
    int n = 30;
    int batchSize = 4;
    FakeStream stream = new FakeStream(n);
    ParkingLot parking = new ParkingLot();
    CheckpointStore checkpoints = CheckpointStore.inMemory(STREAM_ARN);
    List<StreamCall> calls = new ArrayList<>();
    Chaos chaos = chaos("seed=5,projector-crash=0.3,stream-redelivery=0.3");
    // No retries, no bisection: a crash or redelivery taken for the function's failure would park.
    StreamTrigger trigger =
        new StreamTrigger("t", batchSize, "TRIM_HORIZON", null, 0, false, -1, "p");
    try (StreamPoller poller =
        new StreamPoller(
            "projector",
            trigger,
            STREAM_ARN,
            stream,
            parking,
            "http://parked",
            (fn, event) -> {
              List<Integer> indexes = new ArrayList<>();
              for (JsonNode r : records(event)) {
                indexes.add(FakeStream.index(r.get("dynamodb").get("SequenceNumber").asText()));
              }
              String cp = checkpoints.sequence(SHARD);
              synchronized (calls) {
                calls.add(new StreamCall(indexes, cp == null ? null : FakeStream.index(cp)));
              }
              return null;
            },
            checkpoints,
            chaos)) {
      poller.start();
      await("the shard is done", () -> checkpoints.isFinished(SHARD));
    }
    long crashes = chaos.injected().get(Fault.PROJECTOR_CRASH);
    long redeliveries = chaos.injected().get(Fault.STREAM_REDELIVERY);
    assertTrue(crashes > 0 && redeliveries > 0, chaos.injected().toString());
    assertEquals(0, parking.parked.get(), "nothing parked");
    assertEquals(FakeStream.seq(n - 1), checkpoints.sequence(SHARD));
    assertEquals(
        (n + batchSize - 1) / batchSize + crashes + redeliveries,
        calls.size(),
        "one invocation per batch, plus one per crash and one per redelivery");

    int highest = -1;
    Integer lastCheckpoint = null;
    boolean replayed = false;
    for (StreamCall c : calls) {
      List<Integer> ix = c.indexes();
      for (int i = 1; i < ix.size(); i++) {
        assertEquals(ix.get(i - 1) + 1, ix.get(i), "records in order, none skipped: " + ix);
      }
      assertTrue(
          ix.get(0) <= highest + 1, "no gap before " + ix + " (highest so far " + highest + ")");
      replayed |= ix.get(0) <= highest;
      if (c.checkpointBefore() == null) {
        assertNull(lastCheckpoint, "the checkpoint never goes back");
      } else {
        assertTrue(
            lastCheckpoint == null || c.checkpointBefore() >= lastCheckpoint,
            "the checkpoint never goes back");
        assertTrue(
            c.checkpointBefore() < ix.get(0), "a record delivered is not yet checkpointed: " + c);
        lastCheckpoint = c.checkpointBefore();
      }
      highest = Math.max(highest, ix.get(ix.size() - 1));
    }
    assertTrue(replayed, "records were delivered again");
    assertEquals(n - 1, highest);
  }

  @Test
  void a_slow_projector_waits_and_nothing_else_changes() throws Exception {
    FakeStream stream = new FakeStream(3);
    CheckpointStore checkpoints = CheckpointStore.inMemory(STREAM_ARN);
    AtomicInteger invocations = new AtomicInteger();
    Chaos chaos = chaos("seed=1,slow-consumer=1,slow-millis=100");
    StreamTrigger trigger = new StreamTrigger("t", 10, "TRIM_HORIZON", null, 0, false, -1, null);
    long started = System.nanoTime();
    try (StreamPoller poller =
        new StreamPoller(
            "projector",
            trigger,
            STREAM_ARN,
            stream,
            new ParkingLot(),
            null,
            (fn, event) -> {
              invocations.incrementAndGet();
              return null;
            },
            checkpoints,
            chaos)) {
      poller.start();
      await("the shard is done", () -> checkpoints.isFinished(SHARD));
    }
    assertTrue((System.nanoTime() - started) / 1_000_000 >= 100);
    assertEquals(1, invocations.get());
    assertEquals(1L, chaos.injected().get(Fault.SLOW_CONSUMER));
  }
}
