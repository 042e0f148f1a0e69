package io.innkeeper.ops;

import io.innkeeper.core.domain.Domain;
import io.innkeeper.events.Json;
import io.innkeeper.events.published.CloudEvent;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Replays integration events from the record (the events table, so older than the stream's 24
 * hours) to one subscriber's queue only, as its subscription would have delivered them: the same
 * ids, the published type as the {@code type} message attribute, raw or in SNS's envelope as the
 * subscription says, only the types its filter policy lets through, in {@code sequence} order per
 * aggregate (the aggregate as the FIFO message group, the event id as the deduplication id). Other
 * subscribers see nothing.
 *
 * <p>A subscriber that already has an event drops the replayed copy by its id or sequence, as it
 * must for any redelivery; so a replay can be repeated, and can overlap what the bus delivers live.
 */
final class Replay {

  /** SQS's limit on the entries of one {@code SendMessageBatch}. */
  private static final int BATCH = 10;

  private final DynamoDbClient ddb;
  private final SqsClient sqs;
  private final SnsClient sns;
  private final Domain domain;
  private final String source;

  /**
   * @param source the deployment's CloudEvents source, as its publisher sets it
   */
  Replay(DynamoDbClient ddb, SqsClient sqs, SnsClient sns, Domain domain, String source) {
    this.ddb = ddb;
    this.sqs = sqs;
    this.sns = sns;
    this.domain = domain;
    this.source = source;
  }

  /**
   * How the queue's subscription to the topic delivers.
   *
   * @param subscriptionArn the subscription
   * @param raw whether it delivers the CloudEvent as it is (else SNS's JSON envelope)
   * @param filter the types its filter policy lets through, or {@code null} for every type
   */
  record Subscription(String subscriptionArn, boolean raw, Set<String> filter) {
    boolean wants(String type) {
      return filter == null || filter.contains(type);
    }
  }

  /**
   * The subscription of {@code queueUrl} to {@code topicArn}.
   *
   * @throws IllegalArgumentException if the queue does not subscribe to the topic, or its filter
   *     policy is one replay cannot evaluate
   */
  Subscription subscription(String topicArn, String queueUrl) {
    String queueArn =
        sqs.getQueueAttributes(
                r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    for (var s : sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topicArn)).subscriptions()) {
      if (queueArn.equals(s.endpoint())) {
        Map<String, String> a =
            sns.getSubscriptionAttributes(r -> r.subscriptionArn(s.subscriptionArn())).attributes();
        String policy = a.get("FilterPolicy");
        Set<String> filter = null;
        if (policy != null && !policy.isBlank()) {
          if ("MessageBody".equals(a.get("FilterPolicyScope"))) {
            throw new IllegalArgumentException(
                "the subscription filters on the message body; replay evaluates filter policies"
                    + " on the type attribute only");
          }
          filter = typeFilter(policy);
        }
        return new Subscription(
            s.subscriptionArn(),
            Boolean.parseBoolean(a.getOrDefault("RawMessageDelivery", "false")),
            filter);
      }
    }
    throw new IllegalArgumentException(queueArn + " does not subscribe to " + topicArn);
  }

  /**
   * The types a filter policy on message attributes lets through. The publisher sets one attribute,
   * {@code type}; so a policy of exact matches on it ({@code {"type":["a","b"]}}, the form the
   * topology writes) is evaluated here, and any other is refused rather than guessed at.
   */
  static Set<String> typeFilter(String policy) {
    Map<String, Object> p = Json.parseObject(policy);
    if (p.size() != 1 || !(p.get("type") instanceof List<?> values) || values.isEmpty()) {
      throw new IllegalArgumentException(
          "filter policy " + policy + ": replay evaluates only exact matches on type");
    }
    Set<String> types = new java.util.TreeSet<>();
    for (Object v : values) {
      if (!(v instanceof String s)) {
        throw new IllegalArgumentException(
            "filter policy " + policy + ": replay evaluates only exact matches on type, not " + v);
      }
      types.add(s);
    }
    return types;
  }

  /**
   * What a replay did.
   *
   * @param events integration events the record holds (since the start asked for)
   * @param sent of them, sent to the queue
   * @param filtered left out by the subscription's filter policy
   * @param aggregates aggregates whose events were sent
   */
  record Result(int events, int sent, int filtered, int aggregates) {
    void print(String queueUrl, Subscription s, boolean dryRun, PrintStream out) {
      out.printf(
          "replay -> %s (%s%s): %d integration event(s) in the record, %d %s in order per"
              + " aggregate (%d aggregate(s)), %d left out by the filter policy%n",
          queueUrl,
          s.raw() ? "raw" : "SNS envelope",
          s.filter() == null ? ", no filter" : ", filter " + s.filter(),
          events,
          sent,
          dryRun ? "would be sent" : "sent",
          aggregates,
          filtered);
    }
  }

  /**
   * Sends every integration event of {@code eventsTable} that occurred at or after {@code since}
   * (all of them for {@code null}) and passes the subscription's filter to {@code queueUrl}.
   */
  Result replay(
      String eventsTable,
      String topicArn,
      String queueUrl,
      Subscription subscription,
      Instant since,
      boolean dryRun) {
    boolean fifo = queueUrl.endsWith(".fifo");
    Map<String, List<CloudEvent>> record =
        RecordEvents.read(ddb, eventsTable, domain, source, since);
    int events = 0;
    int sent = 0;
    int filtered = 0;
    int aggregates = 0;
    for (List<CloudEvent> stream : record.values()) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (CloudEvent e : stream) {
        events++;
        if (!subscription.wants(e.type())) {
          filtered++;
          continue;
        }
        entries.add(entry(Integer.toString(entries.size()), e, topicArn, subscription, fifo));
      }
      if (entries.isEmpty()) {
        continue;
      }
      aggregates++;
      sent += entries.size();
      if (!dryRun) {
        // One aggregate's events, a batch at a time: a FIFO queue keeps a batch's order within
        // its group, and the next batch starts only once this one is in.
        for (int i = 0; i < entries.size(); i += BATCH) {
          send(queueUrl, renumbered(entries.subList(i, Math.min(entries.size(), i + BATCH))));
        }
      }
    }
    return new Result(events, sent, filtered, aggregates);
  }

  private void send(String queueUrl, List<SendMessageBatchRequestEntry> batch) {
    List<SendMessageBatchRequestEntry> pending = batch;
    for (int attempt = 1; ; attempt++) {
      List<SendMessageBatchRequestEntry> now = pending;
      var result = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(now));
      if (result.failed().isEmpty()) {
        return;
      }
      // Order per aggregate: resend from the first failed entry on, never past it.
      int first = pending.size();
      for (var f : result.failed()) {
        first = Math.min(first, Integer.parseInt(f.id()));
        if (f.senderFault() || attempt >= 5) {
          throw new IllegalStateException(
              "SQS refused " + f.id() + " (" + f.code() + ": " + f.message() + ")");
        }
      }
      pending = renumbered(pending.subList(first, pending.size()));
      try {
        Thread.sleep(100L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static List<SendMessageBatchRequestEntry> renumbered(
      List<SendMessageBatchRequestEntry> entries) {
    List<SendMessageBatchRequestEntry> out = new ArrayList<>();
    for (SendMessageBatchRequestEntry e : entries) {
      out.add(e.toBuilder().id(Integer.toString(out.size())).build());
    }
    return out;
  }

  /** The message the subscription would have put on the queue. */
  static SendMessageBatchRequestEntry entry(
      String id, CloudEvent e, String topicArn, Subscription s, boolean fifo) {
    var b = SendMessageBatchRequestEntry.builder().id(id);
    if (s.raw()) {
      // Raw delivery passes the message attributes on as SQS message attributes.
      b.messageBody(e.toJson())
          .messageAttributes(
              Map.of(
                  "type",
                  MessageAttributeValue.builder()
                      .dataType("String")
                      .stringValue(e.type())
                      .build()));
    } else {
      b.messageBody(envelope(e, topicArn, s));
    }
    if (fifo) {
      b.messageGroupId(e.subject()).messageDeduplicationId(e.id());
    }
    return b.build();
  }

  /**
   * SNS's notification envelope around the event, without the signature: replay is not SNS, and
   * cannot sign as it does ({@code SignatureVersion} and friends are left out, so a subscriber that
   * checks signatures refuses replayed envelopes rather than trusting a forged one).
   */
  static String envelope(CloudEvent e, String topicArn, Subscription s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Type", "Notification");
    m.put(
        "MessageId",
        UUID.nameUUIDFromBytes(e.id().getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString());
    m.put("TopicArn", topicArn);
    m.put("Message", e.toJson());
    m.put("Timestamp", Instant.now().toString());
    m.put("MessageAttributes", Map.of("type", Map.of("Type", "String", "Value", e.type())));
    return Json.write(m);
  }
}
