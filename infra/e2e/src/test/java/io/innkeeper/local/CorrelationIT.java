package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.bookingBody;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.ConsistencyToken;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Follows one booking through every function by its ids, in the real log lines the functions write
 * (System.err teed while the test runs): command-api accepts it, command-handler decides it, the
 * projector projects its event, and query-api waits on its consistency token. Every line written
 * meanwhile must be a JSON object with the required fields, and the metric lines valid EMF.
 */
class CorrelationIT {
  private static Api api;
  private static Commands commands;
  private static String hotelId;
  private static LocalDate checkIn;

  @BeforeAll
  static void hotel() {
    LocalRuntime runtime = SharedRuntime.get();
    api = new Api(runtime.apiUrl());
    commands = new Commands(api, Duration.ofSeconds(20));
    Api.Answer hotel = commands.registerHotel("Trace Inn", unique("Trace"), DBL_ONLY);
    hotelId = (String) hotel.json().get("hotelId");
    commands.settled(Commands.accepted(hotel));
    checkIn = today().plusDays(90);
    commands.settled(
        Commands.accepted(
            commands.setAllotment(hotelId, "DBL", checkIn, checkIn.plusDays(5), 3, "80.00")));
  }

  @Test
  void one_booking_is_followed_end_to_end_by_its_command_id() {
    String guest = SharedRuntime.guestToken(unique("tracer"));
    String key = unique("trace-key");
    String body = bookingBody(hotelId, "DBL", checkIn, checkIn.plusDays(2), 2);
    List<Map<String, Object>> lines;
    String commandId;
    String bookRequestId;
    String queryRequestId;
    String token;
    try (LogCapture capture = new LogCapture()) {
      Api.Answer booked = commands.book(guest, body, Map.of("Idempotency-Key", key));
      commandId = Commands.accepted(booked);
      String reservationId = (String) booked.json().get("reservationId");
      bookRequestId = booked.header("apigw-requestid");
      assertNotNull(bookRequestId);
      Map<String, Object> status =
          api.awaitSettled(commandId, guest, Duration.ofSeconds(20)).json();
      assertEquals("SUCCEEDED", status.get("status"), status.toString());
      token = (String) status.get("consistencyToken");

      Api.Answer read =
          api.get("/reservations/" + reservationId, guest, Map.of("X-Consistency-Token", token));
      assertEquals(200, read.status(), read.body());
      queryRequestId = read.header("apigw-requestid");

      // The projector logs after its commit, so its line may trail the query that saw the commit.
      String id = commandId;
      lines =
          awaitLines(
              capture, l -> id.equals(l.get("commandId")) && "projector".equals(l.get("function")));
    }

    // Every line written meanwhile, by any function or the runtime, is structured.
    for (Map<String, Object> line : lines) {
      for (String field : List.of("level", "timestamp", "function", "msg")) {
        assertInstanceOf(String.class, line.get(field), field + " in " + line);
      }
      Instant.parse((String) line.get("timestamp"));
      assertFalse(line.containsValue(null), line.toString());
      // Never a token, a body or the client's key.
      String text = line.toString();
      assertFalse(text.contains(token), text);
      assertFalse(text.contains(key), text);
      assertFalse(text.contains("Bearer"), text);
    }

    List<Map<String, Object>> mine =
        lines.stream().filter(l -> commandId.equals(l.get("commandId"))).toList();
    Set<String> functions =
        mine.stream()
            .map(l -> (String) l.get("function"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(
        functions.containsAll(Set.of("command-api", "command-handler", "projector", "query-api")),
        "functions that logged the command: " + functions);
    // Every line about the command carries the request that sent it, except the query's, which
    // carries its own request and names the command through the token it waited on.
    for (Map<String, Object> line : mine) {
      if (!"query-api".equals(line.get("function"))) {
        assertEquals(bookRequestId, line.get("requestId"), line.toString());
      }
    }

    Map<String, Object> accepted = one(mine, "command-api", "command accepted");
    assertEquals("BookRoom", accepted.get("commandType"));

    Map<String, Object> decided = one(mine, "command-handler", "command decided");
    assertEquals("SUCCEEDED", decided.get("status"));
    ConsistencyToken named = ConsistencyToken.parse(token).orElseThrow();
    assertEquals(named.streamId(), decided.get("stream"));
    assertEquals(named.version(), ((Number) decided.get("version")).longValue());

    Map<String, Object> projected = one(mine, "projector", "event projected");
    assertEquals(named.streamId(), projected.get("stream"));
    assertInstanceOf(Number.class, projected.get("lagMs"));

    // The query that waited on the token: found by the stream and version its command decided.
    Map<String, Object> waited =
        lines.stream()
            .filter(l -> "consistency wait".equals(l.get("msg")))
            .filter(l -> queryRequestId.equals(l.get("requestId")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no token wait of " + queryRequestId));
    assertEquals("query-api", waited.get("function"));
    assertEquals(commandId, waited.get("commandId"), "the token names the command it came from");
    assertEquals(decided.get("stream"), waited.get("stream"));
    assertEquals(decided.get("version"), waited.get("version"));
    assertEquals("reached", waited.get("outcome"));
    assertInstanceOf(Number.class, waited.get("waitedMs"));

    // The record keeps the request id beside the command id.
    try (Backstage backstage = new Backstage(SharedRuntime.get())) {
      var event =
          backstage.items(named.streamId()).stream()
              .filter(i -> i.containsKey("kind") && "event".equals(i.get("kind").s()))
              .findFirst()
              .orElseThrow();
      assertEquals(commandId, event.get("commandId").s());
      assertEquals(bookRequestId, event.get("requestId").s());
    }

    // The metric lines of the scenario: valid EMF, with the values it should have counted.
    assertMetric(lines, "CommandsAccepted", "CommandType", "BookRoom", commandId);
    assertMetric(lines, "CommandsSucceeded", "CommandType", "BookRoom", commandId);
    assertMetric(lines, "ProjectionLag", "Projection", "reservations", commandId);
    assertMetric(lines, "ConsistencyWaits", null, null, null);
    lines.stream().filter(l -> l.containsKey("_aws")).forEach(CorrelationIT::assertEmf);
  }

  @Test
  void a_rejection_is_counted_by_its_reason_in_valid_emf() {
    String guest = SharedRuntime.guestToken(unique("rejected"));
    List<Map<String, Object>> lines;
    String commandId;
    try (LogCapture capture = new LogCapture()) {
      Api.Answer sent =
          commands.book(
              guest,
              bookingBody(unique("nohotel"), "DBL", checkIn, checkIn.plusDays(1), 1),
              Map.of("Prefer", "wait=10"));
      Map<String, Object> status = commands.settled(sent, guest);
      assertEquals("REJECTED", status.get("status"));
      assertEquals("UNKNOWN_HOTEL", status.get("reason"));
      commandId = (String) status.get("commandId");
      String id = commandId;
      lines =
          awaitLines(
              capture,
              l -> id.equals(l.get("commandId")) && "CommandsRejected".equals(metricName(l)));
    }
    Map<String, Object> decided =
        one(
            lines.stream().filter(l -> commandId.equals(l.get("commandId"))).toList(),
            "command-handler",
            "command decided");
    assertEquals("REJECTED", decided.get("status"));
    assertEquals("UNKNOWN_HOTEL", decided.get("reason"));
    assertMetric(lines, "CommandsRejected", "Reason", "UNKNOWN_HOTEL", commandId);
    lines.stream().filter(l -> l.containsKey("_aws")).forEach(CorrelationIT::assertEmf);
  }

  /** Waits until a line matching {@code last} has been written; returns every line so far. */
  private static List<Map<String, Object>> awaitLines(
      LogCapture capture, Predicate<Map<String, Object>> last) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<Map<String, Object>> lines = capture.json();
      if (lines.stream().anyMatch(last) || System.nanoTime() > deadline) {
        return lines;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return lines;
      }
    }
  }

  private static Map<String, Object> one(
      List<Map<String, Object>> lines, String function, String msg) {
    List<Map<String, Object>> found =
        lines.stream()
            .filter(l -> function.equals(l.get("function")) && msg.equals(l.get("msg")))
            .toList();
    assertEquals(1, found.size(), function + " " + msg + ": " + lines);
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  private static String metricName(Map<String, Object> line) {
    if (!(line.get("_aws") instanceof Map<?, ?> aws)) {
      return null;
    }
    var directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
    var metrics = (List<Map<String, Object>>) directives.get(0).get("Metrics");
    return (String) metrics.get(0).get("Name");
  }

  /** A metric line of {@code name} exists (for the command, when given) with its breakdown. */
  private static void assertMetric(
      List<Map<String, Object>> lines,
      String name,
      String breakdown,
      String breakdownValue,
      String commandId) {
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    name.equals(metricName(l))
                        && (commandId == null || commandId.equals(l.get("commandId")))
                        && (breakdown == null || breakdownValue.equals(l.get(breakdown)))),
        "no " + name + " metric" + (commandId == null ? "" : " of " + commandId));
  }

  /**
   * The EMF specification's rules: a number Timestamp, a namespace, and every metric named is a
   * top-level number and every dimension named a top-level string.
   */
  @SuppressWarnings("unchecked")
  private static void assertEmf(Map<String, Object> line) {
    Map<String, Object> aws = (Map<String, Object>) line.get("_aws");
    assertInstanceOf(Number.class, aws.get("Timestamp"), line.toString());
    var directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
    assertFalse(directives.isEmpty(), line.toString());
    for (Map<String, Object> d : directives) {
      assertEquals("Innkeeper", d.get("Namespace"));
      for (List<String> set : (List<List<String>>) d.get("Dimensions")) {
        assertTrue(set.contains("Service"), line.toString());
        for (String dimension : set) {
          assertInstanceOf(String.class, line.get(dimension), dimension + " in " + line);
        }
      }
      for (Map<String, Object> m : (List<Map<String, Object>>) d.get("Metrics")) {
        assertInstanceOf(Number.class, line.get(m.get("Name")), m.get("Name") + " in " + line);
        assertInstanceOf(String.class, m.get("Unit"));
      }
    }
  }
}
