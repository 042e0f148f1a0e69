package io.innkeeper.hotel.occupancy;

import static io.innkeeper.hotel.CommandEndpointFixture.fieldsOf;
import static io.innkeeper.hotel.QueryFixture.ADMIN;
import static io.innkeeper.hotel.QueryFixture.GUS;
import static io.innkeeper.hotel.QueryFixture.dec;
import static io.innkeeper.hotel.QueryFixture.ok;
import static io.innkeeper.hotel.QueryFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.events.Json;
import io.innkeeper.hotel.QueryFixture;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code GET /hotels/{hotelId}/occupancy} over {@link QueryFixture#withHistory()}. */
class OccupancyQueryTest {
  private static final String ROUTE = "GET /hotels/{hotelId}/occupancy";

  private final QueryFixture fx = QueryFixture.withHistory();

  private ApiResponse occupancy(Caller caller, String hotelId, String from, String to) {
    Map<String, String> q = new HashMap<>();
    if (from != null) {
      q.put("from", from);
    }
    if (to != null) {
      q.put("to", to);
    }
    return fx.get(ROUTE, caller, Map.of("hotelId", hotelId), q);
  }

  private ApiResponse occupancy(Caller caller, String hotelId, LocalDate from, LocalDate to) {
    return occupancy(caller, hotelId, from.toString(), to.toString());
  }

  /** Rows "date type rooms booked", in answer order. */
  @SuppressWarnings("unchecked")
  private static List<String> nights(ApiResponse r) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<Object>) ok(r).get("nights")) {
      Map<String, Object> n = (Map<String, Object>) o;
      assertEquals(Set.of("date", "roomType", "rooms", "booked"), n.keySet());
      out.add(
          n.get("date") + " " + n.get("roomType") + " " + n.get("rooms") + " " + n.get("booked"));
    }
    return out;
  }

  @Test
  void every_night_and_every_room_type_with_rooms_and_bookings_and_0_without_an_allotment() {
    // DBL: 5 rooms, lowered to 4 on Dec 4..6; r3 and r4 hold Dec 4; r2 (Dec 4, 5) is cancelled.
    // FAM is not on sale in early December; STE is on sale until Dec 4.
    assertEquals(
        List.of(
            "2026-12-03 DBL 5 0",
            "2026-12-03 FAM 0 0",
            "2026-12-03 STE 1 0",
            "2026-12-04 DBL 4 2",
            "2026-12-04 FAM 0 0",
            "2026-12-04 STE 1 0",
            "2026-12-05 DBL 4 0",
            "2026-12-05 FAM 0 0",
            "2026-12-05 STE 0 0"),
        nights(occupancy(ADMIN, "h1", dec(3), dec(6))));
  }

  @Test
  void the_range_can_cross_months() {
    // FAM: 2 rooms Dec 29 .. Jan 2; r6 holds Dec 30 .. Jan 1.
    List<String> fam =
        nights(occupancy(ADMIN, "h1", dec(30), dec(34))).stream()
            .filter(n -> n.contains(" FAM "))
            .toList();
    assertEquals(
        List.of(
            "2026-12-30 FAM 2 1", "2026-12-31 FAM 2 1", "2027-01-01 FAM 2 1", "2027-01-02 FAM 2 0"),
        fam);
  }

  @Test
  void a_sold_out_night_shows_rooms_equal_to_booked() {
    assertEquals(
        List.of("2026-12-05 SGL 0 0", "2026-12-05 DBL 1 1"),
        nights(occupancy(ADMIN, "h2", dec(5), dec(6))));
  }

  @Test
  void a_hotel_without_any_allotment_shows_zeros() {
    fx.hotel("h4", "Empty", "Bern", new io.innkeeper.events.hotel.RoomType("DBL", "Double", 2));
    assertEquals(
        List.of("2026-12-01 DBL 0 0", "2026-12-02 DBL 0 0"),
        nights(occupancy(ADMIN, "h4", dec(1), dec(3))));
  }

  @Test
  void only_admins() {
    problem(403, occupancy(GUS, "h1", dec(3), dec(6)));
    problem(403, occupancy(new Caller("staff", Set.of("staff")), "h1", dec(3), dec(6)));
    ApiResponse anonymous = occupancy(null, "h1", dec(3), dec(6));
    problem(401, anonymous);
    assertEquals("Bearer", anonymous.headers().get("WWW-Authenticate"));
  }

  @Test
  void an_unknown_hotel_is_404() {
    problem(404, occupancy(ADMIN, "h404", dec(3), dec(6)));
  }

  @Test
  void the_range_is_validated_listing_every_failing_field() {
    assertEquals(Set.of("from", "to"), fieldsOf(occupancy(ADMIN, "h1", (String) null, null)));
    assertEquals(Set.of("to"), fieldsOf(occupancy(ADMIN, "h1", "2026-12-03", null)));
    assertEquals(Set.of("from"), fieldsOf(occupancy(ADMIN, "h1", "2026-02-30", "2026-12-03")));
    assertEquals(Set.of("to"), fieldsOf(occupancy(ADMIN, "h1", "2026-12-03", "2026-12-03")));
    assertEquals(Set.of("to"), fieldsOf(occupancy(ADMIN, "h1", "2026-12-03", "2026-12-01")));
    assertEquals(Set.of("to"), fieldsOf(occupancy(ADMIN, "h1", dec(1), dec(1).plusDays(367))));
    assertEquals(
        Set.of("hotelId", "from"), fieldsOf(occupancy(ADMIN, "h 1", "12/03/2026", "2026-12-05")));
    // Unlike a search, occupancy may look at the past.
    assertEquals(1, nights(occupancy(ADMIN, "h3", "2020-01-01", "2020-01-02")).size());
  }

  @Test
  void up_to_366_nights() {
    assertEquals(366 * 3, nights(occupancy(ADMIN, "h1", dec(1), dec(1).plusDays(366))).size());
  }

  @Test
  void answers_the_same_with_a_consistency_token_that_is_reached() {
    String token = new io.innkeeper.core.ConsistencyToken("reservation#r4", 1).encode();
    ApiResponse r =
        fx.get(
            ROUTE,
            ADMIN,
            Map.of("hotelId", "h1"),
            Map.of("from", "2026-12-04", "to", "2026-12-05"),
            Map.of("x-consistency-token", token));
    assertEquals(Json.parseObject(occupancy(ADMIN, "h1", dec(4), dec(5)).body()), ok(r));
  }
}
