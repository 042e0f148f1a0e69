package io.innkeeper.local.status;

import io.innkeeper.local.triggers.CheckpointStore;
import io.innkeeper.local.triggers.StreamPoller;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code GET /_local/status}: what an operator looks at first, in one answer. Queue depths (every
 * topology queue: the command queue, its dead-letter queue, the projector's parked queue), parked
 * records, where each stream poller has got to (checkpoint per shard), the projector's watermarks
 * and each projection's last applied event with its lag, and the last commands with their outcome.
 *
 * <p>Each part is read on its own: one that cannot be read says why in an {@code error} field and
 * the rest is still answered.
 */
public final class LocalStatus implements AutoCloseable {

  /** How many commands the status remembers. */
  public static final int RECENT_COMMANDS = 20;

  /** One stream event source mapping: its poller and its checkpoints. */
  public record StreamSource(
      String functionId, String tableId, StreamPoller poller, CheckpointStore checkpoints) {}

  private final Topology topology;
  private final SqsClient sqs;
  private final Function<String, String> queueUrls;
  private final DynamoDbClient dynamoDb;
  private final String watermarksTable;
  private final List<StreamSource> streams;
  private final Activity activity = new Activity(RECENT_COMMANDS);
  private final Map<String, String> topicArns;
  private final Map<String, String> subscriptionArns;

  /**
   * @param queueUrls the URL of a topology queue by id
   * @param watermarksTable the physical name of the projector's watermarks table, or {@code null}
   *     when the topology has none
   */
  public LocalStatus(
      Topology topology,
      SqsClient sqs,
      Function<String, String> queueUrls,
      DynamoDbClient dynamoDb,
      String watermarksTable,
      List<StreamSource> streams) {
    this(topology, sqs, queueUrls, dynamoDb, watermarksTable, streams, Map.of(), Map.of());
  }

  /**
   * @param topicArns the ARN of each topology topic, by id
   * @param subscriptionArns the ARN of each subscription, by its queue's id
   */
  public LocalStatus(
      Topology topology,
      SqsClient sqs,
      Function<String, String> queueUrls,
      DynamoDbClient dynamoDb,
      String watermarksTable,
      List<StreamSource> streams,
      Map<String, String> topicArns,
      Map<String, String> subscriptionArns) {
    this.topicArns = Map.copyOf(topicArns);
    this.subscriptionArns = Map.copyOf(subscriptionArns);
    this.topology = topology;
    this.sqs = sqs;
    this.queueUrls = queueUrls;
    this.dynamoDb = dynamoDb;
    this.watermarksTable = watermarksTable;
    this.streams = List.copyOf(streams);
  }

  /** The status now, as maps, lists, strings and numbers. */
  public Map<String, Object> snapshot() {
    Instant now = Instant.now();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("at", now.toString());
    status.put("queues", queues());
    Map<String, Object> parked = new LinkedHashMap<>();
    Map<String, Long> counts = ParkedRecords.counts();
    parked.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
    parked.put("byStream", counts);
    status.put("parkedRecords", parked);
    Map<String, Object> projections = new LinkedHashMap<>();
    projections.put("streams", streams());
    projections.put("watermarks", watermarks());
    projections.put("byProjection", activity.projections(now));
    status.put("projections", projections);
    status.put("eventBus", eventBus(now));
    status.put("recentCommands", activity.recentCommands());
    return status;
  }

  /**
   * The topic, each subscription with its queue's depth (and its dead letters'), the publisher's
   * progress and lag, and each subscriber service's.
   */
  private Map<String, Object> eventBus(Instant now) {
    Map<String, Object> bus = new LinkedHashMap<>();
    List<Object> topics = new ArrayList<>();
    for (var topic : topology.topics()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("id", topic.id());
      t.put("arn", topicArns.get(topic.id()));
      t.put("fifo", topic.fifo());
      List<Object> subscriptions = new ArrayList<>();
      for (var s : topology.subscriptions()) {
        if (!s.topicId().equals(topic.id())) {
          continue;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", s.queueId());
        m.put("subscriptionArn", subscriptionArns.get(s.queueId()));
        m.put("rawMessageDelivery", s.rawMessageDelivery());
        if (s.filterPolicy() != null) {
          m.put("filterPolicy", s.filterPolicy());
        }
        m.putAll(depth(s.queueId()));
        var spec = topology.queue(s.queueId());
        if (spec.deadLetter() != null) {
          Map<String, Object> dead = new LinkedHashMap<>(depth(spec.deadLetter().queueId()));
          dead.put("queue", spec.deadLetter().queueId());
          m.put("deadLetters", dead);
        }
        subscriptions.add(m);
      }
      t.put("subscriptions", subscriptions);
      topics.add(t);
    }
    bus.put("topics", topics);
    bus.put("publisher", activity.publisher(now));
    bus.put("subscribers", activity.subscribers(now));
    return bus;
  }

  private Map<String, Object> depth(String queueId) {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      Map<QueueAttributeName, String> a =
          sqs.getQueueAttributes(
                  r ->
                      r.queueUrl(queueUrls.apply(queueId))
                          .attributeNames(
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
              .attributes();
      m.put("visible", number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
      m.put("inFlight", number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    } catch (RuntimeException e) {
      m.put("error", e.toString());
    }
    return m;
  }

  private Map<String, Object> queues() {
    Map<String, Object> queues = new LinkedHashMap<>();
    for (QueueSpec q : topology.queues()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("role", topology.queueRole(q.id()));
      try {
        Map<QueueAttributeName, String> a =
            sqs.getQueueAttributes(
                    r ->
                        r.queueUrl(queueUrls.apply(q.id()))
                            .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        m.put("visible", number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        m.put("inFlight", number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        m.put("delayed", number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
      } catch (RuntimeException e) {
        m.put("error", e.toString());
      }
      queues.put(q.id(), m);
    }
    return queues;
  }

  private static long number(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    String v = attributes.get(name);
    return v == null ? 0 : Long.parseLong(v);
  }

  private List<Object> streams() {
    List<Object> out = new ArrayList<>();
    for (StreamSource s : streams) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("function", s.functionId());
      m.put("table", s.tableId());
      List<Object> shards = new ArrayList<>();
      s.poller()
          .shardStates()
          .forEach(
              (shard, state) -> {
                Map<String, Object> sh = new LinkedHashMap<>();
                sh.put("shardId", shard);
                sh.put("state", state);
                String checkpoint = s.checkpoints().sequence(shard);
                if (checkpoint != null) {
                  sh.put("checkpoint", checkpoint);
                }
                shards.add(sh);
              });
      m.put("shards", shards);
      out.add(m);
    }
    return out;
  }

  private Map<String, Object> watermarks() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (watermarksTable == null) {
      m.put("table", "none in this topology");
      return m;
    }
    m.put("table", watermarksTable);
    try {
      long count = 0;
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start = null;
      do {
        var from = start;
        var page =
            dynamoDb.scan(
                r -> r.tableName(watermarksTable).select(Select.COUNT).exclusiveStartKey(from));
        count += page.count();
        start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
      } while (start != null && !start.isEmpty());
      m.put("streams", count);
    } catch (RuntimeException e) {
      m.put("error", e.toString());
    }
    return m;
  }

  /** Stops gathering the functions' activity. */
  @Override
  public void close() {
    activity.close();
  }
}
