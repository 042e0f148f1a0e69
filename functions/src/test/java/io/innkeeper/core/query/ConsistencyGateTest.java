package io.innkeeper.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.http.Problem;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.RoomType;
import io.innkeeper.hotel.QueryFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consistency-token wait, over an in-memory store whose watermarks are advanced by a real
 * {@link ProjectorRuntime} (with no projections: only the watermark moves).
 */
class ConsistencyGateTest {
  private static final String STREAM = "hotel#h1";
  private static final String ROUTE = "GET /thing";

  private final InMemoryRowStore store = new InMemoryRowStore();
  private final Watermarks watermarks = new Watermarks(store, "watermarks");
  private final ProjectorRuntime projector =
      new ProjectorRuntime(List.of(), store, watermarks, HotelDomainEvent.TYPES);
  private final AtomicInteger answered = new AtomicInteger();

  /** Projects version {@code v} of {@link #STREAM}. */
  private void project(long v) {
    projector.project(
        QueryFixture.stored(
            STREAM,
            v,
            new HotelRegistered(
                "h1",
                "Seeblick",
                "Zurich",
                "zurich",
                List.of(new RoomType("DBL", "Double", 2)),
                QueryFixture.NOW)));
  }

  /**
   * A route that validates first (a request with {@code X-Refuse} is a 400), then waits for the
   * token and answers whether it reads strongly consistent; {@link #answered} counts the queries
   * that got past the wait.
   */
  private HttpRoutes routes(Duration budget) {
    ConsistencyGate gate = new ConsistencyGate(watermarks, budget);
    return new HttpRoutes()
        .on(
            ROUTE,
            gate.route(
                (request, freshness) -> {
                  if (request.header("X-Refuse").isPresent()) {
                    throw Problem.badRequest("refused before reading");
                  }
                  boolean consistent = freshness.await();
                  answered.incrementAndGet();
                  return ApiResponse.json(200, Json.obj("consistent", consistent));
                }));
  }

  private static ApiResponse call(HttpRoutes routes, Map<String, String> headers) {
    return routes.handle(new ApiRequest(ROUTE, headers, null, null, null, null, "req-g"));
  }

  private static Map<String, String> token(long version) {
    return Map.of(ConsistencyGate.HEADER, new ConsistencyToken(STREAM, version).encode());
  }

  private static boolean consistent(ApiResponse r) {
    assertEquals(200, r.status(), r.body());
    return (Boolean) Json.parseObject(r.body()).get("consistent");
  }

  @Test
  void without_the_header_the_query_reads_at_once_eventually_consistent() {
    assertFalse(consistent(call(routes(Duration.ofSeconds(5)), Map.of())));
    assertFalse(consistent(call(routes(Duration.ofSeconds(5)), Map.of("X-Other", "1"))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "",
        "ct1.",
        "ct1.!!!",
        "ct2.aG90ZWwjaDFAMQ",
        // hotel#h1@0, hotel#h1@-1, hotel#h1@x, HOTEL@1, hotel#h1 (no version)
        "ct1.aG90ZWwjaDFAMA",
        "ct1.aG90ZWwjaDFALTE",
        "ct1.aG90ZWwjaDFAeA",
        "ct1.SE9URUxAMQ",
        "ct1.aG90ZWwjaDE",
      })
  void a_malformed_token_is_400_naming_the_header(String malformed) {
    ApiResponse r = call(routes(Duration.ofSeconds(5)), Map.of(ConsistencyGate.HEADER, malformed));
    assertEquals(400, r.status(), r.body());
    assertEquals("application/problem+json", r.headers().get("Content-Type"));
    @SuppressWarnings("unchecked")
    var errors = (List<Map<String, Object>>) Json.parseObject(r.body()).get("errors");
    assertEquals(
        List.of(ConsistencyGate.HEADER), errors.stream().map(e -> e.get("field")).toList());
    assertEquals(0, answered.get(), "the query is not run");
  }

  @Test
  void an_over_long_token_is_400() {
    String long400 =
        "ct1."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    ("hotel#" + "a".repeat(300) + "@1").getBytes(StandardCharsets.UTF_8));
    assertEquals(
        400, call(routes(Duration.ofSeconds(5)), Map.of(ConsistencyGate.HEADER, long400)).status());
  }

  @Test
  void a_token_already_reached_answers_at_once_strongly_consistent() {
    project(1);
    project(2);
    long start = System.nanoTime();
    assertTrue(consistent(call(routes(Duration.ofSeconds(5)), token(2))));
    assertTrue(consistent(call(routes(Duration.ofSeconds(5)), token(1))));
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1000);
    // The header name is matched case-insensitively and the value may carry blanks.
    assertTrue(
        consistent(
            call(
                routes(Duration.ofSeconds(5)),
                Map.of("x-consistency-token", " " + token(2).get(ConsistencyGate.HEADER) + " "))));
  }

  @Test
  void a_token_reached_while_waiting_answers_once_reached() throws Exception {
    project(1);
    var later =
        CompletableFuture.runAsync(
            () -> {
              sleep(150);
              project(2);
            });
    long start = System.nanoTime();
    ApiResponse r = call(routes(Duration.ofSeconds(5)), token(2));
    long waited = (System.nanoTime() - start) / 1_000_000;
    later.get();

    assertTrue(consistent(r));
    assertTrue(waited >= 100, "answered after " + waited + " ms, before the watermark moved");
    assertTrue(waited < 4000, "waited " + waited + " ms");
    assertEquals(1, answered.get());
  }

  @Test
  void a_token_not_reached_within_the_budget_is_503_with_retry_after() {
    project(1);
    long start = System.nanoTime();
    ApiResponse r = call(routes(Duration.ofMillis(200)), token(2));
    long waited = (System.nanoTime() - start) / 1_000_000;

    assertEquals(503, r.status(), r.body());
    assertEquals("application/problem+json", r.headers().get("Content-Type"));
    assertTrue(r.headers().get("Retry-After").matches("^[1-9][0-9]*$"), r.headers().toString());
    assertEquals(503, ((Number) Json.parseObject(r.body()).get("status")).intValue());
    assertTrue(waited >= 190, "gave up after " + waited + " ms");
    assertTrue(waited < 2000, "waited " + waited + " ms");
    assertEquals(0, answered.get(), "the query is not run");
  }

  @Test
  void the_wait_ends_early_enough_for_the_function_to_answer_within_its_timeout() {
    project(1);
    // 5.3 s left of the invocation: a 5 s budget would outlast it; the wait keeps 5 s in hand.
    long start = System.nanoTime();
    ApiResponse r =
        routes(Duration.ofSeconds(5))
            .handle(
                new ApiRequest(ROUTE, token(2), null, null, null, null, "req-g")
                    .within(() -> Duration.ofMillis(5300).minusNanos(System.nanoTime() - start)));
    long waited = (System.nanoTime() - start) / 1_000_000;

    assertEquals(503, r.status(), r.body());
    assertTrue(waited < 1500, "waited " + waited + " ms of a 5 s budget");
  }

  @Test
  void a_token_for_a_stream_never_projected_is_503() {
    ApiResponse r =
        call(
            routes(Duration.ofMillis(50)),
            Map.of(ConsistencyGate.HEADER, new ConsistencyToken("reservation#r9", 1).encode()));
    assertEquals(503, r.status());
    assertTrue(r.headers().containsKey("Retry-After"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a_request_the_query_refuses_is_answered_at_once_however_far_its_token() {
    Map<String, String> headers = new java.util.HashMap<>(token(50));
    headers.put("X-Refuse", "1");
    long started = System.nanoTime();

    ApiResponse r = call(routes(Duration.ofSeconds(5)), headers);

    assertEquals(400, r.status(), r.body());
    assertTrue(
        System.nanoTime() - started < Duration.ofSeconds(2).toNanos(),
        "a refusal is not held for the wait budget");
    assertEquals(0, answered.get());
  }
}
