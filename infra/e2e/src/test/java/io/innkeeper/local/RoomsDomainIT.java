package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.fixture.RecordChecks;
import io.innkeeper.events.Json;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.ops.ReadModelOps;
import io.innkeeper.ops.ReadModelTables;
import io.innkeeper.ops.RecordCheck;
import io.innkeeper.rooms.RoomsDomain;
import io.innkeeper.topology.PhysicalNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The domain plugs in: a second domain (meeting rooms, {@link RoomsDomain}, test scope, built on
 * the core alone) runs through the full local runtime, unchanged: the same gateway, functions,
 * queue and stream pollers, picked by {@code --domain rooms} in a JVM of its own (the functions of
 * one JVM share one environment) from a classpath that holds both domains. Its own routes are
 * served and the hotel's are not; concurrent bookings of overlapping half hours leave exactly one
 * of them standing (the cross-aggregate invariant, enforced in the write's transaction); its
 * projection answers its query, read-your-writes with a consistency token; and the record passes
 * the rooms' own check and the core's, and {@code verify} finds no drift.
 */
class RoomsDomainIT {
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration SETTLE = Duration.ofSeconds(30);

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void the_meeting_rooms_domain_runs_through_the_local_runtime(@TempDir Path dir) throws Exception {
    try (LocalProcess rooms =
        LocalProcess.start(
            System.getProperty("java.class.path"),
            List.of(
                "--port",
                "0",
                "--domain",
                RoomsDomain.NAME,
                "--data-dir",
                dir.resolve("data").toString()),
            dir.resolve("rooms.log"),
            START)) {
      Api api = new Api(rooms.api());
      String admin = token(api, "ada", true);
      String gus = token(api, "gus", false);
      String olga = token(api, "olga", false);

      // The banner lists the rooms' demo data, seeded through the rooms' own routes.
      assertTrue(rooms.stdout().contains("Demo rooms:"), rooms.stdout().toString());

      // Only the rooms' routes are served: the hotel's are unknown to this gateway.
      assertEquals(404, api.postJson("/hotels", admin, "{}").status());
      assertEquals(404, api.get("/availability?city=Lisbon", null).status());

      // An admin registers a room.
      var registered = api.postJson("/rooms", admin, "{\"name\":\"Attic\",\"seats\":6}");
      assertEquals(202, registered.status(), registered.body());
      String roomId = (String) registered.json().get("roomId");
      assertEquals("SUCCEEDED", settle(api, registered, admin).json().get("status"));

      // Bad input is a 400 naming each field, and nothing is enqueued.
      LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(7);
      var bad =
          api.postJson(
              "/rooms/" + roomId + "/bookings",
              gus,
              "{\"date\":\"" + day + "\",\"from\":\"10:00\",\"to\":\"09:15\"}");
      assertEquals(400, bad.status(), bad.body());
      assertTrue(bad.body().contains("\"to\""), bad.body());

      // 17 bookings at once: 8 of 09:00-10:00 and 8 of 09:30-10:30 (each overlapping every
      // other), and one of 10:30-11:30 (overlapping none of them). Exactly two may stand.
      List<String> slots = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        slots.add("09:00-10:00");
        slots.add("09:30-10:30");
      }
      slots.add("10:30-11:30");
      ConcurrentLinkedQueue<Api.Answer> accepted = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (String slot : slots) {
        String[] fromTo = slot.split("-");
        Thread t =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  accepted.add(
                      api.postJson(
                          "/rooms/" + roomId + "/bookings",
                          gus,
                          Json.write(
                              Json.obj(
                                  "date", day.toString(), "from", fromTo[0], "to", fromTo[1]))));
                });
        t.start();
        threads.add(t);
      }
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      Map<String, Integer> outcomes = new TreeMap<>();
      List<Api.Answer> stood = new ArrayList<>();
      for (Api.Answer a : accepted) {
        assertEquals(202, a.status(), a.body());
        Api.Answer status = settle(api, a, gus);
        String outcome = status.json().get("status") + " " + status.json().get("reason");
        outcomes.merge(outcome, 1, Integer::sum);
        if ("SUCCEEDED".equals(status.json().get("status"))) {
          stood.add(status);
        }
      }
      assertEquals(Map.of("REJECTED SLOT_TAKEN", 15, "SUCCEEDED null", 2), outcomes);

      // The schedule shows the two that stood, in time order, read-your-writes with a token.
      Map<String, Object> schedule = schedule(api, roomId, day, gus, stood.get(1));
      List<?> bookings = (List<?>) schedule.get("bookings");
      assertEquals(2, bookings.size(), schedule.toString());
      String first = (String) ((Map<?, ?>) bookings.get(0)).get("from");
      assertTrue(first.equals("09:00") || first.equals("09:30"), schedule.toString());
      assertEquals("10:30", ((Map<?, ?>) bookings.get(1)).get("from"));
      String winner = (String) ((Map<?, ?>) bookings.get(0)).get("bookingId");

      // Someone else may not cancel it; whoever booked it may, and the half hours are free again.
      var stranger = api.postJson("/bookings/" + winner + "/cancel", olga, "{}");
      assertEquals("NOT_OWNER", settle(api, stranger, olga).json().get("reason"));
      var cancelled = api.postJson("/bookings/" + winner + "/cancel", gus, "{}");
      Api.Answer cancelledStatus = settle(api, cancelled, gus);
      assertEquals("SUCCEEDED", cancelledStatus.json().get("status"));
      assertEquals(
          1, ((List<?>) schedule(api, roomId, day, gus, cancelledStatus).get("bookings")).size());
      var again =
          api.postJson(
              "/rooms/" + roomId + "/bookings",
              olga,
              "{\"date\":\"" + day + "\",\"from\":\"09:00\",\"to\":\"10:30\"}");
      assertEquals("SUCCEEDED", settle(api, again, olga).json().get("status"));
      var unknown =
          api.postJson(
              "/rooms/no-such-room/bookings",
              olga,
              "{\"date\":\"" + day + "\",\"from\":\"09:00\",\"to\":\"10:00\"}");
      assertEquals("UNKNOWN_ROOM", settle(api, unknown, olga).json().get("reason"));

      // The console knows this domain as it knows the hotel: its examples, its routes and
      // projections, and a command's journey through them, with nothing of the hotel's.
      Map<String, Object> overview = api.get("/_local/console/api/overview", null).json();
      assertEquals(RoomsDomain.NAME, overview.get("domain"));
      assertTrue(
          overview.get("examples").toString().contains("Register a room"), overview.toString());
      assertTrue(overview.get("routes").toString().contains("POST /rooms"), overview.toString());
      assertFalse(overview.toString().contains("/hotels"), overview.toString());
      String cancelId = (String) cancelled.json().get("commandId");
      Map<String, Object> journey =
          api.await(
                  "/_local/console/api/commands/" + cancelId,
                  null,
                  a ->
                      a.status() == 200
                          && a.body().contains("\"kind\":\"decided\"")
                          && a.body().contains("\"kind\":\"projected\""),
                  SETTLE)
              .json();
      assertEquals("SUCCEEDED", journey.get("status"), journey.toString());
      Map<String, Object> history =
          api.get(
                  "/_local/console/api/history?stream="
                      + java.net.URLEncoder.encode(
                          (String) journey.get("stream"), java.nio.charset.StandardCharsets.UTF_8),
                  null)
              .json();
      List<?> events = (List<?>) history.get("events");
      assertTrue(events.size() >= 2, "booked, then cancelled: " + history);
      assertFalse(((List<?>) ((Map<?, ?>) events.get(events.size() - 1)).get("rows")).isEmpty());

      // The record: the rooms' invariant and the core's checks hold, and the read model is what
      // a replay of the record gives.
      try (DynamoDbClient ddb = LocalAws.dynamoDb(rooms.dynamoDb())) {
        RoomsDomain domain = new RoomsDomain();
        RecordCheck checker =
            new RecordCheck(
                ddb,
                PhysicalNames.table("events"),
                PhysicalNames.table("commands"),
                domain.fixtures().recordChecks());
        RecordCheck.Snapshot snapshot = checker.read();
        List<RecordChecks.Check> checks = new ArrayList<>(checker.domain(snapshot));
        checks.add(checker.effects(snapshot, List.of(), 0));
        checks.add(checker.traces(snapshot));
        assertEquals("half hours booked twice", checks.get(0).name());
        // The booking of 10:30 and the one that took the freed half hours.
        assertEquals(2L, checks.get(0).parts().get("live bookings"), checks.toString());
        for (RecordChecks.Check check : checks) {
          assertTrue(check.passed(), check.toString());
        }
        ReadModelOps.Drift drift = new ReadModelOps(ddb, ReadModelTables.local(domain)).verify();
        assertTrue(drift.none(), drift.lines().toString());
      }
    }
  }

  private static Api.Answer settle(Api api, Api.Answer accepted, String token) {
    return api.awaitSettled((String) accepted.json().get("commandId"), token, SETTLE);
  }

  private static Map<String, Object> schedule(
      Api api, String roomId, LocalDate day, String token, Api.Answer after) {
    Api.Answer a =
        api.get(
            "/rooms/" + roomId + "/schedule?date=" + day,
            token,
            Map.of("X-Consistency-Token", (String) after.json().get("consistencyToken")));
    assertEquals(200, a.status(), a.body());
    return a.json();
  }

  private static String token(Api api, String sub, boolean admin) {
    Api.Answer a =
        api.postJson(
            "/_local/tokens",
            null,
            Json.write(Json.obj("sub", sub, "groups", admin ? List.of("admin") : List.of())));
    assertEquals(200, a.status(), a.body());
    return (String) a.json().get("token");
  }
}
