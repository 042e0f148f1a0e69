package io.innkeeper.hotel.availability;

import static io.innkeeper.hotel.CommandEndpointFixture.fieldsOf;
import static io.innkeeper.hotel.QueryFixture.dec;
import static io.innkeeper.hotel.QueryFixture.items;
import static io.innkeeper.hotel.QueryFixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.events.Json;
import io.innkeeper.hotel.QueryFixture;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /availability} over the standard history of {@link QueryFixture#withHistory()}. */
class AvailabilityQueryTest {
  private static final String ROUTE = "GET /availability";

  private final QueryFixture fx = QueryFixture.withHistory();

  private ApiResponse search(Map<String, String> params) {
    // Public: no caller.
    return fx.get(ROUTE, null, Map.of(), params);
  }

  private ApiResponse search(String city, LocalDate in, LocalDate out, int guests) {
    return search(
        Map.of(
            "city",
            city,
            "checkIn",
            in.toString(),
            "checkOut",
            out.toString(),
            "guests",
            Integer.toString(guests)));
  }

  private List<Map<String, Object>> offers(String city, LocalDate in, LocalDate out, int guests) {
    return items(ok(search(city, in, out, guests)));
  }

  private static Map<String, Object> offer(
      String hotelId, String hotelName, String type, long free, String amount, String currency) {
    return Json.parseObject(
        Json.write(
            Json.obj(
                "hotelId",
                hotelId,
                "hotelName",
                hotelName,
                "roomType",
                type,
                "availableRooms",
                free,
                "totalPrice",
                Json.obj("amount", amount, "currency", currency))));
  }

  @Test
  void offers_room_types_free_on_every_night_with_the_fewest_free_rooms_and_the_rate_sum() {
    // h1 DBL: Dec 3 has 5 free; Dec 4 has 4 rooms with r3 and r4 (r2 is cancelled); Dec 5 has 4.
    // h1 STE is not on sale on Dec 5; h2 DBL is sold out on Dec 5 (r5); h2 SGL takes 1 guest.
    assertEquals(
        List.of(offer("h1", "Seeblick", "DBL", 2, "341.00", "EUR")),
        offers("Zurich", dec(3), dec(6), 2));
  }

  @Test
  void every_hotel_of_the_city_in_id_order_and_room_types_in_the_hotels_order() {
    assertEquals(
        List.of(
            offer("h1", "Seeblick", "DBL", 2, "220.50", "EUR"),
            offer("h1", "Seeblick", "STE", 1, "620.00", "CHF"),
            offer("h2", "Altstadt", "DBL", 1, "160.20", "EUR")),
        offers("Zurich", dec(3), dec(5), 2));
  }

  @Test
  void the_total_is_an_exact_decimal_sum() {
    // 80.10 + 80.10 is 160.20, not a binary floating-point approximation of it.
    List<Map<String, Object>> found = offers("zurich", dec(1), dec(3), 2);
    assertEquals(offer("h2", "Altstadt", "DBL", 1, "160.20", "EUR"), found.get(found.size() - 1));
    // Five nights of 200.25 across the turn of the year.
    assertEquals(
        List.of(offer("h1", "Seeblick", "FAM", 1, "1001.25", "EUR")),
        offers("Zurich", dec(29), dec(34), 3));
  }

  @Test
  void the_city_is_matched_by_its_key_not_its_spelling() {
    var spelled = offers("  zURICH ", dec(3), dec(5), 2);
    assertEquals(offers("Zurich", dec(3), dec(5), 2), spelled);
    assertEquals(Set.of("h1", "h2"), hotelIds(spelled));
    assertEquals(
        List.of(offer("h3", "Lakeside", "DBL", 10, "180.00", "EUR")),
        offers("Geneva", dec(3), dec(5), 2));
    assertEquals(List.of(), offers("Atlantis", dec(3), dec(5), 1));
  }

  @Test
  void room_types_for_fewer_guests_are_left_out() {
    // One guest: h2's SGL would qualify but is never on sale; everything else takes 2 or more.
    assertEquals(
        List.of(
            offer("h1", "Seeblick", "DBL", 4, "200.00", "EUR"),
            offer("h1", "Seeblick", "STE", 1, "600.00", "EUR"),
            offer("h2", "Altstadt", "DBL", 1, "160.20", "EUR")),
        offers("Zurich", dec(1), dec(3), 1));
    // Three guests: only FAM (4) qualifies, and it is not on sale in early December.
    assertEquals(List.of(), offers("Zurich", dec(1), dec(3), 3));
    // Five guests: nothing takes that many.
    assertEquals(List.of(), offers("Zurich", dec(29), dec(34), 5));
    assertEquals(
        List.of(offer("h1", "Seeblick", "FAM", 1, "1001.25", "EUR")),
        offers("Zurich", dec(29), dec(34), 4));
  }

  @Test
  void a_single_night_without_an_allotment_excludes_the_room_type() {
    // h1 DBL is on sale Dec 1..10; Dec 11 has no allotment.
    assertEquals(
        List.of(offer("h1", "Seeblick", "DBL", 5, "100.00", "EUR")),
        offers("Zurich", dec(10), dec(11), 2));
    assertEquals(List.of(), offers("Zurich", dec(10), dec(12), 2));
    // FAM starts on Dec 29: a stay from Dec 28 has one night not on sale.
    assertEquals(List.of(), offers("Zurich", dec(28), dec(31), 4));
  }

  @Test
  void a_sold_out_night_excludes_the_room_type() {
    // h2 DBL has one room and r5 holds it on Dec 5.
    assertTrue(hotelIds(offers("Zurich", dec(4), dec(5), 2)).contains("h2"));
    assertEquals(Set.of("h1"), hotelIds(offers("Zurich", dec(5), dec(6), 2)));
    assertEquals(Set.of("h1"), hotelIds(offers("Zurich", dec(4), dec(6), 2)));
    assertTrue(hotelIds(offers("Zurich", dec(6), dec(8), 2)).contains("h2"));
  }

  @Test
  void a_booking_lowers_the_free_rooms_and_a_cancellation_gives_them_back() {
    var p = fx.place("r7", "ida", "h2", "DBL", dec(2), dec(3));
    assertEquals(Set.of("h1"), hotelIds(offers("Zurich", dec(1), dec(3), 2)));
    fx.cancel(p);
    assertEquals(Set.of("h1", "h2"), hotelIds(offers("Zurich", dec(1), dec(3), 2)));
  }

  @Test
  void rates_in_different_currencies_give_no_single_price_and_no_offer() {
    // h1 STE: Dec 2 at 300.00 EUR, Dec 3 at 310.00 CHF.
    List<Map<String, Object>> found = offers("Zurich", dec(2), dec(4), 2);
    assertEquals(List.of(offer("h1", "Seeblick", "DBL", 4, "200.00", "EUR")), found.subList(0, 1));
    assertTrue(found.stream().noneMatch(o -> "STE".equals(o.get("roomType"))), found.toString());
  }

  @Test
  void stays_across_the_month_boundary_read_both_months() {
    // FAM: 2 rooms Dec 29 .. Jan 2; r6 holds Dec 30, Dec 31 and Jan 1.
    assertEquals(
        List.of(offer("h1", "Seeblick", "FAM", 1, "400.50", "EUR")),
        offers("Zurich", dec(31), dec(33), 4));
    assertEquals(
        List.of(offer("h1", "Seeblick", "FAM", 2, "200.25", "EUR")),
        offers("Zurich", dec(33), dec(34), 4));
    // Jan 3 has no allotment.
    assertEquals(List.of(), offers("Zurich", dec(33), dec(35), 4));
  }

  @Test
  void a_stay_of_thirty_nights_from_today_is_searched() {
    ApiResponse r = search("Geneva", QueryFixture.TODAY, QueryFixture.TODAY.plusDays(30), 1);
    // Most of those nights are in November, which has no allotment.
    assertEquals(List.of(), items(ok(r)));
    assertEquals(
        List.of(offer("h3", "Lakeside", "DBL", 10, "2700.00", "EUR")),
        offers("Geneva", dec(1), dec(31), 1));
  }

  @Test
  void with_a_consistency_token_it_answers_once_the_read_model_has_caught_up() {
    var token = new ConsistencyToken("hotel#h1", 6).encode();
    Map<String, String> params =
        Map.of("city", "Zurich", "checkIn", "2026-12-03", "checkOut", "2026-12-05", "guests", "2");
    ApiResponse r = fx.get(ROUTE, null, Map.of(), params, Map.of("X-Consistency-Token", token));
    assertEquals(items(ok(search(params))), items(ok(r)));
  }

  // Validation: every failing field is listed in one 400.

  private static Map<String, String> valid() {
    Map<String, String> p = new HashMap<>();
    p.put("city", "Zurich");
    p.put("checkIn", "2026-12-03");
    p.put("checkOut", "2026-12-05");
    p.put("guests", "2");
    return p;
  }

  private Set<String> failing(Map<String, String> params) {
    ApiResponse r = search(params);
    Set<String> fields = fieldsOf(r);
    Map<String, Object> body = Json.parseObject(r.body());
    assertEquals(400, ((Number) body.get("status")).intValue());
    assertTrue(body.get("type") instanceof String && body.get("title") instanceof String);
    return fields;
  }

  private Set<String> failingWith(String name, String value) {
    Map<String, String> p = valid();
    if (value == null) {
      p.remove(name);
    } else {
      p.put(name, value);
    }
    return failing(p);
  }

  @Test
  void nothing_given_lists_every_required_parameter() {
    assertEquals(Set.of("city", "checkIn", "checkOut", "guests"), failing(Map.of()));
  }

  @Test
  void several_failures_are_listed_together() {
    Map<String, String> p = valid();
    p.remove("city");
    p.put("guests", "0");
    p.put("checkOut", p.get("checkIn"));
    assertEquals(Set.of("city", "guests", "checkOut"), failing(p));
  }

  @Test
  void the_city_is_required_and_bounded() {
    assertEquals(Set.of("city"), failingWith("city", null));
    assertEquals(Set.of("city"), failingWith("city", ""));
    assertEquals(Set.of("city"), failingWith("city", "   "));
    assertEquals(Set.of("city"), failingWith("city", "x".repeat(101)));
    ok(
        search(
            Map.of(
                "city",
                "x".repeat(100),
                "checkIn",
                "2026-12-03",
                "checkOut",
                "2026-12-04",
                "guests",
                "1")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "11", "2.5", "2.0", "two", "", "-1", "+2", "0x2", "99999999999999"})
  void guests_must_be_a_whole_number_from_1_to_10(String guests) {
    assertEquals(Set.of("guests"), failingWith("guests", guests));
  }

  @Test
  void guests_are_required_and_1_and_10_are_accepted() {
    assertEquals(Set.of("guests"), failingWith("guests", null));
    Map<String, String> p = valid();
    p.put("guests", "1");
    ok(search(p));
    p.put("guests", "10");
    ok(search(p));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-30", "2026-12-32", "2026-13-01", "01.12.2026", "2026-12-1", "x"})
  void dates_must_be_calendar_dates(String date) {
    assertEquals(Set.of("checkIn"), failingWith("checkIn", date));
    assertEquals(Set.of("checkOut"), failingWith("checkOut", date));
  }

  @Test
  void check_out_must_be_after_check_in() {
    assertEquals(Set.of("checkOut"), failingWith("checkOut", "2026-12-03"));
    assertEquals(Set.of("checkOut"), failingWith("checkOut", "2026-12-02"));
  }

  @Test
  void a_stay_is_at_most_30_nights() {
    assertEquals(Set.of("checkOut"), failingWith("checkOut", "2027-01-03"));
    Map<String, String> p = valid();
    p.put("checkOut", "2027-01-02");
    ok(search(p));
  }

  @Test
  void check_in_is_not_before_today_utc() {
    assertEquals(Set.of("checkIn"), failingWith("checkIn", "2026-11-22"));
    Map<String, String> p = valid();
    p.put("checkIn", "2026-11-23");
    ok(search(p));
  }

  private static Set<String> hotelIds(List<Map<String, Object>> offers) {
    Set<String> ids = new java.util.TreeSet<>();
    offers.forEach(o -> ids.add((String) o.get("hotelId")));
    return ids;
  }

  /** Walks a search page by page; asserts each page's size; returns every offer in order. */
  private List<String> walk(String city, int limit) {
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Map<String, String> q =
          new HashMap<>(
              Map.of(
                  "city", city,
                  "checkIn", dec(3).toString(),
                  "checkOut", dec(5).toString(),
                  "guests", "2",
                  "limit", Integer.toString(limit)));
      if (cursor != null) {
        q.put("cursor", cursor);
      }
      Map<String, Object> body = ok(search(q));
      List<Map<String, Object>> page = items(body);
      assertTrue(page.size() <= limit, "a page holds at most its limit: " + page.size());
      page.forEach(o -> seen.add(o.get("hotelId") + "/" + o.get("roomType")));
      cursor = (String) body.get("nextCursor");
    } while (cursor != null);
    return seen;
  }

  /** {@code n} hotels in Pagetown, each with DBL on sale and FAM sold out on Dec 3..4. */
  private List<String> pagetown(int n) {
    List<String> onSale = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("p%03d", i);
      fx.hotel(
          id,
          "Paged " + i,
          "Pagetown",
          new io.innkeeper.events.hotel.RoomType("DBL", "Double", 2),
          new io.innkeeper.events.hotel.RoomType("FAM", "Family", 4),
          new io.innkeeper.events.hotel.RoomType("SGL", "Single", 1));
      fx.allot(id, "DBL", dec(1), dec(10), 3, "90.00", "EUR");
      fx.allot(id, "FAM", dec(1), dec(10), 0, "150.00", "EUR");
      onSale.add(id + "/DBL");
    }
    return onSale;
  }

  @Test
  void a_city_walks_page_by_page_each_offer_once_and_no_page_exceeds_its_limit() {
    List<String> onSale = pagetown(25);
    for (int limit : List.of(1, 3, 7, 20, 100)) {
      assertEquals(onSale, walk("Pagetown", limit), "limit " + limit);
    }
  }

  @Test
  void a_page_examines_at_most_limit_room_types_so_sold_out_ones_make_it_shorter() {
    pagetown(5);
    // Room types taking 2 guests: DBL (on sale) and FAM (sold out) in each hotel, so a page of 4
    // examines two hotels' worth and offers two DBLs.
    Map<String, Object> first =
        ok(
            search(
                Map.of(
                    "city", "Pagetown",
                    "checkIn", dec(3).toString(),
                    "checkOut", dec(5).toString(),
                    "guests", "2",
                    "limit", "4")));
    assertEquals(2, items(first).size());
    assertTrue(first.containsKey("nextCursor"));
  }

  @Test
  void a_tampered_or_foreign_cursor_is_400() {
    pagetown(4);
    Map<String, String> q =
        new HashMap<>(
            Map.of(
                "city", "Pagetown",
                "checkIn", dec(3).toString(),
                "checkOut", dec(5).toString(),
                "guests", "2",
                "limit", "1"));
    String cursor = (String) ok(search(q)).get("nextCursor");
    String hotels =
        (String)
            ok(fx.get("GET /hotels", null, Map.of(), Map.of("city", "Pagetown", "limit", "1")))
                .get("nextCursor");

    q.put("cursor", hotels);
    assertEquals(Set.of("cursor"), fieldsOf(search(q)), "a /hotels cursor");
    q.put("cursor", (cursor.charAt(0) == 'A' ? "B" : "A") + cursor.substring(1));
    assertEquals(Set.of("cursor"), fieldsOf(search(q)), "tampered");
    q.put("city", "Zurich");
    q.put("cursor", cursor);
    assertEquals(Set.of("cursor"), fieldsOf(search(q)), "another city's cursor");
    q.put("limit", "101");
    assertEquals(Set.of("cursor", "limit"), fieldsOf(search(q)));
  }
}
