package io.innkeeper.local;

import static io.innkeeper.local.Commands.accepted;
import static io.innkeeper.local.Commands.bookingBody;
import static io.innkeeper.local.Commands.roomType;
import static io.innkeeper.local.Commands.roomTypes;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.innkeeper.ops.Cli;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.ops.OpsMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code verify} and {@code rebuild} against the running embedded runtime, exactly as an operator
 * runs them ({@code --endpoint}): after a mixed load the read models show no drift; a damaged read
 * model is reported and a reset rebuild gives back identical answers to every query; a rebuild
 * while commands keep flowing leaves no drift.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadModelOpsIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final LocalDate START = today().plusDays(60);

  private static LocalRuntime runtime;
  private static Tokens tokens;
  private static Api api;
  private static Commands commands;
  private static DynamoDbClient ddb;
  private static String city;
  private static String hotelId;
  private static final List<String> guests = new ArrayList<>();
  private static final List<String> reservations = new ArrayList<>();

  @BeforeAll
  static void mixedLoad() throws Exception {
    // Its own runtime: verify and rebuild replay every event, and the shared runtime holds every
    // earlier IT's.
    runtime = SharedRuntime.own();
    tokens = new Tokens(runtime);
    api = new Api(runtime.apiUrl());
    commands = new Commands(api, SETTLE, tokens::admin);
    ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint());
    city = unique("Ops");
    Api.Answer hotel =
        commands.registerHotel(
            "Ops Inn", city, roomTypes(roomType("DBL", "Double", 2), roomType("FAM", "Family", 4)));
    hotelId = (String) hotel.json().get("hotelId");
    settled((String) hotel.json().get("commandId"));
    settled(allot("DBL", 0, 20, 4, "110.00"));
    settled(allot("FAM", 10, 40, 2, "180.00"));
    settled(allot("DBL", 5, 8, 6, "130.00")); // overlaps: the later allotment wins those nights
    for (int g = 0; g < 6; g++) {
      guests.add("ops-guest-" + g + "-" + city);
    }
    // Bookings from six guests at once, some of them sold out, then every third one cancelled.
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String[]>> sent = new ArrayList<>();
      for (int i = 0; i < 36; i++) {
        int n = i;
        sent.add(
            pool.submit(
                () -> {
                  String type = n % 4 == 0 ? "FAM" : "DBL";
                  int in = type.equals("FAM") ? 10 + n % 20 : n % 15;
                  return book(guests.get(n % guests.size()), type, in, in + 1 + n % 3);
                }));
      }
      for (Future<String[]> f : sent) {
        String[] ids = f.get();
        Map<String, Object> status = settled(ids[0]);
        if ("SUCCEEDED".equals(status.get("status"))) {
          reservations.add(ids[1] + "|" + ids[2]);
        }
      }
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < reservations.size(); i += 3) {
      String[] r = reservations.get(i).split("\\|");
      settled(cancel(r[1], r[0]));
    }
    assertTrue(reservations.size() >= 10, "enough bookings succeeded: " + reservations.size());
  }

  @AfterAll
  static void close() {
    ddb.close();
    SharedRuntime.release(runtime);
  }

  @Test
  @Order(1)
  void after_a_mixed_load_verify_reports_no_drift() {
    Run verify = awaitNoDrift();

    assertEquals(0, verify.code(), verify.out());
    assertTrue(verify.out().contains("drift: none"), verify.out());
  }

  @Test
  @Order(2)
  void a_damaged_read_model_is_reported_and_a_reset_rebuild_gives_identical_answers() {
    awaitNoDrift();
    Map<String, String> before = answers();
    // Damage two read models behind the projector's back: a booked count and a reservation row.
    String month = START.plusDays(2).toString().substring(0, 7);
    String day = START.plusDays(2).toString().substring(8);
    ddb.updateItem(
        b ->
            b.tableName(runtime.tableName("availability"))
                .key(key("hotel#" + hotelId, month + "#DBL"))
                .updateExpression("SET b" + day + " = :n")
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromN("99"))));
    String victim = reservations.get(1).split("\\|")[0];
    ddb.deleteItem(
        b ->
            b.tableName(runtime.tableName("reservations"))
                .key(key("reservation#" + victim, "reservation")));

    Run damaged = ops("verify");
    assertEquals(1, damaged.code(), damaged.out());
    assertTrue(
        damaged
            .out()
            .contains("differs    " + runtime.tableName("availability") + " hotel#" + hotelId),
        damaged.out());
    assertTrue(damaged.out().contains("b" + day + " expected"), damaged.out());
    assertTrue(
        damaged
            .out()
            .contains("missing    " + runtime.tableName("reservations") + " reservation#" + victim),
        damaged.out());

    // A replay fills in what is missing, but never overrides a row its guards say is current...
    Run replay = ops("rebuild");
    assertEquals(0, replay.code(), replay.out());
    Run afterReplay = ops("verify");
    assertEquals(1, afterReplay.code(), afterReplay.out());
    assertTrue(!afterReplay.out().contains("reservation#" + victim), afterReplay.out());
    // ...so the damaged count needs a reset: every query row deleted and rebuilt from the events.
    Run reset = ops("rebuild", "--reset");
    assertEquals(0, reset.code(), reset.out());
    assertTrue(reset.out().contains("after deleting every query row"), reset.out());

    Run clean = ops("verify");
    assertEquals(0, clean.code(), clean.out());
    assertEquals(before, answers(), "every query answers as before the damage");
  }

  @Test
  @Order(3)
  void a_rebuild_while_commands_keep_flowing_leaves_no_drift() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<String> commandIds = new ArrayList<>();
    Thread load =
        new Thread(
            () -> {
              for (int i = 0; !stop.get() && i < 60; i++) {
                String[] ids = book(guests.get(i % guests.size()), "DBL", i % 18, i % 18 + 2);
                synchronized (commandIds) {
                  commandIds.add(ids[0]);
                }
                if (i % 4 == 0) {
                  Map<String, Object> s = settled(ids[0]);
                  if ("SUCCEEDED".equals(s.get("status"))) {
                    synchronized (commandIds) {
                      commandIds.add(cancel(guests.get(i % guests.size()), ids[1]));
                    }
                  }
                }
              }
            });
    load.start();
    Run rebuild = ops("rebuild");
    Run again = ops("rebuild");
    stop.set(true);
    load.join(60_000);

    assertEquals(0, rebuild.code(), rebuild.out());
    assertEquals(0, again.code(), again.out());
    synchronized (commandIds) {
      assertTrue(commandIds.size() > 5, "commands flowed during the rebuild: " + commandIds.size());
      commandIds.forEach(ReadModelOpsIT::settled);
    }
    Run verify = awaitNoDrift();
    assertEquals(0, verify.code(), verify.out());
  }

  // Helpers

  private record Run(int code, String out) {}

  private static Run ops(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--endpoint", runtime.dynamoDbEndpoint().toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      int code = Cli.run(new OpsMain(), argv, ps, ps);
      return new Run(code, out.toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      return fail(String.join(" ", argv) + " threw " + e);
    }
  }

  /** The projector catches up on its own; verify is run until it agrees. */
  private static Run awaitNoDrift() {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    long pause = 200;
    Run last;
    do {
      last = ops("verify");
      if (last.code() == 0) {
        return last;
      }
      Backstage.sleep(pause);
      pause = Math.min(2000, pause * 2);
    } while (System.nanoTime() < deadline);
    return fail("the read models did not converge:\n" + last.out());
  }

  /** The key of a read-model row. */
  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
  }

  /** The answer to every query route this test's data touches, by request. */
  private static Map<String, String> answers() {
    String admin = tokens.admin();
    Map<String, String> answers = new LinkedHashMap<>();
    List<String[]> requests = new ArrayList<>();
    requests.add(new String[] {"/hotels?city=" + city, null});
    requests.add(new String[] {"/hotels/" + hotelId, null});
    for (int in = 0; in < 20; in += 3) {
      requests.add(
          new String[] {
            "/availability?city="
                + city
                + "&checkIn="
                + START.plusDays(in)
                + "&checkOut="
                + START.plusDays(in + 2)
                + "&guests=2",
            null
          });
    }
    requests.add(
        new String[] {
          "/hotels/" + hotelId + "/occupancy?from=" + START + "&to=" + START.plusDays(41), admin
        });
    for (String r : reservations) {
      requests.add(new String[] {"/reservations/" + r.split("\\|")[0], admin});
    }
    for (String g : guests) {
      requests.add(new String[] {"/me/reservations?limit=100", tokens.guest(g)});
    }
    for (String[] request : requests) {
      Api.Answer a = api.get(request[0], request[1]);
      assertEquals(200, a.status(), request[0] + " " + a.body());
      answers.put(request[0] + " as " + (request[1] == null ? "anyone" : "caller"), a.body());
    }
    return answers;
  }

  private static String allot(String type, int from, int to, int rooms, String amount) {
    return accepted(
        commands.setAllotment(
            hotelId, type, START.plusDays(from), START.plusDays(to), rooms, amount));
  }

  /** Books as {@code guest}; returns {commandId, reservationId, guest}. */
  private static String[] book(String guest, String type, int in, int out) {
    Api.Answer a =
        commands.book(
            tokens.guest(guest),
            bookingBody(hotelId, type, START.plusDays(in), START.plusDays(out), 2));
    return new String[] {accepted(a), (String) a.json().get("reservationId"), guest};
  }

  private static String cancel(String guest, String reservationId) {
    return accepted(commands.cancel(tokens.guest(guest), reservationId, "{}"));
  }

  private static Map<String, Object> settled(String commandId) {
    Map<String, Object> status = commands.settled(commandId);
    assertTrue(List.of("SUCCEEDED", "REJECTED").contains(status.get("status")), status.toString());
    return status;
  }
}
