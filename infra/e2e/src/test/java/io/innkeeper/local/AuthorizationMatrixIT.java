package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.accepted;
import static io.innkeeper.local.Commands.allotmentBody;
import static io.innkeeper.local.Commands.bookingBody;
import static io.innkeeper.local.Commands.hotelBody;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.gateway.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the contract (docs/api.md) against every kind of caller: no token, an expired one,
 * one signed by another key, a malformed one, one whose claims were edited after signing, the
 * owning guest, another guest and an admin. Each cell gets exactly the status the contract
 * (docs/api.md) gives it, as problem+json when it is a refusal, and no refusal changes anything:
 * the events, the command statuses, the command queue and the answers of the queries are the same
 * after all refusals as before.
 *
 * <p>Public routes ({@code GET /hotels}, {@code GET /hotels/{id}}, {@code GET /availability}) have
 * no authorizer, as on API Gateway, so a token there, valid or not, is ignored: they answer every
 * caller alike.
 */
class AuthorizationMatrixIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String PROBLEM = "application/problem+json";

  /** The kinds of caller, in the matrix's column order. */
  enum Who {
    NO_TOKEN,
    EXPIRED,
    FOREIGN_KEY,
    MALFORMED,
    TAMPERED,
    OWNER,
    OTHER_GUEST,
    ADMIN;

    boolean authenticated() {
      return this == OWNER || this == OTHER_GUEST || this == ADMIN;
    }
  }

  /** One route called one way: method, path, body (for POSTs). */
  record Call(String name, String method, String path, String body) {}

  private static LocalRuntime runtime;
  private static Api api;
  private static Backstage backstage;
  private static final Map<Who, String> tokens = new LinkedHashMap<>();

  private static String city;
  private static String hotelId;
  private static String reservationId;
  private static String bookingCommandId;
  private static LocalDate checkIn;

  @BeforeAll
  static void start() {
    runtime = SharedRuntime.get();
    api = new Api(runtime.apiUrl());
    backstage = new Backstage(runtime);
    Commands commands = new Commands(api, SETTLE);

    String ownerToken = SharedRuntime.guestToken(unique("matrix-owner"));
    tokens.put(Who.NO_TOKEN, null);
    tokens.put(Who.EXPIRED, expiredToken(unique("matrix-owner")));
    // Another TokenIssuer signs under a kid of its own: a well-formed, unexpired admin token that
    // this runtime's issuer did not sign.
    tokens.put(
        Who.FOREIGN_KEY, new TokenIssuer().mint("it-admin", List.of("admin"), Duration.ofHours(1)));
    tokens.put(Who.MALFORMED, "not-a.jwt.at-all");
    tokens.put(Who.TAMPERED, withAdminClaims(ownerToken));
    tokens.put(Who.OWNER, ownerToken);
    tokens.put(Who.OTHER_GUEST, SharedRuntime.guestToken(unique("matrix-other")));
    tokens.put(Who.ADMIN, SharedRuntime.adminToken());

    city = unique("Matrix");
    Api.Answer registered =
        api.postJson("/hotels", tokens.get(Who.ADMIN), hotelBody("Hotel Matrix", city, DBL_ONLY));
    hotelId = (String) registered.json().get("hotelId");
    Map<String, Object> hotel = commands.settled(accepted(registered));
    assertEquals("SUCCEEDED", hotel.get("status"), hotel.toString());
    checkIn = today().plusDays(400);
    Map<String, Object> allotment =
        commands.settled(
            accepted(
                api.postJson(
                    "/hotels/" + hotelId + "/allotments",
                    tokens.get(Who.ADMIN),
                    allotmentBody("DBL", checkIn, checkIn.plusDays(10), 50, "100.00"))));
    assertEquals("SUCCEEDED", allotment.get("status"), allotment.toString());

    Api.Answer booked =
        api.postJson(
            "/reservations",
            ownerToken,
            bookingBody(hotelId, "DBL", checkIn, checkIn.plusDays(2), 2));
    bookingCommandId = accepted(booked);
    reservationId = (String) booked.json().get("reservationId");
    Map<String, Object> outcome = api.awaitSettled(bookingCommandId, ownerToken, SETTLE).json();
    assertEquals("SUCCEEDED", outcome.get("status"), outcome.toString());
    // Visible in the read model, so the cancel intake can tell the owner from another guest.
    Api.Answer visible =
        api.get(
            "/reservations/" + reservationId,
            ownerToken,
            Map.of("X-Consistency-Token", (String) outcome.get("consistencyToken")));
    assertEquals(200, visible.status(), visible.body());
  }

  @AfterAll
  static void stop() {
    if (backstage != null) {
      backstage.close();
    }
  }

  private static String expiredToken(String sub) {
    Api.Answer minted =
        api.postJson("/_local/tokens", null, "{\"sub\":\"" + sub + "\",\"ttlSeconds\":-60}");
    assertEquals(200, minted.status(), minted.body());
    return (String) minted.json().get("token");
  }

  /** The token with its payload swapped for one claiming the admin group; signature unchanged. */
  private static String withAdminClaims(String token) {
    String[] parts = token.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replaceFirst("\\{", "{\"cognito:groups\":[\"admin\"],");
    return parts[0]
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  // ---------------------------------------------------------------------------------------------
  // The routes and what the contract (docs/api.md) says each caller gets

  private static List<Call> publicCalls() {
    return List.of(
        new Call("list hotels", "GET", "/hotels?city=" + city, null),
        new Call("one hotel", "GET", "/hotels/" + hotelId, null),
        new Call(
            "availability",
            "GET",
            "/availability?city="
                + city
                + "&checkIn="
                + checkIn
                + "&checkOut="
                + checkIn.plusDays(1)
                + "&guests=1",
            null));
  }

  /** Calls that need a token, with the status each authenticated caller gets. */
  private static Map<Call, Map<Who, Integer>> protectedCalls() {
    Map<Call, Map<Who, Integer>> calls = new LinkedHashMap<>();
    calls.put(
        new Call("register hotel", "POST", "/hotels", hotelBody("Hotel Matrix 2", city, DBL_ONLY)),
        expect(403, 403, 202));
    calls.put(
        new Call(
            "set allotment",
            "POST",
            "/hotels/" + hotelId + "/allotments",
            allotmentBody("DBL", checkIn, checkIn.plusDays(10), 50, "100.00")),
        expect(403, 403, 202));
    calls.put(
        new Call(
            "book",
            "POST",
            "/reservations",
            bookingBody(hotelId, "DBL", checkIn.plusDays(5), checkIn.plusDays(6), 1)),
        expect(202, 202, 202));
    calls.put(
        new Call("cancel", "POST", "/reservations/" + reservationId + "/cancel", "{}"),
        expect(202, 403, 202));
    calls.put(
        new Call("command status", "GET", "/commands/" + bookingCommandId, null),
        expect(200, 404, 200));
    calls.put(
        new Call("one reservation", "GET", "/reservations/" + reservationId, null),
        expect(200, 403, 200));
    calls.put(new Call("my reservations", "GET", "/me/reservations", null), expect(200, 200, 200));
    calls.put(
        new Call(
            "occupancy",
            "GET",
            "/hotels/" + hotelId + "/occupancy?from=" + checkIn + "&to=" + checkIn.plusDays(3),
            null),
        expect(403, 403, 200));
    return calls;
  }

  private static Map<Who, Integer> expect(int owner, int otherGuest, int admin) {
    Map<Who, Integer> expected = new LinkedHashMap<>();
    for (Who who : Who.values()) {
      expected.put(who, 401);
    }
    expected.put(Who.OWNER, owner);
    expected.put(Who.OTHER_GUEST, otherGuest);
    expected.put(Who.ADMIN, admin);
    return expected;
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void every_route_answers_every_caller_as_api_md_says_and_refusals_change_nothing() {
    List<String> mismatches = new ArrayList<>();
    Map<Call, Map<Who, Integer>> calls = protectedCalls();

    // 1. Every refusal first, between two snapshots of everything a request could change.
    Snapshot before = Snapshot.take();
    int refusals = 0;
    for (Map.Entry<Call, Map<Who, Integer>> call : calls.entrySet()) {
      for (Who who : Who.values()) {
        int status = call.getValue().get(who);
        if (status >= 400) {
          check(call.getKey(), who, status, mismatches);
          refusals++;
        }
      }
    }
    // Unknown routes and wrong methods are decided before any authorizer: the same for everyone,
    // and the same 404 (an HTTP API routes by method and path together).
    for (Who who : Who.values()) {
      check(new Call("unknown route", "GET", "/nowhere", null), who, 404, mismatches);
      check(new Call("wrong method", "DELETE", "/hotels", null), who, 404, mismatches);
      refusals += 2;
    }
    Snapshot after = Snapshot.take();
    assertEquals(before, after, "a refused request changed something");
    assertTrue(refusals >= 5 * 8 + 8, "refusals checked: " + refusals);

    // 2. Public routes: the anonymous answer, whoever asks and whatever token comes along.
    for (Call call : publicCalls()) {
      Api.Answer anonymous = send(call, null);
      assertEquals(200, anonymous.status(), call + " " + anonymous.body());
      for (Who who : Who.values()) {
        Api.Answer answer = send(call, tokens.get(who));
        if (answer.status() != 200 || !answer.body().equals(anonymous.body())) {
          mismatches.add(call.name() + " as " + who + ": " + answer.status() + " " + answer.body());
        }
      }
    }

    // 3. The allowed calls, reads before writes (the owner's cancel comes last).
    for (boolean writes : new boolean[] {false, true}) {
      for (Map.Entry<Call, Map<Who, Integer>> call : calls.entrySet()) {
        if (call.getKey().method().equals("POST") != writes) {
          continue;
        }
        for (Who who : List.of(Who.OTHER_GUEST, Who.ADMIN, Who.OWNER)) {
          int status = call.getValue().get(who);
          if (status < 400) {
            check(call.getKey(), who, status, mismatches);
          }
        }
      }
    }

    assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
  }

  private static void check(Call call, Who who, int expected, List<String> mismatches) {
    Api.Answer answer = send(call, tokens.get(who));
    String cell = call.method() + " " + call.name() + " as " + who;
    if (answer.status() != expected) {
      mismatches.add(
          cell + ": expected " + expected + ", got " + answer.status() + " " + answer.body());
      return;
    }
    String contentType = answer.header("Content-Type");
    boolean gatewayMade =
        expected == 401
            || call.name().equals("unknown route")
            || call.name().equals("wrong method");
    if (gatewayMade) {
      // API Gateway's own answer: {"message": "..."}, no content type, a challenge on a 401.
      String message = expected == 401 ? "Unauthorized" : "Not Found";
      if (contentType != null || !answer.body().equals("{\"message\":\"" + message + "\"}")) {
        mismatches.add(cell + ": not API Gateway's own " + expected + ": " + answer.body());
      }
      if (expected == 401
          && !String.valueOf(answer.header("www-authenticate")).startsWith("Bearer")) {
        mismatches.add(cell + ": no Bearer challenge");
      }
    } else if (expected >= 400) {
      if (!PROBLEM.equals(contentType)) {
        mismatches.add(cell + ": content type " + contentType);
      } else if (!Integer.valueOf(expected).equals(answer.json().get("status"))) {
        mismatches.add(cell + ": problem status " + answer.body());
      }
      if (expected == 401
          && !String.valueOf(answer.header("WWW-Authenticate")).startsWith("Bearer")) {
        mismatches.add(cell + ": no Bearer challenge");
      }
    } else if (!"application/json".equals(contentType)) {
      mismatches.add(cell + ": content type " + contentType);
    }
  }

  private static Api.Answer send(Call call, String token) {
    return switch (call.method()) {
      case "GET" -> api.get(call.path(), token);
      case "POST" -> api.postJson(call.path(), token, call.body());
      default -> other(call.method(), call.path(), token);
    };
  }

  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  // Api speaks GET and POST only.
  private static Api.Answer other(String method, String path, String token) {
    var request =
        java.net.http.HttpRequest.newBuilder(runtime.apiUrl().resolve(path))
            .timeout(Duration.ofSeconds(20))
            .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      var response = HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Api.Answer(response.statusCode(), response.headers(), response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What a request could change: stored events and statuses, the queue, what queries show. */
  record Snapshot(
      long events, long commands, Map<?, ?> queue, String reservation, String mine, String hotel) {

    static Snapshot take() {
      long commands = backstage.quietCommandCount(SETTLE);
      return new Snapshot(
          backstage.count("events"),
          commands,
          backstage.commandQueueDepth(),
          api.get("/reservations/" + reservationId, tokens.get(Who.ADMIN)).body(),
          api.get("/me/reservations", tokens.get(Who.OWNER)).body(),
          api.get("/hotels/" + hotelId, null).body());
    }
  }
}
