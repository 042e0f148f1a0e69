package io.innkeeper.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.HotelDomainCommand;
import io.innkeeper.hotel.hotels.RegisterHotelEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Idempotency-Key and Prefer: wait on command intake, through a real endpoint, in memory. */
class CommandIntakeTest {
  private static final Caller ADMIN = new Caller("ada", Set.of("admin"));
  private static final Caller OTHER_ADMIN = new Caller("bob", Set.of("admin"));
  private static final String BODY =
      "{\"name\":\"Seeblick\",\"city\":\"Zurich\",\"roomTypes\":[{\"code\":\"DBL\",\"name\":\"Double\",\"maxGuests\":2}]}";

  private final InMemoryCommandStatusStore statuses = new InMemoryCommandStatusStore();
  private final List<CommandEnvelope> sent = Collections.synchronizedList(new ArrayList<>());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final List<Duration> sleeps = new ArrayList<>();
  private Consumer<Duration> onSleep = d -> {};
  private RuntimeException sendFailure;
  private io.innkeeper.core.aws.Deadline deadline = io.innkeeper.core.aws.Deadline.none();

  private final HttpRoutes routes =
      new HttpRoutes()
          .on(
              "POST /hotels",
              new RegisterHotelEndpoint(
                      new CommandIntake(
                          statuses,
                          (command, group) -> {
                            if (sendFailure != null) {
                              throw sendFailure;
                            }
                            sent.add(command);
                          },
                          clock,
                          d -> {
                            sleeps.add(d);
                            clock.advance(d);
                            onSleep.accept(d);
                          },
                          HotelDomainCommand.TYPES))
                  ::handle);

  private ApiResponse post(Caller caller, String body, Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>(extra);
    headers.put("Content-Type", "application/json");
    return routes.handle(
        new ApiRequest(
                "POST /hotels",
                headers,
                Map.of(),
                Map.of(),
                body.getBytes(StandardCharsets.UTF_8),
                caller,
                "req-1")
            .within(deadline));
  }

  private ApiResponse postWithKey(String key, String body) {
    return post(ADMIN, body, Map.of("Idempotency-Key", key));
  }

  private static Map<String, Object> json(ApiResponse r) {
    return Json.parseObject(r.body());
  }

  @Test
  void the_same_key_and_body_twice_is_one_command_answered_the_same_way() {
    ApiResponse first = postWithKey("order-1", BODY);
    statuses.complete(
        (String) json(first).get("commandId"),
        CommandStatus.State.SUCCEEDED,
        null,
        "ct",
        clock.instant());
    ApiResponse second = postWithKey("order-1", BODY);

    assertEquals(202, first.status(), first.body());
    assertEquals(202, second.status(), second.body());
    assertEquals(first.body(), second.body());
    assertEquals(json(first).get("hotelId"), json(second).get("hotelId"));
    assertEquals(first.headers().get("Location"), second.headers().get("Location"));
    assertEquals(1, statuses.size());
    assertEquals(1, sent.size(), "a settled command is not sent again");
  }

  @Test
  void a_repeat_while_pending_sends_the_original_command_again_without_a_new_status() {
    ApiResponse first = postWithKey("order-1", BODY);
    ApiResponse second = postWithKey("order-1", BODY);

    assertEquals(first.body(), second.body());
    assertEquals(1, statuses.size());
    assertEquals(2, sent.size());
    assertEquals(
        sent.get(0).toJson(), sent.get(1).toJson(), "the original envelope, not a new one");
    assertEquals(json(first).get("hotelId"), sent.get(1).payload().get("hotelId"));
  }

  @Test
  void a_first_request_that_died_between_its_key_and_its_status_is_finished_by_the_repeat() {
    ApiResponse first = postWithKey("order-1", BODY);
    String commandId = (String) json(first).get("commandId");
    // What a process dying after the key's write leaves: the key, no status, nothing sent.
    statuses.expire(commandId);
    sent.clear();

    ApiResponse second = postWithKey("order-1", BODY);

    assertEquals(first.body(), second.body());
    var status = statuses.find(commandId).orElseThrow();
    assertEquals(CommandStatus.State.PENDING, status.status());
    assertEquals("ada", status.callerId());
    assertEquals(1, sent.size());
    assertEquals(commandId, sent.get(0).commandId());
  }

  @Test
  void the_same_key_with_another_body_is_422_and_changes_nothing() {
    postWithKey("order-1", BODY);

    ApiResponse other = postWithKey("order-1", BODY.replace("Seeblick", "Bergblick"));
    ApiResponse reformatted = postWithKey("order-1", BODY + " ");

    for (ApiResponse r : List.of(other, reformatted)) {
      assertEquals(422, r.status(), r.body());
      assertEquals("application/problem+json", r.headers().get("Content-Type"));
    }
    assertEquals(1, statuses.size());
    assertEquals(1, sent.size());
  }

  @Test
  void keys_are_scoped_to_the_caller() {
    ApiResponse mine = postWithKey("order-1", BODY);
    ApiResponse theirs = post(OTHER_ADMIN, BODY, Map.of("Idempotency-Key", "order-1"));

    assertEquals(202, theirs.status());
    assertNotEquals(json(mine).get("commandId"), json(theirs).get("commandId"));
    assertNotEquals(json(mine).get("hotelId"), json(theirs).get("hotelId"));
    assertEquals(2, statuses.size());
    assertEquals(2, sent.size());
  }

  @Test
  void an_invalid_key_is_400_and_records_nothing() {
    for (String bad : List.of("", "has space", "dot.ted", "x".repeat(65), "ü")) {
      ApiResponse r = postWithKey(bad, BODY);
      assertEquals(400, r.status(), bad);
      assertTrue(r.body().contains("\"field\":\"Idempotency-Key\""), r.body());
    }
    assertEquals(202, postWithKey("A-z_0-9" + "x".repeat(57), BODY).status());
    assertEquals(1, statuses.size());
    assertEquals(1, sent.size());
  }

  @Test
  void an_invalid_body_is_400_before_the_key_is_taken() {
    assertEquals(400, postWithKey("order-1", "{}").status());
    assertEquals(0, statuses.size());

    assertEquals(202, postWithKey("order-1", BODY).status());
  }

  @Test
  void without_a_key_every_request_is_a_new_command() {
    ApiResponse a = post(ADMIN, BODY, Map.of());
    ApiResponse b = post(ADMIN, BODY, Map.of());

    assertNotEquals(json(a).get("commandId"), json(b).get("commandId"));
    assertEquals(2, statuses.size());
    assertEquals(2, sent.size());
  }

  @Test
  void concurrent_first_requests_with_one_key_make_one_command() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ApiResponse>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        Callable<ApiResponse> call =
            () -> {
              start.await();
              return postWithKey("race", BODY);
            };
        answers.add(pool.submit(call));
      }
      start.countDown();
      List<Object> commandIds = new ArrayList<>();
      for (Future<ApiResponse> f : answers) {
        ApiResponse r = f.get();
        assertEquals(202, r.status(), r.body());
        commandIds.add(json(r).get("commandId"));
      }
      assertEquals(1, Set.copyOf(commandIds).size(), commandIds.toString());
      assertEquals(1, statuses.size());
      assertEquals(
          Set.of(commandIds.get(0)),
          Set.copyOf(sent.stream().map(CommandEnvelope::commandId).toList()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void prefer_wait_answers_200_with_the_status_once_it_is_final() {
    onSleep =
        d -> {
          if (sleeps.size() == 3) {
            statuses.complete(
                sent.get(0).commandId(),
                CommandStatus.State.SUCCEEDED,
                null,
                "ct1.token",
                clock.instant());
          }
        };

    ApiResponse r = post(ADMIN, BODY, Map.of("Prefer", "respond-async, wait=5"));

    assertEquals(200, r.status(), r.body());
    Map<String, Object> body = json(r);
    assertEquals(sent.get(0).commandId(), body.get("commandId"));
    assertEquals("SUCCEEDED", body.get("status"));
    assertEquals("ct1.token", body.get("consistencyToken"));
    assertEquals("wait=5", r.headers().get("Preference-Applied"));
    assertEquals("/commands/" + body.get("commandId"), r.headers().get("Location"));
    // The ids the command created, as the 202 would have carried them.
    assertEquals(sent.get(0).payload().get("hotelId"), body.get("hotelId"));
    // Polled at a growing interval.
    assertEquals(
        List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200)), sleeps);
  }

  @Test
  void the_ids_a_command_created_survive_a_wait_on_an_idempotent_repeat() {
    ApiResponse first = postWithKey("order-ids", BODY);
    statuses.complete(
        sent.get(0).commandId(), CommandStatus.State.SUCCEEDED, null, "ct1.t", clock.instant());

    ApiResponse again =
        post(ADMIN, BODY, Map.of("Idempotency-Key", "order-ids", "Prefer", "wait=1"));

    assertEquals(200, again.status(), again.body());
    assertEquals(json(first).get("hotelId"), json(again).get("hotelId"));
    assertEquals(json(first).get("commandId"), json(again).get("commandId"));
  }

  @Test
  void prefer_wait_ends_early_enough_to_answer_within_the_invocation() {
    // 7 s left of the invocation: the wait keeps one SDK call's worth (5 s) to answer in.
    deadline = () -> Duration.ofSeconds(7);
    Instant before = clock.instant();

    ApiResponse r = post(ADMIN, BODY, Map.of("Prefer", "wait=10"));

    assertEquals(202, r.status(), r.body());
    assertEquals(Duration.ofSeconds(2), Duration.between(before, clock.instant()));
  }

  @Test
  void a_command_the_queue_does_not_take_is_a_503_to_send_again_and_the_repeat_sends_it() {
    sendFailure =
        software.amazon.awssdk.services.sqs.model.SqsException.builder()
            .message("Rate exceeded")
            .statusCode(400)
            .build();

    ApiResponse refused = post(ADMIN, BODY, Map.of("Idempotency-Key", "order-503"));

    assertEquals(503, refused.status(), refused.body());
    assertEquals("1", refused.headers().get("Retry-After"));
    assertEquals("urn:innkeeper:problem:not-enqueued", json(refused).get("type"));
    assertTrue(sent.isEmpty());

    sendFailure = null;
    ApiResponse again = post(ADMIN, BODY, Map.of("Idempotency-Key", "order-503"));

    assertEquals(202, again.status(), again.body());
    assertEquals(1, sent.size(), "the repeat sends the command the first request recorded");
    assertEquals(json(again).get("commandId"), sent.get(0).commandId());
  }

  @Test
  void prefer_wait_answers_the_usual_202_when_the_time_runs_out() {
    Instant before = clock.instant();

    ApiResponse r = post(ADMIN, BODY, Map.of("Prefer", "wait=2"));

    assertEquals(202, r.status(), r.body());
    assertTrue(json(r).containsKey("hotelId"));
    assertNull(r.headers().get("Preference-Applied"));
    assertEquals(Duration.ofSeconds(2), Duration.between(before, clock.instant()));
    // 50, 100, 200, 400, 800 ms, then the 450 ms left: six polls where a fixed 50 ms made 40.
    assertEquals(
        List.of(50L, 100L, 200L, 400L, 800L, 450L),
        sleeps.stream().map(Duration::toMillis).toList());
  }

  @Test
  void prefer_wait_above_ten_seconds_is_capped() {
    Instant before = clock.instant();

    assertEquals(202, post(ADMIN, BODY, Map.of("Prefer", "wait=99")).status());

    assertEquals(Duration.ofSeconds(10), Duration.between(before, clock.instant()));
  }

  @Test
  void a_garbage_prefer_header_is_ignored() {
    for (String garbage : List.of("wait=soon", "wait=-1", "wait=", "wait", "lenient", "wait=1.5")) {
      ApiResponse r = post(ADMIN, BODY, Map.of("Prefer", garbage));
      assertEquals(202, r.status(), garbage);
    }
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void prefer_wait_applies_to_an_idempotent_repeat() {
    ApiResponse first = postWithKey("order-1", BODY);
    statuses.complete(
        sent.get(0).commandId(), CommandStatus.State.REJECTED, "NOPE", null, clock.instant());

    ApiResponse again = post(ADMIN, BODY, Map.of("Idempotency-Key", "order-1", "Prefer", "wait=3"));

    assertEquals(200, again.status(), again.body());
    assertEquals(json(first).get("commandId"), json(again).get("commandId"));
    assertEquals("REJECTED", json(again).get("status"));
    assertEquals("NOPE", json(again).get("reason"));
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void wait_preferences_are_parsed_as_rfc_7240_says() {
    assertEquals(
        OptionalInt.of(5), CommandIntake.waitSeconds(Optional.of("respond-async, wait=5")));
    assertEquals(OptionalInt.of(3), CommandIntake.waitSeconds(Optional.of("WAIT = 3")));
    assertEquals(OptionalInt.of(4), CommandIntake.waitSeconds(Optional.of("wait=\"4\"")));
    assertEquals(OptionalInt.of(0), CommandIntake.waitSeconds(Optional.of("wait=0")));
    assertEquals(OptionalInt.of(10), CommandIntake.waitSeconds(Optional.of("wait=10")));
    assertEquals(OptionalInt.of(10), CommandIntake.waitSeconds(Optional.of("wait=11")));
    assertEquals(
        OptionalInt.of(10), CommandIntake.waitSeconds(Optional.of("wait=99999999999999999999")));
    assertEquals(OptionalInt.of(7), CommandIntake.waitSeconds(Optional.of("wait=x, wait=7")));
    assertEquals(OptionalInt.empty(), CommandIntake.waitSeconds(Optional.of("handling=lenient")));
    assertEquals(OptionalInt.empty(), CommandIntake.waitSeconds(Optional.empty()));
    assertFalse(CommandIntake.waitSeconds(Optional.of("wait=1e3")).isPresent());
  }

  @Test
  void the_fingerprint_covers_the_route_and_the_exact_body() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    String f = IdempotencyRecord.fingerprint("POST /hotels", body);

    assertEquals(64, f.length());
    assertEquals(f, IdempotencyRecord.fingerprint("POST /hotels", body.clone()));
    assertNotEquals(f, IdempotencyRecord.fingerprint("POST /reservations", body));
    assertNotEquals(
        f,
        IdempotencyRecord.fingerprint(
            "POST /hotels", (BODY + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  /** A clock the fake sleeper moves forward. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
