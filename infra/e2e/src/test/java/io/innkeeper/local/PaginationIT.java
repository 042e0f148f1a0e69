package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.allotmentBody;
import static io.innkeeper.local.Commands.hotelBody;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public listings page by page over HTTP: 60 hotels in one city, the same among every hotel of
 * the runtime, and their offers in the city's availability. Each walk sees each item once, no page
 * holds more than its limit, and a cursor that was edited or belongs to another list is a 400.
 */
class PaginationIT {
  private static final int HOTELS = 60;
  private static final Duration SETTLE = Duration.ofSeconds(120);

  private static Api api;
  private static String city;
  private static Set<String> hotelIds;
  private static LocalDate checkIn;

  @BeforeAll
  static void registerHotels() throws Exception {
    api = new Api(SharedRuntime.get().apiUrl());
    String admin = SharedRuntime.adminToken();
    city = unique("Paginated");
    checkIn = today().plusDays(200);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> registered = new ArrayList<>();
      for (int i = 0; i < HOTELS; i++) {
        String name = "Page Inn " + i;
        registered.add(
            pool.submit(
                () -> {
                  Api.Answer a = api.postJson("/hotels", admin, hotelBody(name, city, DBL_ONLY));
                  assertEquals(202, a.status(), a.body());
                  return (String) a.json().get("hotelId");
                }));
      }
      hotelIds = new HashSet<>();
      for (Future<String> f : registered) {
        hotelIds.add(f.get());
      }
      // The read model follows the events: once the city lists every hotel, each registration
      // is decided and its allotment cannot meet an unknown hotel.
      awaitListed("/hotels?city=" + enc(city), HOTELS);
      List<Future<?>> allotted = new ArrayList<>();
      for (String hotelId : hotelIds) {
        allotted.add(
            pool.submit(
                () -> {
                  Api.Answer a =
                      api.postJson(
                          "/hotels/" + hotelId + "/allotments",
                          admin,
                          allotmentBody("DBL", checkIn, checkIn.plusDays(3), 2, "99.00"));
                  assertEquals(202, a.status(), a.body());
                  return null;
                }));
      }
      for (Future<?> f : allotted) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    awaitListed(search(2), HOTELS);
  }

  private static void awaitListed(String path, int count) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (walk(path, 100).size() < count) {
      assertTrue(System.nanoTime() < deadline, "not all " + count + " reached the read model");
      Thread.sleep(250);
    }
  }

  /** The city's search for {@code nights} nights from {@link #checkIn}, for two guests. */
  private static String search(int nights) {
    return "/availability?city="
        + enc(city)
        + "&checkIn="
        + checkIn
        + "&checkOut="
        + checkIn.plusDays(nights)
        + "&guests=2";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Walks a listing with {@code limit}; checks each page; returns each item's key in order. */
  private static List<String> walk(String path, int limit) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      String page = path + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor));
      Api.Answer a = api.get(page, null);
      assertEquals(200, a.status(), a.body());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> items = (List<Map<String, Object>>) a.json().get("items");
      assertTrue(items.size() <= limit, "a page of " + items.size() + " for limit " + limit);
      for (Map<String, Object> item : items) {
        seen.add(
            item.get("hotelId") + (item.containsKey("roomType") ? "/" + item.get("roomType") : ""));
      }
      cursor = (String) a.json().get("nextCursor");
    } while (cursor != null);
    return seen;
  }

  @Test
  void the_hotels_of_a_city_walk_page_by_page_each_once_in_id_order() {
    // Many pages, a few, and a last page that is not full.
    for (int limit : List.of(7, 20, 50)) {
      List<String> seen = walk("/hotels?city=" + enc(city), limit);
      assertEquals(HOTELS, seen.size(), "limit " + limit);
      assertEquals(hotelIds, new HashSet<>(seen), "limit " + limit);
      assertEquals(seen.stream().sorted().toList(), seen, "in id order");
    }
  }

  @Test
  void every_hotel_walks_page_by_page_each_once_without_a_city() {
    List<String> seen = walk("/hotels?", 100);
    assertEquals(new HashSet<>(seen).size(), seen.size(), "no hotel twice");
    assertTrue(seen.containsAll(hotelIds), "all of this test's hotels are listed");
    assertEquals(seen.stream().sorted().toList(), seen);
  }

  @Test
  void the_city_s_offers_walk_page_by_page_each_once() {
    List<String> seen = walk(search(2), 17);
    assertEquals(HOTELS, seen.size());
    Set<String> expected = new HashSet<>();
    hotelIds.forEach(id -> expected.add(id + "/DBL"));
    assertEquals(expected, new HashSet<>(seen));
  }

  @Test
  void a_tampered_or_foreign_cursor_is_400() {
    String path = "/hotels?city=" + enc(city) + "&limit=5";
    String cursor = (String) api.get(path, null).json().get("nextCursor");
    assertNotNull(cursor);
    String tampered = (cursor.charAt(0) == 'A' ? "B" : "A") + cursor.substring(1);
    Map<String, String> bad = new HashMap<>();
    bad.put("tampered", path + "&cursor=" + enc(tampered));
    bad.put("another city's", "/hotels?city=" + enc(unique("Other")) + "&cursor=" + enc(cursor));
    bad.put("another list's", "/hotels?limit=5&cursor=" + enc(cursor));
    bad.put(
        "availability's",
        "/availability?city="
            + enc(city)
            + "&checkIn="
            + checkIn
            + "&checkOut="
            + checkIn.plusDays(1)
            + "&guests=1&cursor="
            + enc(cursor));
    bad.forEach(
        (what, p) -> {
          Api.Answer a = api.get(p, null);
          assertEquals(400, a.status(), what + " cursor: " + a.body());
          assertEquals("application/problem+json", a.header("Content-Type"));
          assertTrue(a.body().contains("\"cursor\""), a.body());
        });
  }
}
