package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.events.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Looks behind the API at the embedded servers: event streams in the events table, command
 * statuses, the command queue's depth, and the "a refused request enqueued and recorded nothing"
 * check.
 */
final class Backstage implements AutoCloseable {
  private final LocalRuntime runtime;
  private final DynamoDbClient ddb;
  private final SqsClient sqs;

  Backstage(LocalRuntime runtime) {
    this.runtime = runtime;
    this.ddb = LocalClients.dynamoDb(runtime);
    this.sqs = LocalClients.sqs(runtime);
  }

  DynamoDbClient dynamoDb() {
    return ddb;
  }

  SqsClient sqs() {
    return sqs;
  }

  String eventsTable() {
    return runtime.tableName("events");
  }

  /** An event read back: its version, stable type name and parsed data. */
  record Event(long sk, String type, Map<String, Object> data) {}

  /** Every item under one pk of the events table (events, heads, markers), strongly consistent. */
  List<Map<String, AttributeValue>> items(String pk) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    ddb.queryPaginator(
            b ->
                b.tableName(eventsTable())
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .consistentRead(true))
        .items()
        .forEach(items::add);
    return items;
  }

  /** The events of one stream ({@code kind = "event"}) in version order. */
  List<Event> events(String pk) {
    return items(pk).stream()
        .filter(i -> i.containsKey("kind") && "event".equals(i.get("kind").s()))
        .map(
            i ->
                new Event(
                    Long.parseLong(i.get("sk").n()),
                    i.get("type").s(),
                    Json.parseObject(i.get("data").s())))
        .sorted(Comparator.comparingLong(Event::sk))
        .toList();
  }

  /**
   * Whether the command's status says SUCCEEDED: the exactly-once marker, written in the append's
   * own transaction.
   */
  boolean succeeded(String commandId) {
    var item =
        ddb.getItem(
                b ->
                    b.tableName(runtime.tableName("commands"))
                        .key(Map.of("pk", AttributeValue.fromS("command#" + commandId)))
                        .consistentRead(true))
            .item();
    return item != null && item.containsKey("status") && "SUCCEEDED".equals(item.get("status").s());
  }

  Map<QueueAttributeName, String> commandQueueDepth() {
    return sqs.getQueueAttributes(
            b ->
                b.queueUrl(runtime.queueUrl("command-queue"))
                    .attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
  }

  /** No message waiting and none in flight on the command queue. */
  boolean commandQueueIdle() {
    return commandQueueDepth().values().stream().allMatch("0"::equals);
  }

  void awaitCommandQueueIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!commandQueueIdle()) {
      assertTrue(
          System.nanoTime() < deadline, "the command queue never drained: " + commandQueueDepth());
      sleep(25);
    }
  }

  long count(String tableId) {
    return ddb.scan(b -> b.tableName(runtime.tableName(tableId)).select(Select.COUNT)).count();
  }

  /**
   * Waits until earlier commands have left the queue, then counts command statuses: the baseline
   * for {@link #assertNothingEnqueued}.
   */
  long quietCommandCount(Duration timeout) {
    awaitCommandQueueIdle(timeout);
    return count("commands");
  }

  /** No new command status, and the command queue holds nothing (visible or in flight). */
  void assertNothingEnqueued(long commandsBefore) {
    assertEquals(commandsBefore, count("commands"), "a refused request recorded a command");
    var depth = commandQueueDepth();
    assertTrue(
        depth.values().stream().allMatch("0"::equals), "command queue is not empty: " + depth);
  }

  /**
   * A bad manual edit of the read side: overwrites the projector's watermark of {@code stream} with
   * {@code version}. The projector writes a stream's watermark after its rows, so a row readable
   * over the API does not mean the watermark is there yet: this waits up to 10 s for it.
   */
  void setWatermark(String stream, AttributeValue version) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        ddb.updateItem(
            b ->
                b.tableName(runtime.tableName("watermarks"))
                    .key(
                        Map.of(
                            "pk", AttributeValue.fromS(stream),
                            "sk", AttributeValue.fromS("projected")))
                    .updateExpression("SET v = :v")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":v", version)));
        return;
      } catch (ConditionalCheckFailedException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        sleep(25);
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    ddb.close();
    sqs.close();
  }
}
