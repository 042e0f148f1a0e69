package io.innkeeper.hotel.booking;

import static io.innkeeper.hotel.CommandEndpointFixture.fieldsOf;
import static io.innkeeper.hotel.QueryFixture.ADMIN;
import static io.innkeeper.hotel.QueryFixture.GUS;
import static io.innkeeper.hotel.QueryFixture.NOW;
import static io.innkeeper.hotel.QueryFixture.OLGA;
import static io.innkeeper.hotel.QueryFixture.dec;
import static io.innkeeper.hotel.QueryFixture.items;
import static io.innkeeper.hotel.QueryFixture.ok;
import static io.innkeeper.hotel.QueryFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.hotel.QueryFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /reservations/{reservationId}} and {@code GET /me/reservations}. */
class ReservationQueriesTest {
  private static final String ONE = "GET /reservations/{reservationId}";
  private static final String MINE = "GET /me/reservations";

  private final QueryFixture fx = QueryFixture.withHistory();

  private ApiResponse reservation(Caller caller, String id) {
    return fx.get(ONE, caller, Map.of("reservationId", id), Map.of());
  }

  private ApiResponse mine(Caller caller, Map<String, String> query) {
    return fx.get(MINE, caller, Map.of(), query);
  }

  // GET /reservations/{reservationId}

  @Test
  void the_guest_reads_their_reservation_with_every_field() {
    Map<String, Object> expected =
        Json.obj(
            "reservationId", "r1",
            "guestId", "gus",
            "hotelId", "h1",
            "roomType", "DBL",
            "checkIn", "2026-12-01",
            "checkOut", "2026-12-03",
            "guests", 2,
            "status", "CONFIRMED",
            "totalPrice", Json.obj("amount", "200.00", "currency", "EUR"),
            "bookedAt", NOW.toString());
    assertEquals(expected, ok(reservation(GUS, "r1")));
  }

  @Test
  void an_admin_reads_anyones_reservation() {
    assertEquals(ok(reservation(GUS, "r1")), ok(reservation(ADMIN, "r1")));
  }

  @Test
  void another_guest_is_forbidden() {
    problem(403, reservation(OLGA, "r1"));
  }

  @Test
  void an_unknown_reservation_is_404() {
    problem(404, reservation(GUS, "nope"));
    problem(404, reservation(ADMIN, "nope"));
  }

  @Test
  void without_a_caller_it_is_401() {
    ApiResponse r = reservation(null, "r1");
    problem(401, r);
    assertEquals("Bearer", r.headers().get("WWW-Authenticate"));
  }

  @Test
  void a_malformed_id_is_400_naming_it() {
    assertEquals(Set.of("reservationId"), fieldsOf(reservation(GUS, "r 1")));
    assertEquals(Set.of("reservationId"), fieldsOf(reservation(GUS, "x".repeat(65))));
  }

  @Test
  void a_cancelled_reservation_shows_cancelled_with_its_time() {
    Map<String, Object> body = ok(reservation(GUS, "r2"));
    assertEquals("CANCELLED", body.get("status"));
    assertEquals(NOW.plusSeconds(3600).toString(), body.get("cancelledAt"));
    assertEquals("2026-12-04", body.get("checkIn"));
    assertFalse(ok(reservation(GUS, "r1")).containsKey("cancelledAt"));
  }

  @Test
  void a_cancellation_projected_before_its_booking_shows_nothing_until_the_booking_arrives() {
    ReservationPlaced p = fx.placed("r9", "gus", "h1", "DBL", dec(7), dec(8));
    fx.project("reservation#r9", 2, QueryFixture.cancelled(p));

    problem(404, reservation(GUS, "r9"));
    problem(404, reservation(ADMIN, "r9"));
    assertTrue(ids(items(ok(mine(GUS, Map.of())))).stream().noneMatch("r9"::equals));

    fx.project("reservation#r9", 1, p);

    Map<String, Object> body = ok(reservation(GUS, "r9"));
    assertEquals("CANCELLED", body.get("status"));
    assertEquals(NOW.plusSeconds(3600).toString(), body.get("cancelledAt"));
    assertEquals("gus", body.get("guestId"));
    assertTrue(items(ok(mine(GUS, Map.of()))).contains(body));
  }

  @Test
  void a_consistency_token_gives_the_guest_their_booking_as_soon_as_it_is_projected()
      throws Exception {
    QueryFixture slow = new QueryFixture(Duration.ofSeconds(5));
    String token = new ConsistencyToken("reservation#r1", 1).encode();
    Map<String, String> headers = Map.of("X-Consistency-Token", token);
    // Not projected yet: without the token the booking is simply not there yet.
    problem(404, slow.get(ONE, GUS, Map.of("reservationId", "r1"), Map.of()));

    var projected =
        CompletableFuture.runAsync(
            () -> {
              sleep(150);
              slow.place("r1", "gus", "h1", "DBL", dec(1), dec(3));
            });
    long start = System.nanoTime();
    ApiResponse r = slow.get(ONE, GUS, Map.of("reservationId", "r1"), Map.of(), headers);
    long waited = (System.nanoTime() - start) / 1_000_000;
    projected.get();

    assertEquals("CONFIRMED", ok(r).get("status"));
    assertTrue(waited >= 100, "answered after " + waited + " ms, before the booking was projected");
    assertEquals(1, items(ok(slow.get(MINE, GUS, Map.of(), Map.of(), headers))).size());
  }

  // GET /me/reservations

  @Test
  void my_reservations_are_mine_only_newest_check_in_first_cancelled_included() {
    List<Map<String, Object>> gus = items(ok(mine(GUS, Map.of())));
    assertEquals(List.of("r6", "r5", "r2", "r1"), ids(gus));
    assertEquals(ok(reservation(GUS, "r2")), gus.get(2));
    assertEquals(List.of("r4", "r3"), ids(items(ok(mine(OLGA, Map.of())))));
    Map<String, Object> none = ok(mine(new Caller("nobody", Set.of()), Map.of()));
    assertEquals(List.of(), items(none));
    assertFalse(none.containsKey("nextCursor"));
    // An admin's own list is theirs, not everyone's.
    assertEquals(List.of(), items(ok(mine(ADMIN, Map.of()))));
  }

  @Test
  void my_reservations_without_a_caller_is_401() {
    problem(401, mine(null, Map.of()));
  }

  /** 42 reservations of "pat" over 30 check-in days, so some share a check-in; one of quinn. */
  private static QueryFixture manyReservations() {
    QueryFixture many = new QueryFixture();
    for (int i = 0; i < 42; i++) {
      var in = dec(1 + (i * 7) % 30);
      many.place("p" + i, "pat", "h1", "DBL", in, in.plusDays(1 + i % 3));
    }
    many.place("q1", "quinn", "h1", "DBL", dec(5), dec(6));
    return many;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 7, 20, 41, 42, 43, 100})
  void paging_with_next_cursor_returns_every_item_once_in_order(int limit) {
    QueryFixture many = manyReservations();
    Caller pat = new Caller("pat", Set.of());
    List<Map<String, Object>> all = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, String> q = new HashMap<>();
      q.put("limit", Integer.toString(limit));
      if (cursor != null) {
        q.put("cursor", cursor);
      }
      Map<String, Object> page = ok(many.get(MINE, pat, Map.of(), q));
      List<Map<String, Object>> got = items(page);
      assertFalse(got.isEmpty(), "a cursor never leads to an empty page");
      assertTrue(got.size() <= limit);
      all.addAll(got);
      cursor = (String) page.get("nextCursor");
      if (cursor != null) {
        assertEquals(limit, got.size(), "only the last page is short");
      }
      assertTrue(++pages <= 42, "paging does not end");
    } while (cursor != null);

    assertEquals((42 + limit - 1) / limit, pages);
    assertEquals(42, all.size());
    assertEquals(42, new HashSet<>(ids(all)).size());
    List<Map<String, Object>> sorted = new ArrayList<>(all);
    sorted.sort(
        Comparator.comparing((Map<String, Object> m) -> (String) m.get("checkIn"))
            .thenComparing(m -> (String) m.get("reservationId"))
            .reversed());
    assertEquals(sorted, all, "newest check-in first");
    all.forEach(m -> assertEquals("pat", m.get("guestId")));
  }

  @Test
  void the_default_limit_is_20() {
    QueryFixture many = manyReservations();
    Map<String, Object> page = ok(many.get(MINE, new Caller("pat", Set.of()), Map.of(), Map.of()));
    assertEquals(20, items(page).size());
    assertNotNull(page.get("nextCursor"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "101", "-1", "abc", "", "2.0", "+5", "1e2", "99999999999999"})
  void limit_outside_1_to_100_is_400_naming_it(String limit) {
    assertEquals(Set.of("limit"), fieldsOf(mine(GUS, Map.of("limit", limit))));
  }

  @Test
  void limits_1_and_100_are_accepted() {
    assertEquals(1, items(ok(mine(GUS, Map.of("limit", "1")))).size());
    assertEquals(4, items(ok(mine(GUS, Map.of("limit", "100")))).size());
  }

  private String firstCursor(QueryFixture f, Caller caller) {
    String cursor =
        (String) ok(f.get(MINE, caller, Map.of(), Map.of("limit", "2"))).get("nextCursor");
    assertNotNull(cursor);
    return cursor;
  }

  @Test
  void a_changed_cursor_is_400_naming_the_cursor() {
    String cursor = firstCursor(fx, GUS);
    // Every single-character change, at every position.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=";
    for (int i = 0; i < cursor.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c == cursor.charAt(i)) {
          continue;
        }
        String changed = cursor.substring(0, i) + c + cursor.substring(i + 1);
        ApiResponse r = mine(GUS, Map.of("limit", "2", "cursor", changed));
        assertEquals(Set.of("cursor"), fieldsOf(r), "accepted " + changed + " for " + cursor);
      }
    }
    for (String bad : List.of("", ".", "garbage", cursor + "=", cursor + "A", "x".repeat(600))) {
      assertEquals(Set.of("cursor"), fieldsOf(mine(GUS, Map.of("cursor", bad))), bad);
    }
    ok(mine(GUS, Map.of("limit", "2", "cursor", cursor)));
  }

  @Test
  void someone_elses_cursor_is_400_naming_the_cursor() {
    QueryFixture many = manyReservations();
    String pats = firstCursor(many, new Caller("pat", Set.of()));
    Map<String, String> q = Map.of("limit", "2", "cursor", pats);
    assertEquals(
        Set.of("cursor"), fieldsOf(many.get(MINE, new Caller("quinn", Set.of()), Map.of(), q)));
    assertEquals(Set.of("cursor"), fieldsOf(many.get(MINE, ADMIN, Map.of(), q)));
  }

  @Test
  void a_bad_limit_and_a_bad_cursor_are_listed_together() {
    assertEquals(
        Set.of("limit", "cursor"), fieldsOf(mine(GUS, Map.of("limit", "0", "cursor", "x"))));
  }

  private static List<String> ids(List<Map<String, Object>> items) {
    return items.stream().map(m -> (String) m.get("reservationId")).toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
