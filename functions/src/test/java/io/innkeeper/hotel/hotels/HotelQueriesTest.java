package io.innkeeper.hotel.hotels;

import static io.innkeeper.hotel.CommandEndpointFixture.fieldsOf;
import static io.innkeeper.hotel.QueryFixture.items;
import static io.innkeeper.hotel.QueryFixture.ok;
import static io.innkeeper.hotel.QueryFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.innkeeper.core.http.ApiResponse;
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
}
