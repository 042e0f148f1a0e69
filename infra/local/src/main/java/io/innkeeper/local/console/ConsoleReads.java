package io.innkeeper.local.console;

import io.innkeeper.core.eventstore.DynamoEventStore;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.local.sns.LocalSns;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Everything the console reads from the runtime's servers itself, in one place: the depth of each
 * queue (the topology's, and any queue subscribed to the event bus), and the events of the record
 * (for an aggregate's history). The rest of what it shows it has observed, not read.
 */
final class ConsoleReads {

  private final Topology topology;
  private final SqsClient sqs;
  private final DynamoDbClient ddb;
  private final String eventsTable;
  private final Function<String, String> queueUrls;
  private final Function<String, String> queueArns;
  private final LocalSns sns;

  /**
   * @param queueUrls the URL of a topology queue by id
   * @param queueArns the ARN of a topology queue by id
   * @param sns the event bus, or {@code null} when the runtime has none
   */
  ConsoleReads(
      Topology topology,
      SqsClient sqs,
      DynamoDbClient ddb,
      String eventsTable,
      Function<String, String> queueUrls,
      Function<String, String> queueArns,
      LocalSns sns) {
    this.topology = topology;
    this.sqs = sqs;
    this.ddb = ddb;
    this.eventsTable = eventsTable;
    this.queueUrls = queueUrls;
    this.queueArns = queueArns;
    this.sns = sns;
  }

  /** A queue the console shows: its id (or name), what it is for, and its URL. */
  record Queue(String id, String role, String kind, String url) {}

  /** The topology's queues, then the queues subscribed to the bus that are not among them. */
  List<Queue> queues() {
    List<Queue> queues = new ArrayList<>();
    for (QueueSpec q : topology.queues()) {
      queues.add(new Queue(q.id(), topology.queueRole(q.id()), kind(q), queueUrls.apply(q.id())));
    }
    if (sns != null) {
      for (LocalSns.SubscriptionInfo s : sns.subscriptions()) {
        String name = name(s.endpoint());
        boolean known = queues.stream().anyMatch(q -> q.url().equals(s.queueUrl()));
        if (!known && s.queueUrl() != null) {
          queues.add(
              new Queue(name, "subscribed to " + name(s.topicArn()), "subscriber", s.queueUrl()));
        }
      }
    }
    return queues;
  }

  /** The id of the topology queue with this ARN, else the queue's name (the ARN's last part). */
  String queueOfArn(String arn) {
    for (QueueSpec q : topology.queues()) {
      if (queueArns.apply(q.id()).equals(arn)) {
        return q.id();
      }
    }
    return name(arn);
  }

  /** Visible, in-flight and delayed messages of each queue; an {@code error} where unreadable. */
  List<Map<String, Object>> depths() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Queue q : queues()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", q.id());
      m.put("role", q.role());
      m.put("kind", q.kind());
      try {
        Map<QueueAttributeName, String> a =
            sqs.getQueueAttributes(
                    r ->
                        r.queueUrl(q.url())
                            .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        m.put("visible", number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        m.put("inFlight", number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        m.put("delayed", number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
      } catch (RuntimeException e) {
        m.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      out.add(m);
    }
    return out;
  }

  /** Every event of the record (heads, state rows and markers left out), in no order. */
  List<StoredEvent> events() {
    List<StoredEvent> events = new ArrayList<>();
    DynamoEventStore.reading(ddb, eventsTable).scanEvents(events::add);
    return events;
  }

  /** The topology's bus topics and subscriptions, for the overview. */
  List<Map<String, Object>> subscriptions() {
    List<Map<String, Object>> out = new ArrayList<>();
    if (sns == null) {
      return out;
    }
    for (LocalSns.SubscriptionInfo s : sns.subscriptions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("topic", name(s.topicArn()));
      m.put("queue", queueOfArn(s.endpoint()));
      m.put("raw", "true".equals(s.attributes().get("RawMessageDelivery")));
      String filter = s.attributes().get("FilterPolicy");
      if (filter != null && !filter.isBlank()) {
        m.put("filterPolicy", filter);
      }
      out.add(m);
    }
    return out;
  }

  /**
   * {@code dead-letters}, {@code parked}, {@code feeds} or {@code other}: how the page groups it.
   */
  private String kind(QueueSpec queue) {
    String role = topology.queueRole(queue.id());
    if (role.startsWith("dead letters")) {
      return "dead-letters";
    }
    if (role.startsWith("records")) {
      return "parked";
    }
    return role.startsWith("feeds") ? "feeds" : "other";
  }

  private static long number(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    String v = attributes.get(name);
    return v == null ? 0 : Long.parseLong(v);
  }

  private static String name(String arn) {
    return arn == null ? "" : arn.substring(arn.lastIndexOf(':') + 1);
  }
}
