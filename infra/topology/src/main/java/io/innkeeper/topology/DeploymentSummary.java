package io.innkeeper.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a deployment runs, in one canonical, sorted shape: functions and their handlers, triggers
 * with every setting, routes with their authorization, tables and queues with the settings that
 * change behaviour. The CDK tests read it back from the synthesized template and the local
 * runtime's tests from what it actually started; both must equal {@link #of(Topology)}, so the two
 * renderings agree with each other.
 *
 * <p>Values are strings, numbers, booleans, lists and sorted maps only, so two summaries compare
 * with {@code equals} and print readably.
 */
public final class DeploymentSummary {
  private DeploymentSummary() {}

  /** The summary a correct rendering of {@code topology} must have. */
  public static Map<String, Object> of(Topology topology) {
    Map<String, Object> functions = new TreeMap<>();
    Map<String, Object> triggers = new TreeMap<>();
    Map<String, Object> routes = new TreeMap<>();
    for (FunctionSpec f : topology.functions()) {
      functions.put(f.id(), function(f.handler(), f.memoryMb(), f.timeoutSeconds()));
      List<Object> mine = new ArrayList<>();
      for (Trigger t : f.triggers()) {
        if (t instanceof Trigger.HttpRoute r) {
          routes.put(r.routeKey(), route(f.id(), r.authenticated()));
        } else if (t instanceof Trigger.SqsTrigger s) {
          mine.add(sqsTrigger(s.queueId(), s.batchSize(), s.maxConcurrency()));
        } else if (t instanceof Trigger.StreamTrigger s) {
          mine.add(
              streamTrigger(
                  s.tableId(),
                  s.batchSize(),
                  s.startingPosition(),
                  s.filterPattern(),
                  s.maximumRetryAttempts(),
                  s.bisectBatchOnError(),
                  s.maximumRecordAgeSeconds(),
                  s.onFailureQueueId()));
        }
      }
      if (!mine.isEmpty()) {
        triggers.put(f.id(), mine);
      }
    }
    Map<String, Object> tables = new TreeMap<>();
    for (TableSpec t : topology.tables()) {
      tables.put(
          t.id(),
          table(
              key(t.partitionKey().name(), t.partitionKey().type().name()),
              t.sortKey() == null ? null : key(t.sortKey().name(), t.sortKey().type().name()),
              t.stream().name(),
              t.ttlAttribute()));
    }
    Map<String, Object> queues = new TreeMap<>();
    for (QueueSpec q : topology.queues()) {
      queues.put(
          q.id(),
          queue(
              q.fifo(),
              q.visibilityTimeoutSeconds(),
              q.retentionSeconds(),
              q.deadLetter() == null ? null : q.deadLetter().queueId(),
              q.deadLetter() == null ? 0 : q.deadLetter().maxReceiveCount()));
    }
    Map<String, Object> topics = new TreeMap<>();
    for (TopicSpec t : topology.topics()) {
      topics.put(t.id(), topic(t.fifo(), t.contentBasedDeduplication()));
    }
    Map<String, Object> subscriptions = new TreeMap<>();
    for (SubscriptionSpec s : topology.subscriptions()) {
      subscriptions.put(
          s.queueId(), subscription(s.topicId(), s.rawMessageDelivery(), s.filterPolicy()));
    }
    return summary(functions, triggers, routes, tables, queues, topics, subscriptions);
  }

  /** The whole summary from its parts, without topics (a topology without an event bus). */
  public static Map<String, Object> summary(
      Map<String, Object> functions,
      Map<String, Object> triggers,
      Map<String, Object> routes,
      Map<String, Object> tables,
      Map<String, Object> queues) {
    return summary(functions, triggers, routes, tables, queues, Map.of(), Map.of());
  }

  /**
   * The whole summary from its parts (each keyed by topology id or route key; subscriptions by
   * their queue's id).
   */
  public static Map<String, Object> summary(
      Map<String, Object> functions,
      Map<String, Object> triggers,
      Map<String, Object> routes,
      Map<String, Object> tables,
      Map<String, Object> queues,
      Map<String, Object> topics,
      Map<String, Object> subscriptions) {
    Map<String, Object> all = new TreeMap<>();
    all.put("topics", new TreeMap<>(topics));
    all.put("subscriptions", new TreeMap<>(subscriptions));
    all.put("functions", new TreeMap<>(functions));
    all.put("triggers", new TreeMap<>(triggers));
    all.put("routes", new TreeMap<>(routes));
    all.put("tables", new TreeMap<>(tables));
    all.put("queues", new TreeMap<>(queues));
    return all;
  }

  public static Map<String, Object> function(String handler, int memoryMb, int timeoutSeconds) {
    return map("handler", handler, "memoryMb", memoryMb, "timeoutSeconds", timeoutSeconds);
  }

  public static Map<String, Object> route(String functionId, boolean authenticated) {
    return map("function", functionId, "authenticated", authenticated);
  }

  public static Map<String, Object> sqsTrigger(String queueId, int batchSize, int maxConcurrency) {
    return map("sqs", queueId, "batchSize", batchSize, "maxConcurrency", maxConcurrency);
  }

  public static Map<String, Object> streamTrigger(
      String tableId,
      int batchSize,
      String startingPosition,
      String filterPattern,
      int maximumRetryAttempts,
      boolean bisectBatchOnError,
      int maximumRecordAgeSeconds,
      String onFailureQueueId) {
    return map(
        "stream", tableId,
        "batchSize", batchSize,
        "startingPosition", startingPosition,
        "filterPattern", filterPattern,
        "maximumRetryAttempts", maximumRetryAttempts,
        "bisectBatchOnError", bisectBatchOnError,
        "maximumRecordAgeSeconds", maximumRecordAgeSeconds,
        "onFailureQueue", onFailureQueueId);
  }

  /** A key attribute as {@code name:TYPE}, e.g. {@code pk:S}. */
  public static String key(String name, String type) {
    return name + ":" + type;
  }

  public static Map<String, Object> table(
      String partitionKey, String sortKey, String streamView, String ttlAttribute) {
    return map(
        "partitionKey", partitionKey,
        "sortKey", sortKey,
        "stream", streamView,
        "ttl", ttlAttribute);
  }

  public static Map<String, Object> queue(
      boolean fifo,
      int visibilityTimeoutSeconds,
      int retentionSeconds,
      String deadLetterQueueId,
      int maxReceiveCount) {
    return map(
        "fifo", fifo,
        "visibilityTimeoutSeconds", visibilityTimeoutSeconds,
        "retentionSeconds", retentionSeconds,
        "deadLetter", deadLetterQueueId,
        "maxReceiveCount", maxReceiveCount);
  }

  public static Map<String, Object> topic(boolean fifo, boolean contentBasedDeduplication) {
    return map("fifo", fifo, "contentBasedDeduplication", contentBasedDeduplication);
  }

  /**
   * A subscription; the filter policy as its canonical JSON (parsed and written again), so two
   * renderings that space or order it differently still compare equal.
   */
  public static Map<String, Object> subscription(
      String topicId, boolean rawMessageDelivery, String filterPolicy) {
    return map(
        "topic",
        topicId,
        "rawMessageDelivery",
        rawMessageDelivery,
        "filterPolicy",
        filterPolicy == null ? null : canonical(io.innkeeper.events.Json.parse(filterPolicy)));
  }

  /** JSON with every object's keys sorted. */
  private static String canonical(Object value) {
    return io.innkeeper.events.Json.write(sorted(value));
  }

  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put((String) k, sorted(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(DeploymentSummary::sorted).toList();
    }
    return value;
  }

  /** A sorted map of the pairs whose value is not null. */
  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> m = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        m.put((String) pairs[i], pairs[i + 1]);
      }
    }
    return m;
  }
}
