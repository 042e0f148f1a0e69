package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.fixture.RecordChecks;
import io.innkeeper.events.Json;
import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.ops.Cli;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.ops.OpsMain;
import io.innkeeper.ops.RecordCheck;
import io.innkeeper.topology.PhysicalNames;
import io.innkeeper.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * With {@code --data-dir}, a {@code kill -9} of the shaded jar in the middle of a load loses
 * nothing. The jar runs as a user runs it, in a child JVM; bookings, cancellations and allotment
 * changes pour in from several clients (each request with an {@code Idempotency-Key}) faster than
 * the command handler takes them, so the queue has a backlog and the handler batches in hand when
 * the process gets SIGKILL. Restarted on the same data directory:
 *
 * <ol>
 *   <li>every command answered 202 before the kill still has its status (and some are PENDING: the
 *       kill did hit the load);
 *   <li>every accepted request sent again with its key gets the same command id (the idempotency
 *       records survived);
 *   <li>every request whose answer the kill swallowed (or that was answered with a 5xx, an answer
 *       in doubt), sent again with its key as a careful client does, is accepted;
 *   <li>every command settles, none FAILED;
 *   <li>the record holds no PENDING status, no overbooked night, each SUCCEEDED command's effect
 *       once and no trace of a rejected one (the soak's checks, {@link RecordCheck});
 *   <li>{@code verify} finds no drift.
 * </ol>
 *
 * <p>What it costs: the command queue's messages are kept in ElasticMQ's H2 database with their
 * receive state, so the batches the handler had received but not deleted when the process died stay
 * invisible for the rest of their visibility timeout (six times the handler's timeout: 180 s), and
 * FIFO holds every later message of their message groups behind them, as SQS does after a Lambda
 * crash. The runtime does nothing about them on restart, so this test waits that timeout out and
 * prints how long it took. It runs the jar with {@code --compress-time 10} ({@link
 * TimeCompression}: visibility timeout 31 s, the same receive counts and batches), so the wait is
 * 31 s rather than three minutes.
 *
 * <p>What it can catch that is not the system's fault: DynamoDB Local (2.6.1) answers a
 * TransactWriteItems before its SQLite COMMIT has run (the commit is queued, not awaited), so a
 * kill within that millisecond loses a write it acknowledged. For the intake's status and
 * idempotency record that shows here as a command answered 202 without a status (and a key that
 * makes a second command), rarely: it needs the kill to land in that window.
 */
class DurabilityIT {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /**
   * The jar runs with its timings ten times shorter ({@code --compress-time 10}): the same scenario
   * with a 31 s visibility timeout instead of 180 s.
   */
  private static final TimeCompression COMPRESSION = new TimeCompression(10);

  /** The command queue's visibility timeout, from the topology the jar runs. */
  private static final Duration VISIBILITY =
      Duration.ofSeconds(
          COMPRESSION
              .apply(Topology.innkeeper())
              .queue("command-queue")
              .visibilityTimeoutSeconds());

  private static final int LOAD_THREADS = 6;
  private static final int GUESTS_PER_THREAD = 3;

  /** Accepted commands before the kill: enough that the handler has a backlog and batches. */
  private static final int ACCEPTED_BEFORE_KILL = 150;

  private static final String[] ROOM_TYPES = {"DBL", "FAM"};

  /**
   * A request as sent, to send again with the same key after the restart if its answer got lost.
   */
  private record Request(String subject, boolean admin, String path, String key, String body) {}

  /** A command answered 202, the request that sent it, and the stream its effect belongs on. */
  private record Accepted(String commandId, String type, String stream, Request request) {}

  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Request> inDoubt = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
  private final AtomicInteger acceptedCount = new AtomicInteger();
  private final AtomicInteger serverErrors = new AtomicInteger();
  private final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
  private final List<String> hotelIds = new ArrayList<>();
  private final LocalDate from = LocalDate.now(ZoneOffset.UTC).plusDays(60);

  /** The API of the process running now: tokens are minted there. */
  private volatile Api current;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void a_kill_9_in_the_middle_of_a_load_loses_nothing(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    long t0 = System.nanoTime();
    LocalProcess first =
        LocalProcess.start(dataDir, dir.resolve("first.log"), START_TIMEOUT, COMPRESSION);
    int exit;
    long killedAt;
    List<Thread> load = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try {
      Api api = new Api(first.api());
      current = api;
      setUp(api);
      for (int t = 0; t < LOAD_THREADS; t++) {
        int thread = t;
        Thread th = new Thread(() -> load(api, thread, stop), "durability-load-" + t);
        th.setDaemon(true);
        load.add(th);
      }
      load.forEach(Thread::start);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (acceptedCount.get() < ACCEPTED_BEFORE_KILL && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(
          acceptedCount.get() >= ACCEPTED_BEFORE_KILL,
          "the load got only " + acceptedCount.get() + " commands accepted in 90 s");
      // kill -9 while the clients keep sending.
      exit = first.kill();
      killedAt = System.nanoTime();
    } finally {
      if (first.alive()) {
        first.kill();
      }
    }
    assertFalse(first.alive(), "the first process is still alive after SIGKILL");
    assertEquals(137, exit, "exit code after SIGKILL (128 + 9)");
    stop.set(true);
    for (Thread th : load) {
      th.join(30_000);
    }
    int acceptedBeforeKill = accepted.size();
    System.out.printf(
        "DurabilityIT: killed pid %d (exit %d) with %d commands accepted, %d requests in doubt"
            + " (%d of them answered 5xx before the kill), %.1f s after the start%n",
        first.pid(),
        exit,
        acceptedBeforeKill,
        inDoubt.size(),
        serverErrors.get(),
        seconds(killedAt - t0));

    List<String> findings = new ArrayList<>();
    try (LocalProcess second =
            LocalProcess.start(dataDir, dir.resolve("second.log"), START_TIMEOUT, COMPRESSION);
        DynamoDbClient ddb = LocalAws.dynamoDb(second.dynamoDb())) {
      long restartedAt = System.nanoTime();
      System.out.printf(
          "DurabilityIT: restarted on the same data directory, ready in %.1f s%n",
          second.readyMillis() / 1000.0);
      tokens.clear(); // tokens are signed by the process that minted them
      Api api = new Api(second.api());
      current = api;
      String commandsTable = PhysicalNames.table("commands");

      // 1. Every command answered 202 before the kill still has its status.
      List<String> ids = accepted.stream().map(Accepted::commandId).toList();
      Map<String, String> atRestart = statuses(ddb, commandsTable, ids);
      List<String> lost = ids.stream().filter(id -> !atRestart.containsKey(id)).toList();
      if (!lost.isEmpty()) {
        findings.add("commands answered 202 before the kill have no status: " + lost);
      }
      long pendingAtRestart = atRestart.values().stream().filter("PENDING"::equals).count();
      System.out.printf(
          "DurabilityIT: after the restart %d of the %d accepted commands have their status;"
              + " %d still PENDING; queues %s%n",
          ids.size() - lost.size(), ids.size(), pendingAtRestart, queues(second));
      assertTrue(
          pendingAtRestart > 0,
          "nothing was PENDING at the restart: the kill did not happen during the load");

      // 2. Idempotency keys survive: every accepted request sent again with its key gets the same
      // command id (docs/api.md: a key is honoured for 7 days).
      List<Accepted> before = List.copyOf(accepted);
      for (Accepted a : before) {
        Api.Answer again = send(api, a.request());
        Object id = again.status() == 202 ? again.json().get("commandId") : null;
        if (!a.commandId().equals(id)) {
          findings.add(
              a.request().path()
                  + " with key "
                  + a.request().key()
                  + " sent again after the restart: "
                  + again.status()
                  + " "
                  + again.body()
                  + " instead of command "
                  + a.commandId());
          if (id != null) {
            record(a.request(), again);
          }
        }
      }

      // 3. The requests whose answers the kill swallowed, sent again with their keys.
      int retried = 0;
      for (Request r : inDoubt) {
        Api.Answer a = send(api, r);
        if (a.status() == 202) {
          retried++;
          record(r, a);
        } else {
          unexpected.add(r.path() + " sent again answered " + a.status() + ": " + a.body());
        }
      }
      assertEquals(List.of(), List.copyOf(unexpected), "answers the clients did not expect");

      // 4. Everything settles: what the handler held at the kill waits out its visibility timeout
      // (and FIFO holds its message groups behind it).
      List<String> all = accepted.stream().map(Accepted::commandId).toList();
      Duration budget = VISIBILITY.plusSeconds(90);
      long settleDeadline = restartedAt + budget.toNanos();
      Map<String, String> now = statuses(ddb, commandsTable, all);
      long firstTenSeconds = -1;
      while (now.values().stream().anyMatch("PENDING"::equals)
          && System.nanoTime() < settleDeadline) {
        Thread.sleep(500);
        now = statuses(ddb, commandsTable, all);
        if (firstTenSeconds < 0 && System.nanoTime() - restartedAt > TimeUnit.SECONDS.toNanos(10)) {
          firstTenSeconds = now.values().stream().filter("PENDING"::equals).count();
        }
      }
      long settledAt = System.nanoTime();
      long stillPending = now.values().stream().filter("PENDING"::equals).count();
      System.out.printf(
          "DurabilityIT: %d commands (%d in doubt sent again); %s %.1f s after the restart, %.1f s"
              + " after the kill (visibility timeout %d s); %s PENDING 10 s after the restart%n",
          all.size(),
          retried,
          stillPending == 0 ? "all settled" : stillPending + " still PENDING",
          seconds(settledAt - restartedAt),
          seconds(settledAt - killedAt),
          VISIBILITY.toSeconds(),
          firstTenSeconds < 0 ? "none" : Long.toString(firstTenSeconds));
      if (stillPending > 0) {
        Map<String, String> last = now;
        findings.add(
            stillPending
                + " commands still PENDING "
                + budget.toSeconds()
                + " s after the restart: "
                + accepted.stream()
                    .filter(a -> "PENDING".equals(last.get(a.commandId())))
                    .map(a -> a.type() + " " + a.commandId() + " " + a.stream())
                    .limit(10)
                    .toList()
                + "; queues "
                + queues(second));
      }

      // 5. The record: nothing PENDING anywhere, nothing overbooked, every SUCCEEDED command's
      // effect there once, no trace of a rejected one, nothing FAILED.
      RecordCheck checker =
          new RecordCheck(
              ddb,
              PhysicalNames.table("events"),
              commandsTable,
              new HotelDomain().fixtures().recordChecks());
      RecordCheck.Snapshot snapshot = checker.read();
      Map<String, Long> outcomes = RecordCheck.outcomes(snapshot);
      System.out.println("DurabilityIT: outcomes " + outcomes);
      if (outcomes.keySet().stream().anyMatch(k -> k.contains(" FAILED"))) {
        findings.add("a command FAILED: " + outcomes);
      }
      List<RecordCheck.Expected> expected =
          accepted.stream()
              .map(a -> new RecordCheck.Expected(a.commandId(), a.type(), a.stream()))
              .toList();
      List<RecordChecks.Check> checks = new ArrayList<>();
      checks.add(checker.pending(snapshot, all));
      checks.addAll(checker.domain(snapshot));
      checks.add(checker.effects(snapshot, expected, 0));
      checks.add(checker.traces(snapshot));
      for (RecordChecks.Check check : checks) {
        System.out.println(
            "DurabilityIT: " + check.name() + ": " + check.count() + " " + check.parts());
        if (!check.passed()) {
          findings.add(
              check.name() + ": " + check.count() + " " + check.parts() + " " + check.examples());
        }
      }

      // 6. Read models: the projector resumes from its checkpoint; verify must see no drift.
      String verify = "";
      int code = -1;
      long verifyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      do {
        if (code != -1) {
          Thread.sleep(1000);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        code =
            Cli.run(
                new OpsMain(),
                List.of("verify", "--endpoint", second.dynamoDb().toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        verify = out.toString(StandardCharsets.UTF_8);
      } while (code != 0 && System.nanoTime() < verifyDeadline);
      System.out.print("DurabilityIT: " + verify);
      if (code != 0 || !verify.contains("drift: none")) {
        findings.add("verify: " + verify);
      }
      if (!findings.isEmpty()) {
        System.out.println("DurabilityIT: log of the restarted process:\n" + second.log());
      }
    }
    assertEquals(List.of(), findings, "lost or damaged by the kill -9");
  }

  // -----------------------------------------------------------------------------------------------

  private void setUp(Api api) throws InterruptedException {
    List<String> commands = new ArrayList<>();
    for (int h = 0; h < 2; h++) {
      Request r =
          new Request(
              "admin",
              true,
              "/hotels",
              "setup-hotel-" + h,
              Json.write(
                  Json.obj(
                      "name",
                      "Durable Inn " + h,
                      "city",
                      "Durham",
                      "roomTypes",
                      List.of(
                          Json.obj("code", "DBL", "name", "Double", "maxGuests", 2),
                          Json.obj("code", "FAM", "name", "Family", "maxGuests", 4)))));
      Api.Answer a = send(api, r);
      assertEquals(202, a.status(), a.body());
      hotelIds.add((String) a.json().get("hotelId"));
      commands.add(record(r, a));
    }
    awaitSettled(api, commands);
    commands.clear();
    for (String hotelId : hotelIds) {
      for (String type : ROOM_TYPES) {
        Request r = allotment("setup-allot-" + hotelId + type, hotelId, type, 0, 30, 5);
        Api.Answer a = send(api, r);
        assertEquals(202, a.status(), a.body());
        commands.add(record(r, a));
      }
    }
    awaitSettled(api, commands);
  }

  private void awaitSettled(Api api, List<String> commandIds) {
    for (String id : commandIds) {
      Api.Answer a = api.awaitSettled(id, token("admin", true), Duration.ofSeconds(60));
      assertEquals("SUCCEEDED", a.json().get("status"), a.body());
    }
  }

  /** One load client: books, cancels its own earlier bookings, and changes allotments. */
  private void load(Api api, int thread, AtomicBoolean stop) {
    Random random = new Random(thread);
    List<String> mine = new ArrayList<>();
    int n = 0;
    while (!stop.get()) {
      n++;
      String key = "load-" + thread + "-" + n;
      String guest = "guest-" + thread + "-" + random.nextInt(GUESTS_PER_THREAD);
      int op = random.nextInt(100);
      Request r;
      if (op < 15 && !mine.isEmpty()) {
        String[] target = mine.get(random.nextInt(mine.size())).split(" ");
        r = new Request(target[1], false, "/reservations/" + target[0] + "/cancel", key, "{}");
      } else if (op < 30) {
        int start = random.nextInt(28);
        r =
            allotment(
                key,
                hotelIds.get(random.nextInt(hotelIds.size())),
                ROOM_TYPES[random.nextInt(2)],
                start,
                start + 1 + random.nextInt(2),
                random.nextInt(7));
      } else {
        int in = random.nextInt(28);
        r =
            new Request(
                guest,
                false,
                "/reservations",
                key,
                Json.write(
                    Json.obj(
                        "hotelId", hotelIds.get(random.nextInt(hotelIds.size())),
                        "roomType", ROOM_TYPES[random.nextInt(2)],
                        "checkIn", from.plusDays(in).toString(),
                        "checkOut", from.plusDays(in + 1 + random.nextInt(3)).toString(),
                        "guests", 1 + random.nextInt(2))));
      }
      Api.Answer a;
      try {
        a = send(api, r);
      } catch (UncheckedIOException | IllegalStateException e) {
        // No answer: the process died with the request in flight (or before it arrived).
        inDoubt.add(r);
        return;
      }
      if (a.status() >= 500) {
        // An answer in doubt (docs/api.md): the command may or may not have been taken, so a
        // careful client sends it again with its key; this one does after the restart. On a busy
        // machine the process's own SDK calls can outlast their timeouts under this load.
        inDoubt.add(r);
        serverErrors.incrementAndGet();
        continue;
      }
      if (a.status() != 202) {
        unexpected.add(r.path() + " answered " + a.status() + ": " + a.body());
        continue;
      }
      record(r, a);
      if (r.path().equals("/reservations")) {
        mine.add(a.json().get("reservationId") + " " + r.subject());
      }
    }
  }

  private Request allotment(String key, String hotelId, String type, int from, int to, int rooms) {
    return new Request(
        "admin",
        true,
        "/hotels/" + hotelId + "/allotments",
        key,
        Json.write(
            Json.obj(
                "roomType", type,
                "from", this.from.plusDays(from).toString(),
                "to", this.from.plusDays(to).toString(),
                "rooms", rooms,
                "nightlyRate", Json.obj("amount", "120.00", "currency", "EUR"))));
  }

  private Api.Answer send(Api api, Request r) {
    return api.post(
        r.path(),
        token(r.subject(), r.admin()),
        "application/json",
        r.body(),
        Map.of("Idempotency-Key", r.key()));
  }

  private String record(Request r, Api.Answer a) {
    Map<String, Object> body = a.json();
    String commandId = (String) body.get("commandId");
    String type;
    String stream;
    if (r.path().equals("/hotels")) {
      type = "RegisterHotel";
      stream = "hotel#" + body.get("hotelId");
    } else if (r.path().endsWith("/allotments")) {
      type = "SetAllotment";
      stream = "hotel#" + r.path().split("/")[2];
    } else if (r.path().endsWith("/cancel")) {
      type = "CancelReservation";
      stream = "reservation#" + r.path().split("/")[2];
    } else {
      type = "BookRoom";
      stream = "reservation#" + body.get("reservationId");
    }
    if (acceptedIds.add(commandId)) {
      accepted.add(new Accepted(commandId, type, stream, r));
      acceptedCount.incrementAndGet();
    }
    return commandId;
  }

  /** A token for {@code subject} from the running process's {@code POST /_local/tokens}. */
  private String token(String subject, boolean admin) {
    return tokens.computeIfAbsent(subject, s -> mint(s, admin));
  }

  private String mint(String subject, boolean admin) {
    Api.Answer a =
        current.postJson(
            "/_local/tokens",
            null,
            Json.write(Json.obj("sub", subject, "groups", admin ? List.of("admin") : List.of())));
    assertEquals(200, a.status(), a.body());
    return (String) a.json().get("token");
  }

  private static Map<String, String> statuses(
      DynamoDbClient ddb, String table, Collection<String> ids) {
    Map<String, String> found = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int i = 0; i < all.size(); i += 100) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (String id : all.subList(i, Math.min(all.size(), i + 100))) {
        keys.add(Map.of("pk", AttributeValue.fromS("command#" + id)));
      }
      Map<String, KeysAndAttributes> request =
          Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> ask = request;
        var response = ddb.batchGetItem(b -> b.requestItems(ask));
        for (var item : response.responses().getOrDefault(table, List.of())) {
          found.put(item.get("commandId").s(), item.get("status").s());
        }
        request =
            response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()
                ? new HashMap<>(response.unprocessedKeys())
                : Map.of();
      }
    }
    return found;
  }

  /** Messages waiting and in flight per queue of the running process. */
  private static Map<String, String> queues(LocalProcess process) {
    Map<String, String> depth = new java.util.TreeMap<>();
    if (process.sqs() == null) {
      return depth;
    }
    try (var sqs = LocalAws.sqs(process.sqs())) {
      for (var spec : Topology.innkeeper().queues()) {
        String url = sqs.getQueueUrl(r -> r.queueName(PhysicalNames.queue(spec))).queueUrl();
        var a =
            sqs.getQueueAttributes(
                    r ->
                        r.queueUrl(url)
                            .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        depth.put(
            spec.id(),
            a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + " waiting, "
                + a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                + " in flight");
      }
    } catch (RuntimeException e) {
      depth.put("error", e.toString());
    }
    return depth;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
