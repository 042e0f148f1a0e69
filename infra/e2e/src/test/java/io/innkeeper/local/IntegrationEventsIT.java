package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.allotmentBody;
import static io.innkeeper.local.Commands.bookingBody;
import static io.innkeeper.local.Commands.hotelBody;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.innkeeper.core.bus.PublisherRuntime;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.published.HotelPublishedEvent;
import io.innkeeper.events.published.CloudEvent;
import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The event bus as a service outside the product meets it: its own SQS FIFO queues subscribed to
 * the runtime's topic with the AWS SDK's SNS client, a mixed load of commands over HTTP, and the
 * stream delivering batches to the publisher again ({@code stream-redelivery}) and the publisher
 * "crashing" mid-batch ({@code projector-crash}: the poller hands the rest of a processed batch
 * again). Every integration event the record implies arrives once per id, in {@code sequence} order
 * per aggregate, carrying exactly what the record says; a filtered subscription gets its types
 * only; the guest-messages service's feed matches the record; and a guest-messages outage touches
 * nothing else and is caught up exactly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntegrationEventsIT {

  static final ChaosConfig CHAOS =
      ChaosConfig.parse("seed=1818,stream-redelivery=0.3,projector-crash=0.3");

  /**
   * Compressed time (a testing aid, see {@link TimeCompression}): the guest-messages queue's
   * visibility timeout is 16 s instead of 90 s, so the messages the outage failed come back in
   * seconds. Still longer than the 15 s outage, so each is received at most twice of its five.
   */
  static final TimeCompression COMPRESSION = new TimeCompression(6);

  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final String DBL = "DBL";
  private static final int ROOMS = 3;
  private static final int NIGHTS = 4;
  private static final int BOOKINGS_PER_HOTEL = 12;

  private static LocalRuntime runtime;
  private static Api api;
  private static DynamoDbClient ddb;
  private static SqsClient sqs;
  private static SnsClient sns;
  private static String admin;
  private static String allQueue;
  private static String cancelledQueue;
  private static String envelopedQueue;
  private static final Map<String, String> guestTokens = new ConcurrentHashMap<>();
  private static final Map<String, String> guestOfReservation = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    runtime =
        LocalRuntime.start(
            LocalOptions.defaults()
                .withPort(0)
                .withSeed(false)
                .withChaos(CHAOS)
                .withTimeCompression(COMPRESSION));
    api = new Api(runtime.apiUrl());
    ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint());
    sqs = LocalAws.sqs(runtime.sqsEndpoint());
    sns = LocalAws.sns(runtime.snsEndpoint());
    admin = runtime.mintToken("bus-admin", List.of("admin"));
    String topic = runtime.topicArn(Topology.EVENT_BUS);
    // A partner's queues, subscribed as on AWS: everything raw, the cancellations only, and
    // everything in SNS's own envelope.
    allQueue = subscribe(topic, "partner-all", true, null);
    cancelledQueue =
        subscribe(
            topic,
            "partner-cancelled",
            true,
            "{\"type\":[\"" + HotelPublishedEvent.RESERVATION_CANCELLED + "\"]}");
    envelopedQueue = subscribe(topic, "partner-enveloped", false, null);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {sns, sqs, ddb, runtime}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing
        }
      }
    }
  }

  private static String subscribe(String topic, String name, boolean raw, String filter) {
    String url =
        sqs.createQueue(
                r ->
                    r.queueName(name + ".fifo")
                        .attributes(
                            Map.of(
                                QueueAttributeName.FIFO_QUEUE, "true",
                                QueueAttributeName.VISIBILITY_TIMEOUT, "30")))
            .queueUrl();
    String arn =
        sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    Map<String, String> attributes = new HashMap<>();
    attributes.put("RawMessageDelivery", Boolean.toString(raw));
    if (filter != null) {
      attributes.put("FilterPolicy", filter);
    }
    sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(arn).attributes(attributes));
    return url;
  }

  @Test
  @Order(1)
  void every_event_reaches_a_subscribed_queue_once_per_id_in_sequence_order_per_aggregate()
      throws Exception {
    List<String> hotels = load("bus", 2);
    Map<String, CloudEvent> expected = published(hotels);
    assertTrue(expected.size() > 12, "a mixed load: " + expected.size());

    // Raw delivery: the body is the CloudEvent as published.
    List<CloudEvent> received = drain(allQueue, expected.keySet(), Duration.ofSeconds(60), true);
    assertDeliveredOnceInOrder(expected, received);

    // The struck faults did strike: the publisher met redelivered and half-handled batches.
    Map<Fault, Long> injected = runtime.chaos().injected();
    assertTrue(injected.get(Fault.STREAM_REDELIVERY) > 0, "no redelivery: " + injected);
    assertTrue(injected.get(Fault.PROJECTOR_CRASH) > 0, "no crash mid-batch: " + injected);

    // The same events in SNS's envelope, with the type as a message attribute.
    List<Message> enveloped = drainMessages(envelopedQueue, expected.keySet().size());
    List<CloudEvent> unwrapped = new ArrayList<>();
    for (Message m : enveloped) {
      Map<String, Object> envelope = Json.parseObject(m.body());
      assertEquals("Notification", envelope.get("Type"));
      CloudEvent e = CloudEvent.parse((String) envelope.get("Message"));
      @SuppressWarnings("unchecked")
      Map<String, Object> attributes = (Map<String, Object>) envelope.get("MessageAttributes");
      @SuppressWarnings("unchecked")
      Map<String, Object> type = (Map<String, Object>) attributes.get("type");
      assertEquals(e.type(), type.get("Value"), "the type attribute filter policies match on");
      unwrapped.add(e);
    }
    assertDeliveredOnceInOrder(expected, unwrapped);

    // The filtered subscription: the cancellations, and nothing else.
    Map<String, CloudEvent> cancellations = new LinkedHashMap<>();
    expected.forEach(
        (id, e) -> {
          if (e.type().equals(HotelPublishedEvent.RESERVATION_CANCELLED)) {
            cancellations.put(id, e);
          }
        });
    assertTrue(cancellations.size() >= 3, "cancellations in the load: " + cancellations.size());
    List<CloudEvent> filtered =
        drain(cancelledQueue, cancellations.keySet(), Duration.ofSeconds(30), true);
    assertDeliveredOnceInOrder(cancellations, filtered);
  }

  @Test
  @Order(2)
  void the_guest_messages_feed_matches_the_record() throws Exception {
    List<String> hotels = load("feed", 1);
    assertFeedsMatchTheRecord(hotels, Duration.ofSeconds(60));
  }

  /**
   * Guest-messages fails every invocation for a while, in the middle of a load: commands keep
   * settling and the read models keep advancing while it does, nothing lands in its dead letters,
   * and once it recovers (its queue redelivers after the visibility timeout) the feed matches the
   * record exactly: nothing lost, nothing doubled.
   */
  @Test
  @Order(3)
  void a_guest_messages_outage_touches_nothing_else_and_is_caught_up_exactly() throws Exception {
    long failedBefore = runtime.chaos().injected().get(Fault.FUNCTION_OUTAGE);
    Duration outage = Duration.ofSeconds(15);
    runtime.chaos().failFor("guest-messages", outage);
    long outageEnds = System.nanoTime() + outage.toNanos();

    List<String> hotels = load("outage", 1);
    assertTrue(System.nanoTime() < outageEnds, "the load outlasted the outage: make it shorter");
    // During the outage, the booking path settled every command (load() waited for each), and
    // the read side shows them: each reservation is readable by its guest.
    for (var r : guestOfReservation.entrySet()) {
      if (!hotels.contains(hotelOf(r.getKey())) || !placedReservations.contains(r.getKey())) {
        continue;
      }
      Api.Answer a =
          api.await(
              "/reservations/" + r.getKey(),
              guestTokens.get(r.getValue()),
              x -> x.status() == 200,
              Duration.ofSeconds(10));
      assertEquals(200, a.status(), a.body());
    }
    assertTrue(System.nanoTime() < outageEnds, "the checks outlasted the outage");
    assertTrue(
        runtime.chaos().injected().get(Fault.FUNCTION_OUTAGE) > failedBefore,
        "guest-messages was invoked and failed during the outage");

    // After it: everything caught up (the failed messages come back after the visibility
    // timeout, compressed to 16 s), nothing dead-lettered.
    assertFeedsMatchTheRecord(hotels, Duration.ofSeconds(150));
    String dlq = runtime.queueUrl("guest-messages-dlq");
    Map<QueueAttributeName, String> depth =
        sqs.getQueueAttributes(
                r ->
                    r.queueUrl(dlq)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes();
    assertEquals("0", depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  /**
   * Replay backfills a subscriber that came late: a queue subscribed after the load (with a filter)
   * has nothing; {@code replay} sends it what its subscription would have delivered, from the
   * record, once per id in sequence order per aggregate, and nothing to any other queue. A second
   * replay sends the same ids again (the queue's own deduplication drops them within 5 minutes).
   */
  @Test
  @Order(4)
  void replay_backfills_a_late_subscriber_from_the_record_and_nobody_else() throws Exception {
    String topic = runtime.topicArn(Topology.EVENT_BUS);
    String late =
        subscribe(
            topic,
            "partner-late",
            true,
            "{\"type\":[\"" + HotelPublishedEvent.RESERVATION_PLACED + "\"]}");
    assertTrue(receive(late).isEmpty(), "a new subscription gets nothing from the past");
    Map<String, CloudEvent> all = published(null);
    Map<String, CloudEvent> placed = new LinkedHashMap<>();
    all.forEach(
        (id, e) -> {
          if (e.type().equals(HotelPublishedEvent.RESERVATION_PLACED)) {
            placed.put(id, e);
          }
        });
    assertTrue(placed.size() > 5, "reservations in the record: " + placed.size());
    long allBefore = depth(allQueue);

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code =
        io.innkeeper.ops.ReplayCommand.run(
            List.of(
                "--queue", late,
                "--endpoint", runtime.dynamoDbEndpoint().toString(),
                "--sqs-endpoint", runtime.sqsEndpoint().toString(),
                "--sns-endpoint", runtime.snsEndpoint().toString()),
            new java.io.PrintStream(out, true),
            new java.io.PrintStream(err, true));
    assertEquals(0, code, out + " " + err);
    assertTrue(out.toString().contains(placed.size() + " sent"), out.toString());

    List<CloudEvent> received = drain(late, placed.keySet(), Duration.ofSeconds(30), true);
    assertDeliveredOnceInOrder(placed, received);
    assertEquals(allBefore, depth(allQueue), "replay sends to one queue only");
  }

  private static long depth(String queueUrl) {
    return Long.parseLong(
        sqs.getQueueAttributes(
                r ->
                    r.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  // ---------------------------------------------------------------------------------------------

  private static final Map<String, String> hotelOfReservation = new ConcurrentHashMap<>();
  private static final java.util.Set<String> placedReservations = ConcurrentHashMap.newKeySet();

  private static String hotelOf(String reservationId) {
    return hotelOfReservation.get(reservationId);
  }

  /**
   * {@code hotels} hotels with an allotment each, then bookings (more than the rooms take, so some
   * are refused) and cancellations of a third of the placed ones, all settled.
   */
  private static List<String> load(String label, int hotelCount) throws Exception {
    LocalDate from = today().plusDays(120);
    LocalDate to = from.plusDays(NIGHTS);
    List<String> hotels = new ArrayList<>();
    for (int h = 0; h < hotelCount; h++) {
      Map<String, Object> accepted =
          send(admin, "/hotels", hotelBody("Bus " + label, unique(label), DBL_ONLY));
      Map<String, Object> reg = settled(accepted);
      assertEquals("SUCCEEDED", reg.get("status"), reg.toString());
      String hotelId = (String) accepted.get("hotelId");
      assertNotNull(hotelId, accepted.toString());
      Map<String, Object> allot =
          settled(
              send(
                  admin,
                  "/hotels/" + hotelId + "/allotments",
                  allotmentBody(DBL, from, to, ROOMS, "90.00")));
      assertEquals("SUCCEEDED", allot.get("status"), allot.toString());
      hotels.add(hotelId);
    }
    Random random = new Random(label.hashCode());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String[]>> bookings = new ArrayList<>();
      for (String hotelId : hotels) {
        for (int i = 0; i < BOOKINGS_PER_HOTEL; i++) {
          int nights = 1 + random.nextInt(2);
          LocalDate checkIn = from.plusDays(random.nextInt(NIGHTS - nights + 1));
          String guest = label + "-guest-" + random.nextInt(4);
          String token = guestTokens.computeIfAbsent(guest, g -> runtime.mintToken(g, List.of()));
          String body = bookingBody(hotelId, DBL, checkIn, checkIn.plusDays(nights), 1);
          bookings.add(
              pool.submit(
                  () -> {
                    Map<String, Object> a = send(token, "/reservations", body);
                    Map<String, Object> s = settled(a);
                    String reservationId = (String) a.get("reservationId");
                    hotelOfReservation.put(reservationId, hotelId);
                    guestOfReservation.put(reservationId, guest);
                    if ("SUCCEEDED".equals(s.get("status"))) {
                      placedReservations.add(reservationId);
                    }
                    return new String[] {reservationId, guest, (String) s.get("status")};
                  }));
        }
      }
      List<Future<Map<String, Object>>> cancels = new ArrayList<>();
      int placed = 0;
      for (Future<String[]> f : bookings) {
        String[] b = f.get(90, TimeUnit.SECONDS);
        if ("SUCCEEDED".equals(b[2]) && placed++ % 3 == 0) {
          String token = guestTokens.get(b[1]);
          cancels.add(
              pool.submit(() -> settled(send(token, "/reservations/" + b[0] + "/cancel", "{}"))));
        }
      }
      for (Future<Map<String, Object>> f : cancels) {
        Map<String, Object> s = f.get(90, TimeUnit.SECONDS);
        assertEquals("SUCCEEDED", s.get("status"), s.toString());
      }
    } finally {
      pool.shutdownNow();
    }
    return hotels;
  }

  /** Sends a command with an Idempotency-Key, again after a 5xx; returns the 202's body. */
  private static Map<String, Object> send(String token, String path, String body) {
    String key = UUID.randomUUID().toString();
    Api.Answer a = null;
    for (int attempt = 1; attempt <= 6; attempt++) {
      a = api.post(path, token, "application/json", body, Map.of("Idempotency-Key", key));
      if (a.status() < 500) {
        break;
      }
      Backstage.sleep(50L * attempt);
    }
    assertEquals(202, a.status(), path + ": " + a.body());
    return a.json();
  }

  private static Map<String, Object> settled(Map<String, Object> accepted) {
    String commandId = (String) accepted.get("commandId");
    return api.awaitSettled(commandId, admin, SETTLE).json();
  }

  /**
   * The integration events the record implies for the aggregates of {@code hotels} (the hotels, and
   * their reservations), by id: each stored event mapped by the domain's published language.
   */
  private static Map<String, CloudEvent> published(List<String> hotels) {
    PublisherRuntime mapper =
        new PublisherRuntime(
            runtime.domain().publishedLanguage(), runtime.domain().eventTypes(), null, "urn:test");
    Map<String, CloudEvent> out = new LinkedHashMap<>();
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    ddb.scanPaginator(r -> r.tableName(runtime.tableName("events")).consistentRead(true))
        .items()
        .forEach(items::add);
    items.sort(
        Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s())
            .thenComparingLong(i -> Long.parseLong(i.get("sk").n())));
    for (Map<String, AttributeValue> i : items) {
      if (!i.containsKey("kind") || !"event".equals(i.get("kind").s())) {
        continue;
      }
      StoredEvent stored =
          new StoredEvent(
              i.get("pk").s(),
              Long.parseLong(i.get("sk").n()),
              i.get("type").s(),
              Integer.parseInt(i.get("schemaVersion").n()),
              i.get("data").s(),
              i.get("commandId").s(),
              Instant.parse(i.get("occurredAt").s()),
              i.get("requestId") == null ? null : i.get("requestId").s());
      mapper
          .integrationEvent(stored)
          .filter(e -> concerns(e, hotels))
          .ifPresent(e -> out.put(e.id(), e));
    }
    return out;
  }

  private static boolean concerns(CloudEvent e, List<String> hotels) {
    if (hotels == null) {
      return true;
    }
    Object hotelId = e.data().get("hotelId");
    return hotelId != null && hotels.contains(hotelId.toString());
  }

  /** Receives from a queue until every id in {@code ids} came, then a while longer for extras. */
  private static List<CloudEvent> drain(
      String queueUrl, java.util.Set<String> ids, Duration timeout, boolean raw) {
    List<CloudEvent> received = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    long quietUntil = Long.MAX_VALUE;
    while (System.nanoTime() < Math.min(deadline, quietUntil)) {
      for (Message m : receive(queueUrl)) {
        CloudEvent e = CloudEvent.parse(m.body());
        received.add(e);
        seen.add(e.id());
      }
      if (quietUntil == Long.MAX_VALUE && seen.containsAll(ids)) {
        // Anything doubled would follow soon: the publisher's retries are seconds apart.
        quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      }
    }
    java.util.Set<String> missing = new java.util.TreeSet<>(ids);
    missing.removeAll(seen);
    assertTrue(missing.isEmpty(), missing.size() + " event(s) never arrived: " + missing);
    return received;
  }

  private static List<Message> drainMessages(String queueUrl, int count) {
    List<Message> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long quietUntil = Long.MAX_VALUE;
    while (System.nanoTime() < Math.min(deadline, quietUntil)) {
      out.addAll(receive(queueUrl));
      if (quietUntil == Long.MAX_VALUE && out.size() >= count) {
        quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      }
    }
    return out;
  }

  /** One receive of up to ten messages in FIFO order, deleted as read. */
  private static List<Message> receive(String queueUrl) {
    List<Message> messages =
        sqs.receiveMessage(
                r ->
                    r.queueUrl(queueUrl)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID))
            .messages();
    for (Message m : messages) {
      sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
    }
    return messages;
  }

  /**
   * Each expected event came once (by id), with what the record says (type, subject, sequence,
   * time, data), and each aggregate's events came in sequence order.
   */
  private static void assertDeliveredOnceInOrder(
      Map<String, CloudEvent> expected, List<CloudEvent> received) {
    Map<String, Integer> times = new TreeMap<>();
    Map<String, Long> lastSequence = new HashMap<>();
    List<String> outOfOrder = new ArrayList<>();
    for (CloudEvent e : received) {
      CloudEvent want = expected.get(e.id());
      if (want == null) {
        continue; // an aggregate of another test's load
      }
      times.merge(e.id(), 1, Integer::sum);
      assertEquals(want.type(), e.type(), e.id());
      assertEquals(want.subject(), e.subject(), e.id());
      assertEquals(want.sequence(), e.sequence(), e.id());
      assertEquals(want.time(), e.time(), e.id());
      assertEquals(want.data(), e.data(), e.id());
      Long before = lastSequence.put(e.subject(), e.sequence());
      if (before != null && before >= e.sequence()) {
        outOfOrder.add(e.subject() + ": " + before + " then " + e.sequence());
      }
    }
    List<String> doubled =
        times.entrySet().stream().filter(x -> x.getValue() > 1).map(Map.Entry::getKey).toList();
    assertTrue(doubled.isEmpty(), "delivered more than once: " + doubled);
    assertEquals(expected.keySet(), times.keySet(), "every expected event, once");
    assertTrue(outOfOrder.isEmpty(), "out of sequence order: " + outOfOrder);
  }

  /**
   * Each guest's feed (GET /me/messages, every page) holds one notice per placed and cancelled
   * reservation of {@code hotels} in the record, newest first; polls until it does or {@code
   * timeout} passes.
   */
  private static void assertFeedsMatchTheRecord(List<String> hotels, Duration timeout)
      throws Exception {
    Map<String, CloudEvent> record = published(hotels);
    Map<String, List<String>> expected = new TreeMap<>();
    for (CloudEvent e : record.values()) {
      if (!GuestMessagesTypes.FOLLOWED.contains(e.type())) {
        continue;
      }
      String reservationId = (String) e.data().get("reservationId");
      String guest = guestOfReservation.get(reservationId);
      assertNotNull(guest, "a reservation the test did not make: " + reservationId);
      expected.computeIfAbsent(guest, g -> new ArrayList<>()).add(e.id());
    }
    assertTrue(!expected.isEmpty(), "the load placed reservations");
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, List<String>> last = Map.of();
    while (true) {
      Map<String, List<String>> actual = new TreeMap<>();
      for (String guest : expected.keySet()) {
        actual.put(guest, feed(guestTokens.get(guest), hotels, guest));
      }
      last = actual;
      boolean same = true;
      for (String guest : expected.keySet()) {
        List<String> want = new ArrayList<>(expected.get(guest));
        List<String> got = actual.get(guest);
        if (got.size() != want.size()
            || !new java.util.HashSet<>(got).equals(new java.util.HashSet<>(want))) {
          same = false;
        }
      }
      if (same) {
        break;
      }
      if (System.nanoTime() > deadline) {
        fail("feeds never matched the record; expected " + expected + ", last " + last);
      }
      Thread.sleep(500);
    }
    // Nothing doubled: each message id once per feed.
    for (var e : last.entrySet()) {
      assertEquals(
          new java.util.HashSet<>(e.getValue()).size(), e.getValue().size(), "doubled: " + e);
    }
  }

  /** A guest's message ids for reservations at {@code hotels}, every page, checked newest first. */
  @SuppressWarnings("unchecked")
  private static List<String> feed(String token, List<String> hotels, String guest) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    String previousAt = null;
    do {
      String path = "/me/messages?limit=7" + (cursor == null ? "" : "&cursor=" + cursor);
      Api.Answer a = api.get(path, token);
      assertEquals(200, a.status(), a.body());
      Map<String, Object> page = a.json();
      for (Map<String, Object> m : (List<Map<String, Object>>) page.get("items")) {
        String at = (String) m.get("at");
        if (previousAt != null) {
          // As instants: ISO-8601 text leaves out zero milliseconds, so "…36Z" sorts after
          // "…36.249Z" as a string although it is earlier.
          assertTrue(
              java.time.Instant.parse(at).compareTo(java.time.Instant.parse(previousAt)) <= 0,
              "newest first: " + previousAt + " then " + at);
        }
        previousAt = at;
        if (hotels.contains((String) m.get("hotelId"))) {
          assertEquals(
              guest, guestOfReservation.get((String) m.get("reservationId")), "owner only");
          ids.add((String) m.get("messageId"));
        }
      }
      cursor = (String) page.get("nextCursor");
      if (cursor != null) {
        cursor = java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8);
      }
    } while (cursor != null);
    return ids;
  }

  /** The types guest-messages follows (its subscription's filter policy). */
  private static final class GuestMessagesTypes {
    static final java.util.Set<String> FOLLOWED =
        java.util.Set.of(
            HotelPublishedEvent.RESERVATION_PLACED, HotelPublishedEvent.RESERVATION_CANCELLED);
  }

  @SuppressWarnings("unused")
  private static Predicate<Api.Answer> ok() {
    return a -> a.status() == 200;
  }
}
