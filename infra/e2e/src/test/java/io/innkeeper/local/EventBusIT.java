package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.local.sns.Delivery;
import io.innkeeper.local.sns.LocalSns;
import io.innkeeper.local.sns.SnsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InternalErrorException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/**
 * The local event bus end to end: the AWS SDK's {@code SnsClient} over HTTP against the SNS
 * endpoint, delivering into the runtime's ElasticMQ, read back with the SDK's {@code SqsClient}.
 * Each test has a bus of its own (with a clock the test moves) over the shared runtime's ElasticMQ;
 * the runtime's own endpoint is checked for being there.
 */
class EventBusIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILTER =
      "{\"type\":[\"ReservationPlaced\",\"ReservationCancelled\"]}";
  private static final List<String> TYPES =
      List.of("ReservationPlaced", "AllotmentSet", "ReservationCancelled");

  private static LocalRuntime runtime;
  private static SqsClient sqs;

  @BeforeAll
  static void runtime() {
    runtime = SharedRuntime.get();
    sqs = LocalClients.sqs(runtime);
  }

  @AfterAll
  static void closeClients() {
    sqs.close();
  }

  @Test
  void
      givenAFifoTopicWithAFilteredRawAndAnEnvelopedQueue_whenAMixedLoadIsPublished_thenEachQueueHasItsMessagesOnceInGroupOrder()
          throws Exception {
    try (Bus bus = Bus.start(Duration.ofSeconds(20))) {
      String suffix = unique();
      String topic = bus.fifoTopic("events-" + suffix + ".fifo", false);
      String rawQueue = createQueue("raw-" + suffix + ".fifo");
      String envQueue = createQueue("env-" + suffix + ".fifo");
      String rawSub =
          bus.sns
              .subscribe(
                  r ->
                      r.topicArn(topic)
                          .protocol("sqs")
                          .endpoint(arn(rawQueue))
                          .attributes(Map.of("RawMessageDelivery", "true", "FilterPolicy", FILTER)))
              .subscriptionArn();
      String envSub =
          bus.sns
              .subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(arn(envQueue)))
              .subscriptionArn();

      // Three groups, 12 events each, published one by one and in batches that mix the groups,
      // with earlier deduplication ids sent again (with other bodies) in between and inside a
      // batch: every repeat must be dropped.
      Map<String, PublishedEvent> published = new LinkedHashMap<>();
      List<String> order = new ArrayList<>();
      for (int n = 0; n < 12; n++) {
        for (String group : List.of("g1", "g2", "g3")) {
          order.add(group + ":" + n);
        }
      }
      int duplicates = 0;
      int i = 0;
      while (i < order.size()) {
        if (i % 9 == 0) {
          String key = order.get(i++);
          PublishResponse r = bus.publish(topic, key);
          published.put(key, new PublishedEvent(r.messageId(), r.sequenceNumber()));
        } else {
          List<String> keys = order.subList(i, Math.min(i + 7, order.size()));
          List<PublishBatchRequestEntry> entries = new ArrayList<>();
          for (String key : keys) {
            entries.add(bus.entry(key, key));
          }
          // A repeat of an earlier event, and a repeat of the batch's own first entry.
          String earlier = order.get(Math.max(0, i - 3));
          entries.add(bus.entry(earlier, "dup-" + earlier).toBuilder().id("dupEarlier").build());
          entries.add(
              bus.entry(keys.get(0), "dup-" + keys.get(0)).toBuilder().id("dupOwn").build());
          duplicates += 2;
          PublishBatchResponse r =
              bus.sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries));
          assertTrue(r.failed().isEmpty(), r.failed().toString());
          assertEquals(entries.size(), r.successful().size());
          for (int e = 0; e < keys.size(); e++) {
            var ok = r.successful().get(e);
            assertEquals(entries.get(e).id(), ok.id());
            published.put(keys.get(e), new PublishedEvent(ok.messageId(), ok.sequenceNumber()));
          }
          // A duplicate is accepted and answered with its first message's id.
          assertEquals(
              published.get(earlier).messageId(), r.successful().get(keys.size()).messageId());
          assertEquals(
              published.get(keys.get(0)).messageId(),
              r.successful().get(keys.size() + 1).messageId());
          i += keys.size();
        }
        if (i % 5 == 0) {
          String again = order.get(i / 2);
          PublishResponse dup = bus.publish(topic, again, "dup-" + again);
          assertEquals(published.get(again).messageId(), dup.messageId());
          duplicates++;
        }
      }
      assertTrue(duplicates > 10, "the load repeats deduplication ids: " + duplicates);

      List<String> rawExpected = order.stream().filter(k -> FILTER.contains(typeOf(k))).toList();
      List<Message> raw = receiveAll(rawQueue, rawExpected.size());
      List<Message> enveloped = receiveAll(envQueue, order.size());

      // Raw: the body as published, the attributes as SQS message attributes, the group passed on.
      assertEquals(inGroups(rawExpected), inGroups(raw.stream().map(Message::body).toList()));
      for (Message m : raw) {
        assertEquals(typeOf(m.body()), m.messageAttributes().get("type").stringValue());
        assertEquals("Number", m.messageAttributes().get("n").dataType());
        assertEquals(
            m.body().substring(0, 2),
            m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
      }

      // Enveloped: every event once, in group order, with SNS's envelope.
      PublicKey key = servedKey(bus.server.endpoint());
      List<String> bodies = new ArrayList<>();
      Map<String, String> lastSequence = new HashMap<>();
      for (Message m : enveloped) {
        JsonNode n = JSON.readTree(m.body());
        String body = n.get("Message").asText();
        bodies.add(body);
        PublishedEvent expected = published.get(body);
        assertEquals("Notification", n.get("Type").asText());
        assertEquals(expected.messageId(), n.get("MessageId").asText());
        assertEquals(expected.sequenceNumber(), n.get("SequenceNumber").asText());
        assertEquals(topic, n.get("TopicArn").asText());
        Instant.parse(n.get("Timestamp").asText());
        assertEquals(
            bus.server.endpoint() + "/?Action=Unsubscribe&SubscriptionArn=" + envSub,
            n.get("UnsubscribeURL").asText());
        assertEquals(typeOf(body), n.at("/MessageAttributes/type/Value").asText());
        assertEquals("Number", n.at("/MessageAttributes/n/Type").asText());
        assertTrue(verifies(key, n), "the signature verifies with the served key: " + m.body());
        String group = body.substring(0, 2);
        assertEquals(group, m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
        String previous = lastSequence.put(group, expected.sequenceNumber());
        assertTrue(
            previous == null || expected.sequenceNumber().compareTo(previous) > 0,
            "sequence numbers grow within " + group);
      }
      assertEquals(inGroups(order), inGroups(bodies));
      assertNotEquals(rawSub, envSub);
    }
  }

  @Test
  void
      givenAFifoTopic_whenADeduplicationIdComesBack_thenItIsDroppedWithinFiveMinutesAndDeliveredAfter()
          throws Exception {
    try (Bus bus = Bus.start(Duration.ofSeconds(20))) {
      String suffix = unique();
      String topic = bus.fifoTopic("window-" + suffix + ".fifo", false);
      // A standard queue: it does not deduplicate itself, so what arrives is the bus's doing.
      // (SNS FIFO topics deliver to standard queues too, without the group id.)
      String queue = createQueue("window-" + suffix);
      bus.sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(arn(queue)));

      PublishResponse first = bus.publish(topic, "g1:0", "first");
      bus.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
      PublishResponse within = bus.publish(topic, "g1:0", "within the window");
      bus.clock.advance(Duration.ofSeconds(2));
      PublishResponse after = bus.publish(topic, "g1:0", "after the window");

      assertEquals(first.messageId(), within.messageId());
      assertNotEquals(first.messageId(), after.messageId());
      assertTrue(after.sequenceNumber().compareTo(first.sequenceNumber()) > 0);
      List<Message> received = receiveAll(queue, 2);
      assertEquals(
          List.of("after the window", "first"),
          received.stream().map(m -> message(m)).sorted().toList());
      assertNull(received.get(0).attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
      assertEquals(
          List.of(first.messageId(), after.messageId()),
          bus.deliveries.stream()
              .filter(d -> d.outcome() == Delivery.Outcome.DELIVERED)
              .map(Delivery::messageId)
              .toList());
    }
  }

  @Test
  void
      givenAStandardTopic_whenPublishedRawWithEveryAttributeTypeAndAGroup_thenTheQueueGetsThemAsSent()
          throws Exception {
    try (Bus bus = Bus.start(Duration.ofSeconds(20))) {
      String suffix = unique();
      String topic = bus.sns.createTopic(r -> r.name("plain-" + suffix)).topicArn();
      String queue = createQueue("plain-" + suffix);
      bus.sns.subscribe(
          r ->
              r.topicArn(topic)
                  .protocol("sqs")
                  .endpoint(arn(queue))
                  .attributes(Map.of("RawMessageDelivery", "true")));

      // Standard topics pass a message group on to standard queues (SQS fair queues).
      bus.sns.publish(
          r ->
              r.topicArn(topic)
                  .message("hello")
                  .messageGroupId("tenant-1")
                  .messageAttributes(
                      Map.of(
                          "tags",
                          MessageAttributeValue.builder()
                              .dataType("String.Array")
                              .stringValue("[\"a\",1]")
                              .build(),
                          "bytes",
                          MessageAttributeValue.builder()
                              .dataType("Binary")
                              .binaryValue(
                                  software.amazon.awssdk.core.SdkBytes.fromByteArray(
                                      new byte[] {1, 2, 3}))
                              .build(),
                          "price",
                          MessageAttributeValue.builder()
                              .dataType("Number")
                              .stringValue("12.5")
                              .build())));

      Message m = receiveAll(queue, 1).get(0);
      assertEquals("hello", m.body());
      assertEquals("String.Array", m.messageAttributes().get("tags").dataType());
      assertEquals("[\"a\",1]", m.messageAttributes().get("tags").stringValue());
      assertEquals(
          List.of((byte) 1, (byte) 2, (byte) 3),
          toList(m.messageAttributes().get("bytes").binaryValue().asByteArray()));
      assertEquals("12.5", m.messageAttributes().get("price").stringValue());
      assertEquals(
          List.of(Delivery.Outcome.DELIVERED),
          bus.deliveries.stream().map(Delivery::outcome).toList());
    }
  }

  private static List<Byte> toList(byte[] bytes) {
    List<Byte> out = new ArrayList<>();
    for (byte b : bytes) {
      out.add(b);
    }
    return out;
  }

  @Test
  void givenConcurrentPublishers_whenTheyShareGroups_thenEachQueueHasTheTopicsSequenceOrder()
      throws Exception {
    try (Bus bus = Bus.start(Duration.ofSeconds(20))) {
      String suffix = unique();
      String topic = bus.fifoTopic("busy-" + suffix + ".fifo", true);
      String a = createQueue("busy-a-" + suffix + ".fifo");
      String b = createQueue("busy-b-" + suffix + ".fifo");
      for (String q : List.of(a, b)) {
        bus.sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(arn(q)));
      }
      int publishers = 4;
      int each = 15;
      ExecutorService pool = Executors.newFixedThreadPool(publishers);
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        done.add(
            pool.submit(
                () -> {
                  for (int n = 0; n < each; n++) {
                    String group = "g" + (n % 3);
                    String body = group + ":p" + publisher + "-" + n;
                    bus.sns.publish(r -> r.topicArn(topic).message(body).messageGroupId(group));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();

      for (String q : List.of(a, b)) {
        List<Message> received = receiveAll(q, publishers * each);
        Map<String, String> last = new HashMap<>();
        for (Message m : received) {
          JsonNode n = JSON.readTree(m.body());
          String group = n.get("Message").asText().substring(0, 2);
          String sequence = n.get("SequenceNumber").asText();
          String previous = last.put(group, sequence);
          assertTrue(
              previous == null || sequence.compareTo(previous) > 0,
              q + ": " + group + " out of order: " + previous + " then " + sequence);
        }
        assertEquals(
            publishers * each,
            received.stream().map(m -> message(m)).distinct().count(),
            "every message once in " + q);
      }
    }
  }

  @Test
  void
      givenBatchesWaitingOnEachOthersDeduplicationIds_whenDeliveriesAreSlow_thenEveryPublishCompletes()
          throws Exception {
    // C's message is slow to deliver. B's batch (k2, k3, k1) takes k2, then waits for C's k3;
    // meanwhile A's batch (k1, k2) takes k1 and waits for B's k2; then B waits for A's k1. Each
    // waits for one message to be delivered, never for a whole request, so nobody waits forever.
    Faults slow = new Faults(0, 0);
    slow.delayMillis = 1500;
    try (Bus bus = Bus.start(Duration.ofSeconds(20), slow)) {
      String suffix = unique();
      String topic = bus.fifoTopic("crossed-" + suffix + ".fifo", false);
      String queue = createQueue("crossed-" + suffix + ".fifo");
      bus.sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(arn(queue)));
      slow.armed = true;
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<?>> done = new ArrayList<>();
      done.add(pool.submit(() -> bus.publish(topic, "g3:3")));
      Thread.sleep(200);
      done.add(
          pool.submit(
              () ->
                  bus.sns.publishBatch(
                      b ->
                          b.topicArn(topic)
                              .publishBatchRequestEntries(
                                  bus.entry("g2:2", "g2:2"),
                                  bus.entry("g3:3", "dup"),
                                  bus.entry("g1:1", "dup")))));
      Thread.sleep(200);
      done.add(
          pool.submit(
              () ->
                  bus.sns.publishBatch(
                      b ->
                          b.topicArn(topic)
                              .publishBatchRequestEntries(
                                  bus.entry("g1:1", "g1:1"), bus.entry("g2:2", "dup")))));
      for (Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      pool.shutdown();
      slow.armed = false;

      // Which request's copy of a key wins depends on how the three requests interleave (the
      // sleeps only make the crossed waits likely); what must hold is one delivery per key.
      List<Message> received = receiveAll(queue, 3);
      assertEquals(
          List.of("1", "2", "3"),
          received.stream().map(m -> envelopeAttribute(m, "n")).sorted().toList(),
          "one delivery per deduplication id");
      for (Message m : received) {
        String n = envelopeAttribute(m, "n");
        assertTrue(
            List.of("g" + n + ":" + n, "dup").contains(message(m)), "body of key " + n + ": " + m);
      }
    }
  }

  /** A message attribute's value as the SNS envelope carries it. */
  private static String envelopeAttribute(Message m, String name) {
    try {
      return JSON.readTree(m.body()).get("MessageAttributes").get(name).get("Value").asText();
    } catch (Exception e) {
      throw new IllegalStateException(m.body(), e);
    }
  }

  @Test
  void givenWrongCalls_whenMadeWithTheSdk_thenItRaisesSnsExceptionTypes() throws Exception {
    try (Bus bus = Bus.start(Duration.ofSeconds(20))) {
      String suffix = unique();
      String fifo = bus.fifoTopic("errors-" + suffix + ".fifo", false);
      String standard = bus.sns.createTopic(r -> r.name("errors-" + suffix)).topicArn();

      InvalidParameterException noGroup =
          assertThrows(
              InvalidParameterException.class,
              () ->
                  bus.sns.publish(r -> r.topicArn(fifo).message("m").messageDeduplicationId("d")));
      assertEquals(400, noGroup.statusCode());
      InvalidParameterException fifoOnStandard =
          assertThrows(
              InvalidParameterException.class,
              () ->
                  bus.sns.subscribe(
                      r ->
                          r.topicArn(standard)
                              .protocol("sqs")
                              .endpoint(Queues.arn("whatever-" + suffix + ".fifo"))));
      assertTrue(
          fifoOnStandard.getMessage().contains("FIFO SQS Queues"), fifoOnStandard.getMessage());
      NotFoundException unknown =
          assertThrows(
              NotFoundException.class,
              () ->
                  bus.sns.publish(
                      r ->
                          r.topicArn("arn:aws:sns:us-east-1:000000000000:none-" + suffix)
                              .message("m")));
      assertEquals(404, unknown.statusCode());
      // AWS changed this: FIFO topics now deliver to standard queues too, so this is accepted.
      assertNotNull(
          bus.sns
              .subscribe(
                  r -> r.topicArn(fifo).protocol("sqs").endpoint(Queues.arn("std-" + suffix)))
              .subscriptionArn());
    }
  }

  @Test
  void givenAQueueThatIsGone_whenPublished_thenTheOtherQueueStillGetsItAndTheDlqGetsTheRefusedCopy()
      throws Exception {
    try (Bus bus = Bus.start(Duration.ofSeconds(20))) {
      String suffix = unique();
      String topic = bus.fifoTopic("gone-" + suffix + ".fifo", false);
      String alive = createQueue("alive-" + suffix + ".fifo");
      String dlq = createQueue("dlq-" + suffix + ".fifo");
      String missing = Queues.arn("missing-" + suffix + ".fifo");
      String missingToo = Queues.arn("missing-too-" + suffix + ".fifo");
      bus.sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(arn(alive)));
      bus.sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(missing));
      bus.sns.subscribe(
          r ->
              r.topicArn(topic)
                  .protocol("sqs")
                  .endpoint(missingToo)
                  .attributes(
                      Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn(dlq) + "\"}")));

      PublishResponse r = bus.publish(topic, "g1:0");

      assertNotNull(r.messageId());
      assertEquals("g1:0", message(receiveAll(alive, 1).get(0)));
      JsonNode dead = JSON.readTree(receiveAll(dlq, 1).get(0).body());
      assertEquals(r.messageId(), dead.get("MessageId").asText());
      Map<String, Delivery.Outcome> outcomes = new HashMap<>();
      bus.deliveries.forEach(d -> outcomes.put(d.queueArn(), d.outcome()));
      assertEquals(Delivery.Outcome.DELIVERED, outcomes.get(arn(alive)));
      assertEquals(Delivery.Outcome.DROPPED, outcomes.get(missing));
      assertEquals(Delivery.Outcome.DEAD_LETTERED, outcomes.get(missingToo));
    }
  }

  @Test
  void givenSqsFailingForAWhile_whenPublished_thenTheBusRetriesAndTheMessageArrivesOnce()
      throws Exception {
    // The first three SendMessageBatch calls never reach SQS; the fourth is stored by SQS but its
    // answer is replaced by a 500 (the acknowledgement is lost), so the bus sends it again.
    Faults faults = new Faults(3, 1);
    try (Bus bus = Bus.start(Duration.ofSeconds(20), faults)) {
      String suffix = unique();
      String topic = bus.fifoTopic("flaky-" + suffix + ".fifo", false);
      String queue = createQueue("flaky-" + suffix + ".fifo");
      bus.sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(arn(queue)));
      faults.armed = true;

      bus.publish(topic, "g1:0");

      assertEquals(4, faults.injected.get());
      assertEquals(List.of("g1:0"), receiveAll(queue, 1).stream().map(m -> message(m)).toList());
    }
  }

  @Test
  void givenSqsFailingPastTheRetryBudget_whenPublished_thenThePublishFailsAndItsRetryDeliversOnce()
      throws Exception {
    Faults faults = new Faults(Integer.MAX_VALUE, 0);
    try (Bus bus = Bus.start(Duration.ofMillis(300), faults)) {
      String suffix = unique();
      String topic = bus.fifoTopic("down-" + suffix + ".fifo", false);
      String queue = createQueue("down-" + suffix + ".fifo");
      bus.sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(arn(queue)));
      faults.armed = true;

      InternalErrorException failed =
          assertThrows(InternalErrorException.class, () -> bus.publish(topic, "g1:0"));
      assertEquals(500, failed.statusCode());
      // In a batch, each entry fails on its own: a server-side failure, not the sender's.
      PublishBatchResponse batch =
          bus.sns.publishBatch(
              b ->
                  b.topicArn(topic)
                      .publishBatchRequestEntries(
                          bus.entry("g1:1", "g1:1"), bus.entry("g2:1", "g2:1")));
      assertTrue(batch.successful().isEmpty(), batch.toString());
      assertEquals(List.of("eg1_1", "eg2_1"), batch.failed().stream().map(f -> f.id()).toList());
      batch
          .failed()
          .forEach(
              f -> {
                assertEquals("InternalError", f.code());
                assertFalse(f.senderFault());
              });
      faults.armed = false;
      // The failed publish did not take the deduplication id: the publisher's retry delivers.
      PublishResponse retried = bus.publish(topic, "g1:0");

      assertNotNull(retried.messageId());
      assertEquals(List.of("g1:0"), receiveAll(queue, 1).stream().map(m -> message(m)).toList());
      assertTrue(
          bus.deliveries.stream().anyMatch(d -> d.outcome() == Delivery.Outcome.FAILED),
          bus.deliveries.toString());
    }
  }

  @Test
  void givenTheRuntime_whenItStarts_thenItServesSnsOnItsOwnEndpoint() {
    assertNotNull(runtime.snsEndpoint());
    assertNotEquals(runtime.sqsEndpoint(), runtime.snsEndpoint());
    try (SnsClient sns = Bus.client(runtime.snsEndpoint())) {
      String arn = sns.createTopic(r -> r.name("runtime-" + unique())).topicArn();
      assertTrue(
          sns.listTopicsPaginator().topics().stream().anyMatch(t -> t.topicArn().equals(arn)));
      assertTrue(runtime.sns().topics().stream().anyMatch(t -> t.arn().equals(arn)));
      sns.deleteTopic(r -> r.topicArn(arn));
      assertFalse(runtime.sns().topics().stream().anyMatch(t -> t.arn().equals(arn)));
    }
  }

  // ---------------------------------------------------------------- helpers

  private record PublishedEvent(String messageId, String sequenceNumber) {}

  /** A bus of the test's own over the shared runtime's ElasticMQ, with a clock the test moves. */
  private static final class Bus implements AutoCloseable {
    final MovableClock clock = new MovableClock();
    final SqsClient sqsClient;
    final SnsServer server;
    final SnsClient sns;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private Bus(SqsClient deliveriesClient, Duration retryBudget) throws Exception {
      this.sqsClient = deliveriesClient;
      this.server =
          SnsServer.start(
              deliveriesClient,
              "127.0.0.1",
              0,
              LocalSns.Options.defaults().withClock(clock).withRetryBudget(retryBudget));
      this.server.bus().onDelivery(deliveries::add);
      this.sns = client(server.endpoint());
    }

    static Bus start(Duration retryBudget) throws Exception {
      return new Bus(SnsServer.deliveryClient(runtime.sqsEndpoint()), retryBudget);
    }

    static Bus start(Duration retryBudget, Faults faults) throws Exception {
      SqsClient client =
          SqsClient.builder()
              .endpointOverride(runtime.sqsEndpoint())
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
              .httpClient(UrlConnectionHttpClient.create())
              .overrideConfiguration(
                  c ->
                      c.retryStrategy(AwsRetryStrategy.doNotRetry())
                          .addExecutionInterceptor(faults))
              .build();
      return new Bus(client, retryBudget);
    }

    static SnsClient client(URI endpoint) {
      return SnsClient.builder()
          .endpointOverride(endpoint)
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
          .httpClient(UrlConnectionHttpClient.create())
          // The test wants the bus's first answer, not the SDK's retries of it.
          .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();
    }

    String fifoTopic(String name, boolean contentBased) {
      return sns.createTopic(
              r ->
                  r.name(name)
                      .attributes(
                          Map.of(
                              "FifoTopic",
                              "true",
                              "ContentBasedDeduplication",
                              Boolean.toString(contentBased))))
          .topicArn();
    }

    PublishResponse publish(String topic, String key) {
      return publish(topic, key, key);
    }

    /** Publishes {@code body} as the event {@code key} ("g1:7": group g1, number 7). */
    PublishResponse publish(String topic, String key, String body) {
      return sns.publish(
          r ->
              r.topicArn(topic)
                  .message(body)
                  .messageGroupId(key.substring(0, 2))
                  .messageDeduplicationId(key.replace(':', '-'))
                  .messageAttributes(attributes(key)));
    }

    PublishBatchRequestEntry entry(String key, String body) {
      return PublishBatchRequestEntry.builder()
          .id("e" + key.replace(':', '_'))
          .message(body)
          .messageGroupId(key.substring(0, 2))
          .messageDeduplicationId(key.replace(':', '-'))
          .messageAttributes(attributes(key))
          .build();
    }

    private static Map<String, MessageAttributeValue> attributes(String key) {
      return Map.of(
          "type",
          MessageAttributeValue.builder().dataType("String").stringValue(typeOf(key)).build(),
          "n",
          MessageAttributeValue.builder().dataType("Number").stringValue(key.substring(3)).build());
    }

    @Override
    public void close() {
      sns.close();
      server.close();
      sqsClient.close();
    }
  }

  /** SQS faults for the bus's own client: calls that never get there, and lost answers. */
  private static final class Faults implements ExecutionInterceptor {
    final int unreachable;
    final int lostAnswers;
    final AtomicInteger injected = new AtomicInteger();
    volatile boolean armed;
    volatile long delayMillis;
    private final AtomicInteger sendCalls = new AtomicInteger();

    Faults(int unreachable, int lostAnswers) {
      this.unreachable = unreachable;
      this.lostAnswers = lostAnswers;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes a) {
      if (armed && delayMillis > 0 && context.request() instanceof SendMessageBatchRequest) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (armed
          && context.request() instanceof SendMessageBatchRequest
          && sendCalls.incrementAndGet() <= unreachable) {
        injected.incrementAndGet();
        throw SdkClientException.create("injected: connection refused");
      }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(
        Context.ModifyHttpResponse context, ExecutionAttributes a) {
      if (armed
          && context.request() instanceof SendMessageBatchRequest
          && sendCalls.get() > unreachable
          && sendCalls.get() <= unreachable + lostAnswers
          && injected.get() < unreachable + lostAnswers) {
        injected.incrementAndGet();
        return context.httpResponse().toBuilder().statusCode(500).build();
      }
      return context.httpResponse();
    }
  }

  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private static final class Queues {
    static String arn(String name) {
      return "arn:aws:sqs:us-east-1:000000000000:" + name;
    }
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static String typeOf(String key) {
    return TYPES.get(Integer.parseInt(key.substring(3).replaceAll("[^0-9].*", "")) % 3);
  }

  /** The URL of a new queue {@code name} (FIFO when it ends in {@code .fifo}). */
  private static String createQueue(String name) {
    Map<QueueAttributeName, String> attributes = new HashMap<>();
    if (name.endsWith(".fifo")) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
  }

  private static String arn(String queueUrl) {
    return Queues.arn(queueUrl.substring(queueUrl.lastIndexOf('/') + 1));
  }

  /**
   * Receives and deletes until {@code expected} messages came, then once more to be sure nothing
   * else is there. Order is the queue's.
   */
  private static List<Message> receiveAll(String queueUrl, int expected) {
    List<Message> all = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    boolean confirmed = false;
    while (!confirmed && System.nanoTime() < deadline) {
      boolean enough = all.size() >= expected;
      List<Message> batch =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(enough ? 1 : 2)
                          .messageAttributeNames("All")
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages();
      all.addAll(batch);
      if (!batch.isEmpty()) {
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
          deletes.add(
              DeleteMessageBatchRequestEntry.builder()
                  .id(Integer.toString(i))
                  .receiptHandle(batch.get(i).receiptHandle())
                  .build());
        }
        sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(deletes));
      }
      confirmed = enough && batch.isEmpty();
    }
    assertEquals(expected, all.size(), "messages in " + queueUrl + ": " + bodies(all));
    return all;
  }

  private static List<String> bodies(List<Message> messages) {
    return messages.stream().map(Message::body).toList();
  }

  /** The published message, whether delivered raw or in an envelope. */
  private static String message(Message m) {
    if (!m.body().startsWith("{")) {
      return m.body();
    }
    try {
      return JSON.readTree(m.body()).get("Message").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The keys ("g1:0") by group, each group in the order given. */
  private static Map<String, List<String>> inGroups(List<String> keys) {
    Map<String, List<String>> groups = new java.util.TreeMap<>();
    keys.forEach(k -> groups.computeIfAbsent(k.substring(0, 2), g -> new ArrayList<>()).add(k));
    return groups;
  }

  private static PublicKey servedKey(URI endpoint) throws Exception {
    HttpResponse<String> pem =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(endpoint + "/SimpleNotificationService-local.pem"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    String base64 =
        pem.body()
            .replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  /** Checks an envelope's signature (version 1: SHA1withRSA) over SNS's canonical string. */
  private static boolean verifies(PublicKey key, JsonNode n) throws Exception {
    String canonical =
        "Message\n"
            + n.get("Message").asText()
            + "\nMessageId\n"
            + n.get("MessageId").asText()
            + "\nTimestamp\n"
            + n.get("Timestamp").asText()
            + "\nTopicArn\n"
            + n.get("TopicArn").asText()
            + "\nType\n"
            + n.get("Type").asText()
            + "\n";
    Signature verifier = Signature.getInstance("SHA1withRSA");
    verifier.initVerify(key);
    verifier.update(canonical.getBytes(StandardCharsets.UTF_8));
    return verifier.verify(Base64.getDecoder().decode(n.get("Signature").asText()));
  }
}
