package io.innkeeper.hotel.hotels;

import static io.innkeeper.hotel.CommandEndpointFixture.fieldsOf;
import static io.innkeeper.hotel.QueryFixture.items;
import static io.innkeeper.hotel.QueryFixture.ok;
import static io.innkeeper.hotel.QueryFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.readmodel.RowStore.RowPage;
import io.innkeeper.core.readmodel.RowStore.RowQuery;
import io.innkeeper.events.Json;
import io.innkeeper.hotel.QueryFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code GET /hotels} and {@code GET /hotels/{hotelId}}: public, from the hotels table. */
class HotelQueriesTest {
  private final QueryFixture fx = QueryFixture.withHistory();

  private ApiResponse list(Map<String, String> query) {
    return fx.get("GET /hotels", null, Map.of(), query);
  }

  private static List<String> ids(ApiResponse r) {
    return items(ok(r)).stream().map(h -> (String) h.get("hotelId")).toList();
  }

  @Test
  void one_hotel_as_the_api_shows_it() {
    Map<String, Object> expected =
        Json.obj(
            "hotelId",
            "h2",
            "name",
            "Altstadt",
            "city",
            "ZURICH",
            "roomTypes",
            List.of(
                Json.obj("code", "SGL", "name", "Single", "maxGuests", 1),
                Json.obj("code", "DBL", "name", "Double", "maxGuests", 2)));
    assertEquals(
        expected, ok(fx.get("GET /hotels/{hotelId}", null, Map.of("hotelId", "h2"), Map.of())));
  }

  @Test
  void an_unknown_hotel_is_404_and_a_malformed_id_400() {
    problem(404, fx.get("GET /hotels/{hotelId}", null, Map.of("hotelId", "h9"), Map.of()));
    assertEquals(
        Set.of("hotelId"),
        fieldsOf(fx.get("GET /hotels/{hotelId}", null, Map.of("hotelId", "h/1"), Map.of())));
  }

  @Test
  void hotels_of_a_city_by_its_key_in_id_order() {
    assertEquals(List.of("h1", "h2"), ids(list(Map.of("city", "zurich"))));
    assertEquals(List.of("h1", "h2"), ids(list(Map.of("city", " Zurich  "))));
    assertEquals(List.of("h3"), ids(list(Map.of("city", "GENEVA"))));
    assertEquals(List.of(), ids(list(Map.of("city", "Atlantis"))));
    assertEquals(
        ok(fx.get("GET /hotels/{hotelId}", null, Map.of("hotelId", "h1"), Map.of())),
        items(ok(list(Map.of("city", "zurich")))).get(0));
  }

  @Test
  void every_hotel_without_a_city() {
    assertEquals(List.of("h1", "h2", "h3"), ids(list(Map.of())));
  }

  @Test
  void a_hotel_whose_id_reads_like_a_row_name_is_listed_once() {
    fx.hotel("hotel", "Odd", "Bern", new io.innkeeper.events.hotel.RoomType("DBL", "Double", 2));
    assertEquals(List.of("h1", "h2", "h3", "hotel"), ids(list(Map.of())));
    assertEquals(List.of("hotel"), ids(list(Map.of("city", "bern"))));
  }

  @Test
  void a_blank_or_long_city_is_400() {
    assertEquals(Set.of("city"), fieldsOf(list(Map.of("city", " "))));
    assertEquals(Set.of("city"), fieldsOf(list(Map.of("city", "x".repeat(101)))));
  }

  /** Walks a listing page by page; asserts each page's size; returns every id in order. */
  private List<String> walk(Map<String, String> query, int limit, int expectedPages) {
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, String> q = new java.util.HashMap<>(query);
      q.put("limit", Integer.toString(limit));
      if (cursor != null) {
        q.put("cursor", cursor);
      }
      Map<String, Object> body = ok(list(q));
      List<Map<String, Object>> items = items(body);
      org.junit.jupiter.api.Assertions.assertTrue(
          items.size() <= limit, "a page holds at most its limit: " + items.size());
      items.forEach(h -> seen.add((String) h.get("hotelId")));
      cursor = (String) body.get("nextCursor");
      pages++;
    } while (cursor != null);
    assertEquals(expectedPages, pages);
    return seen;
  }

  private void manyHotels(String city, int n) {
    for (int i = 0; i < n; i++) {
      fx.hotel(
          String.format("p%03d", i),
          "Paged " + i,
          city,
          new io.innkeeper.events.hotel.RoomType("DBL", "Double", 2));
    }
  }

  @Test
  void a_city_walks_page_by_page_each_hotel_once_in_id_order() {
    manyHotels("Pagetown", 45);
    List<String> expected =
        java.util.stream.IntStream.range(0, 45).mapToObj(i -> String.format("p%03d", i)).toList();

    assertEquals(expected, walk(Map.of("city", "Pagetown"), 10, 5));
    assertEquals(expected, walk(Map.of("city", "pagetown"), 45, 1));
  }

  @Test
  void every_hotel_walks_page_by_page_too_and_twenty_is_the_default_page() {
    manyHotels("Pagetown", 45);
    List<String> all = walk(Map.of(), 7, 7);
    assertEquals(48, all.size());
    assertEquals(48, Set.copyOf(all).size(), "each hotel once");
    assertEquals(all.stream().sorted().toList(), all, "in id order");

    Map<String, Object> first = ok(list(Map.of()));
    assertEquals(20, items(first).size());
    org.junit.jupiter.api.Assertions.assertNotNull(first.get("nextCursor"));
  }

  @Test
  void a_tampered_or_foreign_cursor_is_400() {
    manyHotels("Pagetown", 5);
    String lisbon = (String) ok(list(Map.of("city", "Pagetown", "limit", "2"))).get("nextCursor");
    String all = (String) ok(list(Map.of("limit", "2"))).get("nextCursor");

    assertEquals(
        Set.of("cursor"), fieldsOf(list(Map.of("city", "Zurich", "cursor", lisbon))), "other city");
    assertEquals(Set.of("cursor"), fieldsOf(list(Map.of("cursor", lisbon))), "city cursor on all");
    assertEquals(
        Set.of("cursor"), fieldsOf(list(Map.of("city", "Pagetown", "cursor", all))), "all on city");
    String tampered = (lisbon.charAt(0) == 'A' ? "B" : "A") + lisbon.substring(1);
    assertEquals(Set.of("cursor"), fieldsOf(list(Map.of("city", "Pagetown", "cursor", tampered))));
    assertEquals(Set.of("cursor"), fieldsOf(list(Map.of("cursor", "not-a-cursor"))));
  }

  @Test
  void a_limit_outside_1_to_100_is_400_with_a_bad_cursor_in_the_same_answer() {
    for (String bad : List.of("0", "101", "-1", "x", "1.5")) {
      assertEquals(Set.of("limit"), fieldsOf(list(Map.of("limit", bad))), bad);
    }
    assertEquals(Set.of("limit", "cursor"), fieldsOf(list(Map.of("limit", "0", "cursor", "x.y"))));
  }

  /** The reads a listing makes, recorded over the fixture's store. */
  private static final class Recorded implements io.innkeeper.core.readmodel.RowStore {
    private final io.innkeeper.core.readmodel.RowStore inner;
    final List<RowQuery> queries = new java.util.ArrayList<>();
    int scans;

    Recorded(io.innkeeper.core.readmodel.RowStore inner) {
      this.inner = inner;
    }

    @Override
    public Map<io.innkeeper.core.readmodel.RowKey, io.innkeeper.core.readmodel.Row> get(
        java.util.Collection<io.innkeeper.core.readmodel.RowKey> keys, boolean consistent) {
      return inner.get(keys, consistent);
    }

    @Override
    public void commit(List<io.innkeeper.core.readmodel.RowWrite> writes) {
      inner.commit(writes);
    }

    @Override
    public RowPage query(RowQuery query) {
      queries.add(query);
      return inner.query(query);
    }

    @Override
    public void scan(
        String table, java.util.function.Consumer<io.innkeeper.core.readmodel.Row> each) {
      scans++;
      inner.scan(table, each);
    }

    @Override
    public void clear(String table) {
      inner.clear(table);
    }
  }

  @Test
  void a_page_reads_one_page_of_rows_eventually_consistent_unless_a_token_is_sent() {
    manyHotels("Pagetown", 30);
    Recorded recorded = new Recorded(fx.store);
    var gate =
        new io.innkeeper.core.query.ConsistencyGate(
            new io.innkeeper.core.projection.Watermarks(recorded, "watermarks"),
            java.time.Duration.ofMillis(100));
    var queries =
        new HotelQueries(
            recorded, "hotels", new io.innkeeper.core.query.Cursors(QueryFixture.CURSOR_KEY));
    java.util.function.Function<Map<String, String>, ApiResponse> call =
        headers ->
            gate.route(queries::list)
                .apply(
                    new io.innkeeper.core.http.ApiRequest(
                        "GET /hotels", headers, Map.of(), Map.of("limit", "5"), null, null, "r"));

    assertEquals(5, items(ok(call.apply(Map.of()))).size());
    assertEquals(1, recorded.queries.size(), "one query, no scan");
    assertEquals(0, recorded.scans);
    assertEquals(6, recorded.queries.get(0).limit(), "the page and one row to know if more follow");
    org.junit.jupiter.api.Assertions.assertFalse(recorded.queries.get(0).consistent());

    recorded.queries.clear();
    // hotel#p000 is projected at version 1: a token for it is already reached.
    String token = new io.innkeeper.core.ConsistencyToken("hotel#p000", 1, "c1").encode();
    ok(call.apply(Map.of(io.innkeeper.core.query.ConsistencyGate.HEADER, token)));
    org.junit.jupiter.api.Assertions.assertTrue(recorded.queries.get(0).consistent());
  }
}
