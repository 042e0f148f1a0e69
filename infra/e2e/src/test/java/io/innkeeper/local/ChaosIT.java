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

import io.innkeeper.local.chaos.Chaos;
import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.chaos.DynamoDbChaosInterceptor;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.ops.ReadModelOps;
import io.innkeeper.ops.ReadModelTables;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Innkeeper on a runtime of its own with every fault injected at a noticeable rate: duplicate SQS
 * deliveries, crashes before the ack, DynamoDB throttling and 500s (before and after the write),
 * stream batches delivered again, projector crashes mid-batch and slow consumers; and AWS's own
 * answers: single-item writes meeting a transaction, transactions cancelled by throttling, batch
 * reads answered in part, calls that stall past their attempt timeout, invocations that start with
 * little of their time left, SQS throttling the intake, and stream shards rolling over. A few dozen
 * commands go in over HTTP as a careful client sends them (an {@code Idempotency-Key} on each, the
 * same request again on a 5xx); the record and the read models must come out as if nothing had
 * happened: every command settled, each applied exactly once, no night overbooked, no drift.
 */
class ChaosIT {
  /** Seeded: a run repeats its decisions as far as the threads' interleaving allows. */
  static final ChaosConfig CHAOS =
      ChaosConfig.parse(
          "seed=20260,duplicate-delivery=0.25,crash-before-ack=0.2,dynamodb-throttle=0.05,"
              + "dynamodb-5xx=0.1,stream-redelivery=0.25,projector-crash=0.25,slow-consumer=0.25,"
              + "slow-millis=20,transaction-conflict=0.1,throttled-transaction=0.1,"
              + "unprocessed-keys=0.2,slow-call=0.01,function-timeout=0.05,sqs-throttle=0.1,"
              + "shard-rollover=0.1");

  /**
   * Faults no function meets: {@code unprocessed-items} strikes batch writes, which only the
   * operator's tools make ({@code rebuild --reset}); {@code StoreFaultsIT} covers them. A {@code
   * function-outage} is a window, not a rate: {@code IntegrationEventsIT} covers it.
   */
  static final java.util.Set<Fault> NOT_MET_BY_FUNCTIONS =
      java.util.Set.of(Fault.UNPROCESSED_ITEMS, Fault.FUNCTION_OUTAGE);

  private static final Duration SETTLE = Duration.ofSeconds(40);
  private static final String DBL = "DBL";
  private static final int ROOMS = 3;
  private static final int NIGHTS = 4;
  private static final int BOOKINGS_PER_HOTEL = 16;
  private static final int CANCELS = 6;
  private static final int TOP_UP_ROUNDS = 30;

  private static LocalRuntime runtime;
  private static Api api;
  private static DynamoDbClient ddb;
  private static String admin;
  private static final AtomicInteger clientRetries = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    runtime =
        LocalRuntime.start(LocalOptions.defaults().withPort(0).withSeed(false).withChaos(CHAOS));
    api = new Api(runtime.apiUrl());
    ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint());
    admin = runtime.mintToken("chaos-admin", List.of("admin"));
  }

  @AfterAll
  static void stop() {
    if (ddb != null) {
      ddb.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  /** A command as sent: what it is, who sent it, the ids the 202 gave. */
  private record Sent(
      String kind,
      String token,
      String commandId,
      String reservationId,
      String hotelId,
      LocalDate checkIn,
      LocalDate checkOut) {
    boolean covers(LocalDate night) {
      return checkIn != null && !night.isBefore(checkIn) && night.isBefore(checkOut);
    }
  }

  @Test
  void every_command_settles_and_takes_effect_exactly_once_under_every_fault() throws Exception {
    long started = System.nanoTime();
    LocalDate from = today().plusDays(150);
    LocalDate to = from.plusDays(NIGHTS);
    List<Sent> all = new ArrayList<>();
    Map<String, Map<String, Object>> outcomes = new ConcurrentHashMap<>();

    // Two hotels, each with a few rooms for a few nights: two contended FIFO groups.
    List<String> hotels = new ArrayList<>();
    for (String name : List.of("Chaos A", "Chaos B")) {
      Sent registered =
          send("register", admin, "/hotels", hotelBody(name, unique("chaos"), DBL_ONLY), null);
      settle(List.of(registered), outcomes);
      assertEquals("SUCCEEDED", outcomes.get(registered.commandId()).get("status"));
      Sent allotment =
          send(
              "allotment",
              admin,
              "/hotels/" + registered.hotelId() + "/allotments",
              allotmentBody(DBL, from, to, ROOMS, "80.00"),
              null);
      settle(List.of(allotment), outcomes);
      assertEquals("SUCCEEDED", outcomes.get(allotment.commandId()).get("status"));
      hotels.add(registered.hotelId());
      all.add(registered);
      all.add(allotment);
    }

    // Bookings, all at once: more than the rooms can take.
    Random random = new Random(CHAOS.seed());
    Map<String, String> tokens = new HashMap<>();
    List<Sent> bookings = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Sent>> futures = new ArrayList<>();
      for (String hotelId : hotels) {
        for (int i = 0; i < BOOKINGS_PER_HOTEL; i++) {
          int nights = 1 + random.nextInt(3);
          LocalDate checkIn = from.plusDays(random.nextInt(NIGHTS - nights + 1));
          LocalDate checkOut = checkIn.plusDays(nights);
          String token =
              tokens.computeIfAbsent(
                  "chaos-guest-" + random.nextInt(6), g -> runtime.mintToken(g, List.of()));
          String body = bookingBody(hotelId, DBL, checkIn, checkOut, 1 + random.nextInt(2));
          futures.add(
              pool.submit(
                  () -> {
                    Sent s = send("book", token, "/reservations", body, hotelId);
                    return new Sent(
                        s.kind(),
                        token,
                        s.commandId(),
                        s.reservationId(),
                        hotelId,
                        checkIn,
                        checkOut);
                  }));
        }
      }
      for (Future<Sent> f : futures) {
        bookings.add(f.get(60, TimeUnit.SECONDS));
      }
      all.addAll(bookings);
      settle(bookings, outcomes);

      // Cancel some of the bookings that succeeded, each by its guest.
      List<Future<Sent>> cancels = new ArrayList<>();
      for (Sent b : bookings) {
        if (cancels.size() < CANCELS
            && "SUCCEEDED".equals(outcomes.get(b.commandId()).get("status"))) {
          cancels.add(
              pool.submit(
                  () -> {
                    Sent s =
                        send(
                            "cancel",
                            b.token(),
                            "/reservations/" + b.reservationId() + "/cancel",
                            "{}",
                            b.hotelId());
                    return new Sent(
                        "cancel",
                        b.token(),
                        s.commandId(),
                        b.reservationId(),
                        b.hotelId(),
                        b.checkIn(),
                        b.checkOut());
                  }));
        }
      }
      List<Sent> cancelled = new ArrayList<>();
      for (Future<Sent> f : cancels) {
        cancelled.add(f.get(60, TimeUnit.SECONDS));
      }
      all.addAll(cancelled);
      settle(cancelled, outcomes);
    } finally {
      pool.shutdownNow();
    }

    // A short workload may leave a fault that strikes per batch without a strike: a few more
    // commands, one at a time (one SQS batch and one stream batch each), until each has struck.
    for (int round = 0; round < TOP_UP_ROUNDS && !everyFaultInjected(); round++) {
      Sent registered =
          send("register", admin, "/hotels", hotelBody("Chaos+", unique("chaos"), DBL_ONLY), null);
      settle(List.of(registered), outcomes);
      all.add(registered);
    }

    // 1. Every command settled, and only as SUCCEEDED or REJECTED (a business "no").
    Map<String, Integer> tally = new TreeMap<>();
    List<String> unexpected = new ArrayList<>();
    for (Sent s : all) {
      Map<String, Object> o = outcomes.get(s.commandId());
      String status = (String) o.get("status");
      String label =
          s.kind() + " " + status + (o.get("reason") == null ? "" : " " + o.get("reason"));
      tally.merge(label, 1, Integer::sum);
      if (!"SUCCEEDED".equals(status) && !"REJECTED".equals(status)) {
        unexpected.add(s + " -> " + o);
      }
      if (s.kind().equals("cancel")
          || s.kind().equals("register")
          || s.kind().equals("allotment")) {
        assertEquals("SUCCEEDED", status, s + " -> " + o);
      }
    }
    assertTrue(unexpected.isEmpty(), "outcomes other than SUCCEEDED/REJECTED: " + unexpected);

    // 2. Exactly once: each SUCCEEDED command's events are in the record once, a REJECTED one has
    //    none.
    Map<String, List<String>> eventsByCommand = eventsByCommand();
    Map<String, String> expectedType =
        Map.of(
            "register", "HotelRegistered",
            "allotment", "AllotmentSet",
            "book", "ReservationPlaced",
            "cancel", "ReservationCancelled");
    for (Sent s : all) {
      List<String> events = eventsByCommand.getOrDefault(s.commandId(), List.of());
      if ("SUCCEEDED".equals(outcomes.get(s.commandId()).get("status"))) {
        assertEquals(
            List.of(expectedType.get(s.kind())),
            events,
            "events of " + s.kind() + " " + s.commandId());
      } else {
        assertEquals(List.of(), events, "events of rejected " + s.kind() + " " + s.commandId());
      }
    }

    // 3. No night overbooked, and each night's count is what the outcomes say: a booking applied
    //    twice, or a cancel applied twice, would show here.
    Inventory inventory = new Inventory(ddb, runtime.tableName("events"));
    List<Sent> placed = new ArrayList<>();
    List<Sent> freed = new ArrayList<>();
    for (Sent s : all) {
      boolean ok = "SUCCEEDED".equals(outcomes.get(s.commandId()).get("status"));
      if (ok && s.kind().equals("book")) {
        placed.add(s);
      } else if (ok && s.kind().equals("cancel")) {
        freed.add(s);
      }
    }
    for (String hotelId : hotels) {
      for (Inventory.Night n : inventory.nights(hotelId, DBL, from, to)) {
        long expected =
            placed.stream().filter(s -> s.hotelId().equals(hotelId) && s.covers(n.date())).count()
                - freed.stream()
                    .filter(s -> s.hotelId().equals(hotelId) && s.covers(n.date()))
                    .count();
        assertEquals(ROOMS, n.rooms(), "rooms on sale " + hotelId + " " + n);
        assertTrue(n.booked() <= ROOMS, "overbooked " + hotelId + " " + n);
        assertEquals(expected, n.booked(), "booked vs outcomes, " + hotelId + " " + n.date());
      }
    }
    // The workload contended: 32 stays on 2 hotels x 3 rooms x 4 nights sell out somewhere.
    assertTrue(tally.containsKey("book REJECTED SOLD_OUT"), "no booking sold out: " + tally);

    // 4. The read models converge to what the events table says.
    ReadModelOps ops = new ReadModelOps(ddb, ReadModelTables.local());
    ReadModelOps.Drift drift = ops.verify();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!drift.none() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      drift = ops.verify();
    }
    if (!drift.none()) {
      ReadModelOps.print(drift, System.out);
    }
    assertTrue(drift.none(), "read models drifted: " + drift.lines());

    // 5. Every fault was injected.
    Chaos chaos = runtime.chaos();
    Map<Fault, Long> injected = chaos.injected();
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println(
        "ChaosIT: "
            + all.size()
            + " commands "
            + tally
            + "; "
            + clientRetries.get()
            + " client retries after a 5xx; "
            + drift.events()
            + " events; injected "
            + injected
            + " "
            + chaos.variants()
            + "; "
            + elapsed
            + " ms ("
            + CHAOS.spec()
            + ")");
    for (Fault f : Fault.values()) {
      if (!NOT_MET_BY_FUNCTIONS.contains(f)) {
        assertTrue(injected.get(f) > 0, f.key() + " was never injected: " + injected);
      }
    }
  }

  /**
   * A function's write that DynamoDB does, but answers with a 500: the caller's SDK retries, and
   * the retry meets the write already done. Here, outside the runtime's functions, with a chaos of
   * its own (so the runtime's counts stay the workload's).
   */
  @Test
  void a_500_after_the_write_leaves_the_write_done() throws Exception {
    String table = runtime.tableName("commands");
    // Every attempt gets a 500: the call fails after its four attempts, and the ones that were
    // answered after the write did write.
    Chaos always = new Chaos(ChaosConfig.parse("seed=1,dynamodb-5xx=1"));
    String pk = "chaos-probe#" + UUID.randomUUID();
    try {
      DynamoDbChaosInterceptor.invoking(
          always,
          () -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk)))));
      fail("every attempt answered 500, yet the call succeeded");
    } catch (DynamoDbException e) {
      assertEquals(500, e.statusCode());
      assertEquals(4, e.numAttempts());
    }
    assertTrue(always.variants().getOrDefault("dynamodb-5xx-after-write", 0L) > 0);
    var item =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(pk)))
                        .consistentRead(true))
            .item();
    assertNotNull(item);
    assertEquals(pk, item.get("pk").s(), "the caller saw an error, yet the write happened");

    // A conditional transaction answered 500 after it committed, then retried by the SDK: either
    // DynamoDB recognises the retry by its ClientRequestToken and answers success (as AWS does
    // within 10 minutes), or the retry fails on its own condition. Both mean "done once".
    String pk2 = "chaos-probe#" + UUID.randomUUID();
    Chaos once = onceAfterTheWrite();
    String outcome;
    try {
      DynamoDbChaosInterceptor.invoking(
          once,
          () ->
              ddb.transactWriteItems(
                  b ->
                      b.transactItems(
                          t ->
                              t.put(
                                  p ->
                                      p.tableName(table)
                                          .item(Map.of("pk", AttributeValue.fromS(pk2)))
                                          .conditionExpression("attribute_not_exists(pk)")))));
      outcome = "the retry succeeded (idempotent by ClientRequestToken)";
    } catch (TransactionCanceledException e) {
      assertEquals("ConditionalCheckFailed", e.cancellationReasons().get(0).code(), e.toString());
      outcome = "the retry failed on its condition (ClientRequestToken not honoured)";
    }
    assertEquals(1L, once.variants().get("dynamodb-5xx-after-write"));
    System.out.println("ChaosIT: a TransactWriteItems answered 500 after the write: " + outcome);
  }

  /** A chaos whose first DynamoDB attempt gets a 500 after the write, and no later one. */
  private static Chaos onceAfterTheWrite() {
    for (long seed = 0; seed < 10_000; seed++) {
      ChaosConfig config = ChaosConfig.parse("seed=" + seed + ",dynamodb-5xx=0.5");
      Chaos twin = new Chaos(config);
      // The interceptor's order: strike?, then before (0) or after (1), then the retry's strike?
      if (twin.strikes(Fault.DYNAMODB_5XX)
          && twin.nextInt(2) == 1
          && !twin.strikes(Fault.DYNAMODB_5XX)) {
        return new Chaos(config);
      }
    }
    throw new IllegalStateException("no seed below 10000 strikes once, after the write");
  }

  // -----------------------------------------------------------------------------------------------

  private static boolean everyFaultInjected() {
    return runtime.chaos().injected().entrySet().stream()
        .allMatch(e -> e.getValue() > 0 || NOT_MET_BY_FUNCTIONS.contains(e.getKey()));
  }

  /**
   * Sends a command as a careful client does: with an {@code Idempotency-Key}, and the same request
   * again after a 5xx (a function's DynamoDB call can fail for good, rarely, when every SDK attempt
   * is struck).
   */
  private static Sent send(String kind, String token, String path, String body, String hotelId) {
    String key = UUID.randomUUID().toString();
    Api.Answer a = null;
    for (int attempt = 1; attempt <= 6; attempt++) {
      a = api.post(path, token, "application/json", body, Map.of("Idempotency-Key", key));
      if (a.status() < 500) {
        break;
      }
      clientRetries.incrementAndGet();
      Backstage.sleep(50L * attempt);
    }
    assertEquals(202, a.status(), kind + " " + path + ": " + a.body());
    Map<String, Object> json = a.json();
    String commandId = (String) json.get("commandId");
    assertNotNull(commandId, a.body());
    return new Sent(
        kind,
        token,
        commandId,
        (String) json.get("reservationId"),
        hotelId != null ? hotelId : (String) json.get("hotelId"),
        null,
        null);
  }

  /** Polls each command's status until it leaves PENDING; fails naming those that do not. */
  private static void settle(List<Sent> sent, Map<String, Map<String, Object>> outcomes) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Map<String, Sent> pending = new LinkedHashMap<>();
    sent.forEach(s -> pending.put(s.commandId(), s));
    while (!pending.isEmpty()) {
      for (var it = pending.keySet().iterator(); it.hasNext(); ) {
        String id = it.next();
        Api.Answer a = api.get("/commands/" + id, admin);
        // A 5xx is the query side's DynamoDB failing for good: ask again.
        if (a.status() == 200 && !"PENDING".equals(a.json().get("status"))) {
          outcomes.put(id, a.json());
          it.remove();
        }
      }
      if (!pending.isEmpty()) {
        if (System.nanoTime() > deadline) {
          fail("commands never settled: " + pending.values());
        }
        Backstage.sleep(50);
      }
    }
  }

  /** The types of the events each command appended, from the events table. */
  private static Map<String, List<String>> eventsByCommand() {
    Map<String, List<String>> byCommand = new HashMap<>();
    ddb.scanPaginator(
            b ->
                b.tableName(runtime.tableName("events"))
                    .consistentRead(true)
                    .filterExpression("#kind = :event")
                    .expressionAttributeNames(Map.of("#kind", "kind"))
                    .expressionAttributeValues(Map.of(":event", AttributeValue.fromS("event"))))
        .items()
        .forEach(
            item ->
                byCommand
                    .computeIfAbsent(item.get("commandId").s(), c -> new ArrayList<>())
                    .add(item.get("type").s()));
    return byCommand;
  }
}
