package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_AND_FAM;
import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.bookingBody;
import static io.innkeeper.local.Commands.roomType;
import static io.innkeeper.local.Commands.roomTypes;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.core.Ulid;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read side over HTTP on the embedded runtime: availability search, reservations by id and
 * "mine" with cursors, occupancy, and the consistency token (read-your-writes, waiting for a
 * command not projected yet, 503 past the budget, 400 for a malformed token). Every test uses a
 * city, hotels and guests of its own and dates well in the future; reads that must see earlier
 * commands carry (or first wait on) those commands' consistency tokens instead of polling.
 */
class ReadSideIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String TOKEN = "X-Consistency-Token";
  private static final String PROBLEM = "application/problem+json";

  private static LocalRuntime runtime;
  private static Api api;
  private static Backstage backstage;
  private static Commands commands;

  @BeforeAll
  static void start() {
    runtime = SharedRuntime.get();
    api = new Api(runtime.apiUrl());
    backstage = new Backstage(runtime);
    commands = new Commands(api, SETTLE);
  }

  @AfterAll
  static void stop() {
    if (backstage != null) {
      backstage.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Availability

  @Test
  void availability_offers_room_types_free_every_night_for_enough_guests_at_the_summed_rates() {
    String city = unique("ReadSide-Avail");
    String guest = SharedRuntime.guestToken(unique("avail-guest"));
    String a = registerHotel("Hotel Avail A", city, DBL_AND_FAM).hotelId();
    String b = registerHotel("Hotel Avail B", city, DBL_ONLY).hotelId();
    String elsewhere =
        registerHotel("Hotel Elsewhere", unique("ReadSide-Other"), DBL_ONLY).hotelId();
    // Three nights across a month boundary: the last two days of a month and the first of the next.
    LocalDate d0 = today().plusDays(45).withDayOfMonth(1).plusMonths(1).minusDays(2);
    LocalDate d1 = d0.plusDays(1);
    LocalDate d2 = d0.plusDays(2);
    LocalDate d3 = d0.plusDays(3);
    assertEquals(1, d2.getDayOfMonth(), "the stay should cross a month boundary");

    List<String> tokens = new ArrayList<>();
    tokens.add(allot(a, "DBL", d0, d3, 2, "100.00"));
    tokens.add(allot(a, "DBL", d2, d3, 2, "160.00")); // the last night costs more
    tokens.add(allot(a, "FAM", d0, d3, 1, "150.00"));
    tokens.add(allot(b, "DBL", d0, d2, 5, "80.00")); // B's last night is not on sale
    tokens.add(allot(elsewhere, "DBL", d0, d3, 9, "10.00"));
    tokens.add(book(guest, a, "DBL", d1, d2, 2).token()); // A: one DBL left on d1
    Booked famOnLastNight = book(guest, a, "FAM", d2, d3, 3); // A: FAM sold out on d2
    tokens.add(famOnLastNight.token());
    awaitProjected(tokens);

    // The whole stay: FAM has a sold-out night, B has a night not on sale.
    Api.Answer whole =
        api.get(availabilityPath(city, d0, d3, "2"), null, Map.of(TOKEN, famOnLastNight.token()));
    assertEquals(200, whole.status(), whole.body());
    assertEquals(List.of(offer(a, "Hotel Avail A", "DBL", 1, "360.00")), offers(whole));

    // The first two nights: everything is free somewhere; availableRooms is the minimum.
    assertEquals(
        sorted(
            offer(a, "Hotel Avail A", "DBL", 1, "200.00"),
            offer(a, "Hotel Avail A", "FAM", 1, "300.00"),
            offer(b, "Hotel Avail B", "DBL", 5, "160.00")),
        offers(search(city, d0, d2, "2")));
    // One guest fits every room type too.
    assertEquals(
        sorted(
            offer(a, "Hotel Avail A", "DBL", 1, "200.00"),
            offer(a, "Hotel Avail A", "FAM", 1, "300.00"),
            offer(b, "Hotel Avail B", "DBL", 5, "160.00")),
        offers(search(city, d0, d2, "1")));
    // Three guests: only the family room takes them.
    assertEquals(
        List.of(offer(a, "Hotel Avail A", "FAM", 1, "300.00")), offers(search(city, d0, d2, "3")));
    assertEquals(List.of(), offers(search(city, d0, d3, "3")));
    // More guests than any room type takes.
    assertEquals(List.of(), offers(search(city, d0, d2, "5")));
    // The dear night alone: nothing booked on it in DBL.
    assertEquals(
        List.of(offer(a, "Hotel Avail A", "DBL", 2, "160.00")), offers(search(city, d2, d3, "2")));
    // The city matches case-insensitively; another city's hotel never shows up.
    assertEquals(
        offers(search(city, d0, d2, "2")),
        offers(search(city.toUpperCase(java.util.Locale.ROOT), d0, d2, "2")));
    assertEquals(
        List.of(),
        offers(search(unique("ReadSide-Nowhere"), d0, d2, "2")),
        "a city without hotels");
  }

  @Test
  void availability_validation_is_a_400_listing_every_failing_field() {
    String city = unique("ReadSide-Valid");
    LocalDate in = today().plusDays(40);
    LocalDate out = in.plusDays(2);
    String base = "/availability?city=" + enc(city);

    assertBadRequest(api.get(base + "&checkIn=" + in + "&checkOut=" + out, null), Set.of("guests"));
    assertBadRequest(
        api.get(base + "&checkIn=" + out + "&checkOut=" + in + "&guests=2", null),
        Set.of("checkOut"));
    assertBadRequest(
        api.get(base + "&checkIn=" + in + "&checkOut=" + in + "&guests=2", null),
        Set.of("checkOut"));
    assertBadRequest(
        api.get(base + "&checkIn=2031-02-30&checkOut=" + out + "&guests=2", null),
        Set.of("checkIn"));
    assertBadRequest(
        api.get(base + "&checkIn=tomorrow&checkOut=" + out + "&guests=2", null), Set.of("checkIn"));
    assertBadRequest(
        api.get(
            base
                + "&checkIn="
                + today().minusDays(1)
                + "&checkOut="
                + today().plusDays(1)
                + "&guests=2",
            null),
        Set.of("checkIn"));
    assertBadRequest(
        api.get(base + "&checkIn=" + in + "&checkOut=" + in.plusDays(31) + "&guests=2", null),
        Set.of("checkOut"));
    assertBadRequest(
        api.get(base + "&checkIn=" + in + "&checkOut=" + out + "&guests=0", null),
        Set.of("guests"));
    assertBadRequest(
        api.get(base + "&checkIn=" + in + "&checkOut=" + out + "&guests=11", null),
        Set.of("guests"));
    assertBadRequest(
        api.get(base + "&checkIn=" + in + "&checkOut=" + out + "&guests=two", null),
        Set.of("guests"));
    // Everything wrong at once: every field is listed.
    assertBadRequest(
        api.get("/availability?checkIn=nope&checkOut=2031-13-01&guests=0", null),
        Set.of("city", "checkIn", "checkOut", "guests"));
  }

  @Test
  void hotels_are_listed_by_city_and_shown_by_id_to_anyone() {
    String city = unique("ReadSide-Hotels");
    Registered first = registerHotel("Hotel Eins", city, DBL_AND_FAM);
    Registered second = registerHotel("Hotel Zwei", city, DBL_ONLY);
    Registered elsewhere = registerHotel("Hotel Drei", unique("ReadSide-Hotels-Other"), DBL_ONLY);
    awaitProjected(List.of(first.token(), second.token(), elsewhere.token()));

    Api.Answer one = api.get("/hotels/" + first.hotelId(), null, Map.of(TOKEN, first.token()));
    assertEquals(200, one.status(), one.body());
    Map<String, Object> eins = one.json();
    assertEquals(
        Map.of(
            "hotelId",
            first.hotelId(),
            "name",
            "Hotel Eins",
            "city",
            city,
            "roomTypes",
            List.of(
                Map.of("code", "DBL", "name", "Double room", "maxGuests", 2),
                Map.of("code", "FAM", "name", "Family room", "maxGuests", 4))),
        eins);
    Map<String, Object> zwei = api.get("/hotels/" + second.hotelId(), null).json();
    assertEquals("Hotel Zwei", zwei.get("name"));

    List<Map<String, Object>> expected = new ArrayList<>(List.of(eins, zwei));
    expected.sort(java.util.Comparator.comparing(h -> (String) h.get("hotelId")));
    for (String spelling :
        List.of(city, city.toUpperCase(java.util.Locale.ROOT), "  " + city + "  ")) {
      Api.Answer byCity = api.get("/hotels?city=" + enc(spelling), null);
      assertEquals(200, byCity.status(), byCity.body());
      List<Map<String, Object>> listed = items(byCity);
      assertEquals(Set.copyOf(expected), Set.copyOf(listed), "hotels of '" + spelling + "'");
      assertEquals(2, listed.size(), byCity.body());
    }
    // Signed-in callers see the same.
    assertEquals(
        Set.copyOf(expected),
        Set.copyOf(
            items(api.get("/hotels?city=" + enc(city), SharedRuntime.guestToken("hotels-guest")))));
    assertEquals(List.of(), items(api.get("/hotels?city=" + enc(unique("ReadSide-None")), null)));

    Api.Answer unknown = api.get("/hotels/" + Ulid.next(Instant.now()), null);
    assertEquals(404, unknown.status(), unknown.body());
    assertEquals(PROBLEM, unknown.header("Content-Type"));
    assertBadRequest(api.get("/hotels?city=", null), Set.of("city"));
    assertBadRequest(api.get("/hotels?city=" + "x".repeat(101), null), Set.of("city"));
  }

  // ---------------------------------------------------------------------------------------------
  // 2. One reservation by id

  @Test
  void a_reservation_is_shown_to_its_guest_and_admins_only_and_reflects_its_cancellation() {
    String hotelId = registerHotel("Hotel ById", unique("ReadSide-ById"), DBL_AND_FAM).hotelId();
    LocalDate in = today().plusDays(50);
    LocalDate out = in.plusDays(2);
    awaitProjected(List.of(allot(hotelId, "FAM", in, in.plusDays(3), 2, "90.00")));
    String ownerSub = unique("byid-owner");
    String owner = SharedRuntime.guestToken(ownerSub);
    String other = SharedRuntime.guestToken(unique("byid-other"));
    String admin = SharedRuntime.adminToken();

    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Booked booked = book(owner, hotelId, "FAM", in, out, 3);
    Instant after = Instant.now();
    String path = "/reservations/" + booked.reservationId();

    Api.Answer mine = api.get(path, owner, Map.of(TOKEN, booked.token()));
    assertEquals(200, mine.status(), mine.body());
    Map<String, Object> r = mine.json();
    assertEquals(
        Set.of(
            "reservationId",
            "guestId",
            "hotelId",
            "roomType",
            "checkIn",
            "checkOut",
            "guests",
            "status",
            "totalPrice",
            "bookedAt"),
        r.keySet(),
        mine.body());
    assertEquals(booked.reservationId(), r.get("reservationId"));
    assertEquals(ownerSub, r.get("guestId"));
    assertEquals(hotelId, r.get("hotelId"));
    assertEquals("FAM", r.get("roomType"));
    assertEquals(in.toString(), r.get("checkIn"));
    assertEquals(out.toString(), r.get("checkOut"));
    assertEquals(3, ((Number) r.get("guests")).intValue());
    assertEquals("CONFIRMED", r.get("status"));
    assertEquals(Map.of("amount", "180.00", "currency", "EUR"), r.get("totalPrice"));
    Instant bookedAt = Instant.parse((String) r.get("bookedAt"));
    assertFalse(bookedAt.isBefore(before), "bookedAt " + bookedAt + " before " + before);
    assertFalse(bookedAt.isAfter(after), "bookedAt " + bookedAt + " after " + after);

    Api.Answer byAdmin = api.get(path, admin);
    assertEquals(200, byAdmin.status(), byAdmin.body());
    assertEquals(r, byAdmin.json());

    Api.Answer byOther = api.get(path, other);
    assertEquals(403, byOther.status(), byOther.body());
    assertEquals(PROBLEM, byOther.header("Content-Type"));
    assertFalse(byOther.body().contains(ownerSub), "a 403 leaks the owner: " + byOther.body());

    Api.Answer anonymous = api.get(path, null);
    // Refused by the gateway's authorizer, before the function: API Gateway's own shape.
    assertEquals(401, anonymous.status(), anonymous.body());
    assertEquals("{\"message\":\"Unauthorized\"}", anonymous.body());
    assertEquals("Bearer", anonymous.header("www-authenticate"));

    String unknown = "/reservations/" + Ulid.next(Instant.now());
    assertEquals(404, api.get(unknown, owner).status());
    assertEquals(404, api.get(unknown, admin).status());
    Api.Answer malformed = api.get("/reservations/bad.id", owner);
    assertEquals(400, malformed.status(), malformed.body());
    assertEquals(PROBLEM, malformed.header("Content-Type"));

    // The owner cancels; the cancellation's token makes the next read show it.
    Instant beforeCancel = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String cancelToken =
        succeeded(
            commands.cancel(owner, booked.reservationId(), "{\"reason\":\"plans changed\"}"),
            owner);
    Api.Answer cancelled = api.get(path, owner, Map.of(TOKEN, cancelToken));
    assertEquals(200, cancelled.status(), cancelled.body());
    Map<String, Object> c = cancelled.json();
    assertEquals("CANCELLED", c.get("status"), cancelled.body());
    assertNotNull(c.get("cancelledAt"), cancelled.body());
    Instant cancelledAt = Instant.parse((String) c.get("cancelledAt"));
    assertFalse(cancelledAt.isBefore(beforeCancel), "cancelledAt " + cancelledAt);
    assertFalse(cancelledAt.isBefore(bookedAt));
    Map<String, Object> unchanged = new HashMap<>(c);
    unchanged.remove("cancelledAt");
    unchanged.put("status", "CONFIRMED");
    assertEquals(r, unchanged, "a cancellation changed more than status and cancelledAt");
    assertEquals(c, api.get(path, admin).json());
    assertEquals(403, api.get(path, other).status());

    // "Mine" shows the same cancelled reservation.
    Api.Answer list = api.get("/me/reservations", owner, Map.of(TOKEN, cancelToken));
    assertEquals(200, list.status(), list.body());
    assertEquals(List.of(c), list.json().get("items"));
  }

  // ---------------------------------------------------------------------------------------------
  // 3. My reservations, page by page

  @Test
  void my_reservations_page_newest_check_in_first_with_cursors_bound_to_the_caller() {
    String hotelId = registerHotel("Hotel Pages", unique("ReadSide-Pages"), DBL_ONLY).hotelId();
    LocalDate first = today().plusDays(120);
    int count = 25;
    awaitProjected(List.of(allot(hotelId, "DBL", first, first.plusDays(count), 1, "50.00")));
    String guest = SharedRuntime.guestToken(unique("pages-guest"));
    String other = SharedRuntime.guestToken(unique("pages-other"));

    // Sent together (they queue behind each other in the room type's group), settled after.
    List<Api.Answer> accepted = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      LocalDate in = first.plusDays(i);
      accepted.add(commands.book(guest, bookingBody(hotelId, "DBL", in, in.plusDays(1), 1)));
    }
    List<String> ids = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (Api.Answer a : accepted) {
      assertEquals(202, a.status(), a.body());
      ids.add((String) a.json().get("reservationId"));
      tokens.add(succeeded(a, guest));
    }
    awaitProjected(tokens);
    List<String> newestFirst = new ArrayList<>(ids);
    Collections.reverse(newestFirst); // booking i checks in on first + i

    List<String> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    String firstCursor = null;
    do {
      Api.Answer page =
          api.get(
              "/me/reservations?limit=10" + (cursor == null ? "" : "&cursor=" + enc(cursor)),
              guest);
      assertEquals(200, page.status(), page.body());
      List<Map<String, Object>> items = items(page);
      pageSizes.add(items.size());
      items.forEach(item -> seen.add((String) item.get("reservationId")));
      cursor = (String) page.json().get("nextCursor");
      if (firstCursor == null) {
        firstCursor = cursor;
      }
      assertTrue(pageSizes.size() <= 5, "pagination does not end: " + pageSizes);
    } while (cursor != null);
    assertEquals(List.of(10, 10, 5), pageSizes);
    assertEquals(newestFirst, seen, "all 25, newest check-in first, none twice");
    assertNotNull(firstCursor);

    // The items are the reservations themselves.
    Api.Answer top = api.get("/me/reservations?limit=1", guest);
    Map<String, Object> newest = items(top).get(0);
    assertEquals(ids.get(count - 1), newest.get("reservationId"));
    assertEquals(first.plusDays(count - 1).toString(), newest.get("checkIn"));
    assertEquals("CONFIRMED", newest.get("status"));
    assertEquals(Map.of("amount", "50.00", "currency", "EUR"), newest.get("totalPrice"));
    assertEquals(newest, api.get("/reservations/" + ids.get(count - 1), guest).json());

    // Default limit 20; a page holding exactly the rest has no cursor.
    Api.Answer defaults = api.get("/me/reservations", guest);
    assertEquals(newestFirst.subList(0, 20), reservationIds(defaults));
    assertNotNull(defaults.json().get("nextCursor"));
    Api.Answer all = api.get("/me/reservations?limit=25", guest);
    assertEquals(newestFirst, reservationIds(all));
    assertNull(all.json().get("nextCursor"), all.body());
    Api.Answer max = api.get("/me/reservations?limit=100", guest);
    assertEquals(newestFirst, reservationIds(max));
    assertNull(max.json().get("nextCursor"), max.body());

    for (String limit : List.of("0", "101", "abc", "-1", "1.5")) {
      assertBadRequest(api.get("/me/reservations?limit=" + limit, guest), Set.of("limit"));
    }
    assertBadRequest(
        api.get("/me/reservations?limit=0&cursor=garbage", guest), Set.of("limit", "cursor"));

    // A changed cursor is refused, wherever the change is.
    String valid = firstCursor;
    int dot = valid.indexOf('.');
    List<String> tampered =
        List.of(
            flip(valid, 0),
            flip(valid, dot / 2),
            flip(valid, dot + 3),
            // The last character of each part carries unused low bits: a different spelling of
            // the same bytes is still not the cursor that was handed out.
            flip(valid, dot - 1),
            flip(valid, valid.length() - 1),
            valid + "=",
            valid.substring(0, valid.length() - 2),
            valid.replace(".", ""),
            Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString("9999-12-31#ZZZ".getBytes(StandardCharsets.UTF_8))
                + valid.substring(dot),
            "garbage",
            "a.b");
    for (String t : tampered) {
      Api.Answer bad = api.get("/me/reservations?limit=10&cursor=" + enc(t), guest);
      assertBadRequest(bad, Set.of("cursor"));
    }
    // The untouched cursor still works.
    assertEquals(
        newestFirst.subList(10, 20),
        reservationIds(api.get("/me/reservations?limit=10&cursor=" + enc(valid), guest)));

    // Another guest sees none of them and cannot use this guest's cursor.
    Api.Answer theirs = api.get("/me/reservations", other);
    assertEquals(200, theirs.status(), theirs.body());
    assertEquals(List.of(), items(theirs));
    assertNull(theirs.json().get("nextCursor"));
    assertBadRequest(
        api.get("/me/reservations?limit=10&cursor=" + enc(valid), other), Set.of("cursor"));
    assertBadRequest(
        api.get("/me/reservations?limit=10&cursor=" + enc(valid), SharedRuntime.adminToken()),
        Set.of("cursor"));
    for (String id : List.of(ids.get(0), ids.get(count - 1))) {
      assertEquals(403, api.get("/reservations/" + id, other).status());
    }
    assertEquals(401, api.get("/me/reservations", null).status());
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Occupancy

  @Test
  void occupancy_shows_admins_rooms_and_bookings_per_night_and_room_type() {
    String hotelId = registerHotel("Hotel Occ", unique("ReadSide-Occ"), DBL_AND_FAM).hotelId();
    LocalDate d0 = today().plusDays(60).withDayOfMonth(1).plusMonths(1).minusDays(1);
    LocalDate d1 = d0.plusDays(1);
    LocalDate d2 = d0.plusDays(2);
    LocalDate d3 = d0.plusDays(3);
    LocalDate d4 = d0.plusDays(4);
    List<String> tokens = new ArrayList<>();
    tokens.add(allot(hotelId, "DBL", d0, d3, 3, "70.00"));
    tokens.add(allot(hotelId, "FAM", d1, d2, 2, "120.00"));
    String g1 = SharedRuntime.guestToken(unique("occ-1"));
    String g2 = SharedRuntime.guestToken(unique("occ-2"));
    tokens.add(book(g1, hotelId, "DBL", d0, d2, 2).token());
    tokens.add(book(g2, hotelId, "DBL", d1, d3, 1).token());
    tokens.add(book(g2, hotelId, "FAM", d1, d2, 4).token());
    Booked dropped = book(g1, hotelId, "DBL", d1, d2, 1);
    tokens.add(dropped.token());
    tokens.add(succeeded(commands.cancel(g1, dropped.reservationId(), "{}"), g1));
    awaitProjected(tokens);
    String admin = SharedRuntime.adminToken();
    String path = "/hotels/" + hotelId + "/occupancy?from=" + d0 + "&to=" + d4;

    Api.Answer occ = api.get(path, admin, Map.of(TOKEN, tokens.get(tokens.size() - 1)));

    assertEquals(200, occ.status(), occ.body());
    // Every night in [from, to) times every room type; 0 rooms where nothing is on sale.
    assertEquals(
        sorted(
            night(d0, "DBL", 3, 1),
            night(d0, "FAM", 0, 0),
            night(d1, "DBL", 3, 2),
            night(d1, "FAM", 2, 1),
            night(d2, "DBL", 3, 1),
            night(d2, "FAM", 0, 0),
            night(d3, "DBL", 0, 0),
            night(d3, "FAM", 0, 0)),
        nights(occ));
    List<String> dates = nightsOf(occ).stream().map(n -> (String) n.get("date")).toList();
    assertEquals(dates.stream().sorted().toList(), dates, "nights in date order");
    // A one-night window.
    assertEquals(
        sorted(night(d1, "DBL", 3, 2), night(d1, "FAM", 2, 1)),
        nights(api.get("/hotels/" + hotelId + "/occupancy?from=" + d1 + "&to=" + d2, admin)));

    Api.Answer guest = api.get(path, g1);
    assertEquals(403, guest.status(), guest.body());
    assertEquals(PROBLEM, guest.header("Content-Type"));
    Api.Answer anonymous = api.get(path, null);
    assertEquals(401, anonymous.status(), anonymous.body());
    Api.Answer unknown =
        api.get(
            "/hotels/" + Ulid.next(Instant.now()) + "/occupancy?from=" + d0 + "&to=" + d4, admin);
    assertEquals(404, unknown.status(), unknown.body());
    assertEquals(PROBLEM, unknown.header("Content-Type"));

    String base = "/hotels/" + hotelId + "/occupancy";
    assertBadRequest(api.get(base + "?from=" + d1 + "&to=" + d1, admin), Set.of("to"));
    assertBadRequest(api.get(base + "?from=" + d1 + "&to=" + d0, admin), Set.of("to"));
    assertBadRequest(
        api.get(base + "?from=" + d0 + "&to=" + d0.plusDays(367), admin), Set.of("to"));
    assertBadRequest(api.get(base + "?to=" + d1, admin), Set.of("from"));
    assertBadRequest(api.get(base + "?from=2031-02-30&to=x", admin), Set.of("from", "to"));
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Read-your-writes

  @Test
  void a_booking_is_in_my_reservations_at_once_when_read_with_its_consistency_token()
      throws Exception {
    int guests = 4;
    int perGuest = 25;
    List<String> types = List.of("RA", "RB", "RC", "RD");
    String roomTypes =
        roomTypes(types.stream().map(t -> roomType(t, "Room " + t, 2)).toArray(String[]::new));
    String hotelId = registerHotel("Hotel Ryw", unique("ReadSide-Ryw"), roomTypes).hotelId();
    LocalDate first = today().plusDays(150);
    List<String> allotments = new ArrayList<>();
    for (String t : types) {
      allotments.add(allot(hotelId, t, first, first.plusDays(perGuest), 1, "40.00"));
    }
    awaitProjected(allotments);

    // One guest per room type, so the four guests' bookings are decided in parallel groups.
    List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
    Map<String, List<String>> bookedBy = new java.util.concurrent.ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(guests);
    long started = System.nanoTime();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int g = 0; g < guests; g++) {
        String type = types.get(g);
        String sub = unique("ryw-guest-" + g);
        String token = SharedRuntime.guestToken(sub);
        futures.add(
            pool.submit(
                () -> {
                  List<String> mine = new ArrayList<>();
                  for (int i = 0; i < perGuest; i++) {
                    int n = i + 1;
                    LocalDate in = first.plusDays(i);
                    Api.Answer sent =
                        commands.book(
                            token,
                            bookingBody(hotelId, type, in, in.plusDays(1), 1),
                            Map.of("Prefer", "wait=10"));
                    Map<String, Object> status = commands.settled(sent, token);
                    assertEquals("SUCCEEDED", status.get("status"), status.toString());
                    String ct = (String) status.get("consistencyToken");
                    String reservationId = reservationIdOf(ct);

                    long t0 = System.nanoTime();
                    Api.Answer list =
                        api.get("/me/reservations?limit=100", token, Map.of(TOKEN, ct));
                    latenciesMicros.add((System.nanoTime() - t0) / 1_000);

                    assertEquals(200, list.status(), list.body());
                    Map<String, Object> item =
                        items(list).stream()
                            .filter(r -> reservationId.equals(r.get("reservationId")))
                            .findFirst()
                            .orElseThrow(
                                () ->
                                    new AssertionError(
                                        "booking "
                                            + n
                                            + " of "
                                            + sub
                                            + " ("
                                            + reservationId
                                            + ") missing from a token-bound read: "
                                            + list.body()));
                    assertEquals(in.toString(), item.get("checkIn"), item.toString());
                    assertEquals(type, item.get("roomType"), item.toString());
                    assertEquals(sub, item.get("guestId"), item.toString());
                    assertEquals("CONFIRMED", item.get("status"), item.toString());
                    mine.add(reservationId);
                    assertEquals(mine.size(), items(list).size(), "items after " + mine.size());
                  }
                  bookedBy.put(token, mine);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertEquals(guests * perGuest, latenciesMicros.size());
    Set<String> all = new HashSet<>();
    bookedBy.forEach(
        (token, ids) -> {
          List<String> newestFirst = new ArrayList<>(ids);
          Collections.reverse(newestFirst);
          assertEquals(newestFirst, reservationIds(api.get("/me/reservations?limit=100", token)));
          all.addAll(ids);
        });
    assertEquals(guests * perGuest, all.size(), "distinct reservations");

    List<Long> sortedMicros = latenciesMicros.stream().sorted().toList();
    double meanMs = sortedMicros.stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0;
    System.out.printf(
        "ReadSideIT read-your-writes: %d token-bound GET /me/reservations after SUCCEEDED:"
            + " mean %.1f ms, p50 %.1f ms, p95 %.1f ms, max %.1f ms (all %d bookings in %d ms)%n",
        sortedMicros.size(),
        meanMs,
        percentile(sortedMicros, 50) / 1000.0,
        percentile(sortedMicros, 95) / 1000.0,
        sortedMicros.get(sortedMicros.size() - 1) / 1000.0,
        guests * perGuest,
        elapsedMs);
  }

  // ---------------------------------------------------------------------------------------------
  // 6-7. Consistency tokens: waiting, giving up, refusing

  @Test
  void a_token_for_a_command_not_projected_yet_waits_for_it_and_then_answers() throws Exception {
    String hotelId = registerHotel("Hotel Wait", unique("ReadSide-Wait"), DBL_ONLY).hotelId();
    LocalDate in = today().plusDays(70);
    String last = allot(hotelId, "DBL", in, in.plusDays(2), 1, "55.00");
    awaitProjected(List.of(last));
    ConsistencyToken now = ConsistencyToken.parse(last).orElseThrow();
    assertEquals("hotel#" + hotelId, now.streamId(), "the allotment's token names the hotel");
    String next = new ConsistencyToken(now.streamId(), now.version() + 1).encode();
    String admin = SharedRuntime.adminToken();
    String path = "/hotels/" + hotelId + "/occupancy?from=" + in + "&to=" + in.plusDays(2);
    assertEquals(
        List.of(night(in, "DBL", 1, 0), night(in.plusDays(1), "DBL", 1, 0)),
        nights(api.get(path, admin)));

    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      long asked = System.nanoTime();
      Future<Api.Answer> pending = reader.submit(() -> api.get(path, admin, Map.of(TOKEN, next)));
      // Give the query time to reach the gate; it must still be waiting then.
      Backstage.sleep(500);
      assertFalse(pending.isDone(), "a query for a version nobody wrote yet answered at once");
      long sent = System.nanoTime();
      Api.Answer allotment = commands.setAllotment(hotelId, "DBL", in, in.plusDays(2), 4, "65.00");
      assertEquals(202, allotment.status(), allotment.body());

      Api.Answer answer = pending.get(10, TimeUnit.SECONDS);
      long answered = System.nanoTime();

      assertEquals(200, answer.status(), answer.body());
      assertEquals(
          List.of(night(in, "DBL", 4, 0), night(in.plusDays(1), "DBL", 4, 0)), nights(answer));
      assertTrue(answered > sent, "answered before the allotment was sent");
      System.out.printf(
          "ReadSideIT token wait: the query waited %d ms, answered %d ms after the allotment"
              + " was sent%n",
          TimeUnit.NANOSECONDS.toMillis(answered - asked),
          TimeUnit.NANOSECONDS.toMillis(answered - sent));
      // The token waited for exactly the allotment's version (the issued one also names it).
      ConsistencyToken issued = ConsistencyToken.parse(succeeded(allotment, admin)).orElseThrow();
      assertEquals(
          ConsistencyToken.parse(next).orElseThrow(),
          new ConsistencyToken(issued.streamId(), issued.version()));
      assertEquals(allotment.json().get("commandId"), issued.commandId());
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  void a_token_that_is_never_reached_is_a_503_with_retry_after_once_the_budget_is_spent() {
    Registered hotel = registerHotel("Hotel Never", unique("ReadSide-Never"), DBL_ONLY);
    awaitProjected(List.of(hotel.token()));
    ConsistencyToken registered = ConsistencyToken.parse(hotel.token()).orElseThrow();
    String far = new ConsistencyToken(registered.streamId(), registered.version() + 50).encode();

    long t0 = System.nanoTime();
    Api.Answer r = api.get("/hotels/" + hotel.hotelId(), null, Map.of(TOKEN, far));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    assertEquals(503, r.status(), r.body());
    assertEquals(PROBLEM, r.header("Content-Type"));
    assertEquals(503, ((Number) r.json().get("status")).intValue(), r.body());
    String retryAfter = r.header("Retry-After");
    assertNotNull(retryAfter, "503 without Retry-After");
    assertTrue(Integer.parseInt(retryAfter.strip()) >= 1, "Retry-After " + retryAfter);
    assertTrue(tookMs >= 4_500, "gave up after " + tookMs + " ms, before the 5 s budget");
    assertTrue(tookMs < 10_000, "took " + tookMs + " ms, far beyond the 5 s budget");
    System.out.println("ReadSideIT token budget: 503 after " + tookMs + " ms");

    // The same query without the token answers at once.
    assertEquals(200, api.get("/hotels/" + hotel.hotelId(), null).status());
  }

  @Test
  void a_malformed_consistency_token_is_a_400_on_every_query() {
    Registered hotel = registerHotel("Hotel Bad", unique("ReadSide-BadToken"), DBL_ONLY);
    awaitProjected(List.of(hotel.token()));
    String guest = SharedRuntime.guestToken(unique("badtoken-guest"));
    List<String> malformed =
        List.of(
            "garbage",
            "ct1.!!!",
            "ct1.",
            "ct2." + b64("hotel#" + hotel.hotelId() + "@1"),
            "ct1." + b64("hotel#" + hotel.hotelId()),
            "ct1." + b64("hotel#" + hotel.hotelId() + "@0"),
            "ct1." + b64("hotel#" + hotel.hotelId() + "@-3"),
            "ct1." + b64("hotel#" + hotel.hotelId() + "@x"),
            "ct1." + b64("Hotel " + hotel.hotelId() + "@1"),
            "ct1." + b64("hotel#" + "x".repeat(400) + "@1"));
    List<String> paths =
        List.of(
            "/hotels/" + hotel.hotelId(),
            "/hotels?city=" + enc("anything"),
            "/me/reservations",
            "/availability?city=x&checkIn="
                + today().plusDays(30)
                + "&checkOut="
                + today().plusDays(31)
                + "&guests=1");
    for (String token : malformed) {
      for (String path : paths) {
        Api.Answer r = api.get(path, guest, Map.of(TOKEN, token));
        assertEquals(400, r.status(), path + " with token " + token + ": " + r.body());
        assertEquals(PROBLEM, r.header("Content-Type"), path + " with token " + token);
        assertEquals(Set.of(TOKEN), errorFields(r), path + " with token " + token);
      }
    }
    // The real token is accepted on the same routes.
    for (String path : paths) {
      Api.Answer r = api.get(path, guest, Map.of(TOKEN, hotel.token()));
      assertEquals(200, r.status(), path + ": " + r.body());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 8. Who may cancel, checked at intake against the read model

  @Test
  void another_guest_cancelling_a_visible_reservation_is_a_403_and_enqueues_nothing() {
    String hotelId = registerHotel("Hotel Guard", unique("ReadSide-Guard"), DBL_ONLY).hotelId();
    LocalDate in = today().plusDays(90);
    awaitProjected(List.of(allot(hotelId, "DBL", in, in.plusDays(1), 1, "75.00")));
    String ownerSub = unique("guard-owner");
    String owner = SharedRuntime.guestToken(ownerSub);
    String intruder = SharedRuntime.guestToken(unique("guard-intruder"));
    Booked booked = book(owner, hotelId, "DBL", in, in.plusDays(1), 2);
    String path = "/reservations/" + booked.reservationId();
    // The read model shows the reservation (as the owner's) before the intruder tries.
    Api.Answer visible = api.get(path, owner, Map.of(TOKEN, booked.token()));
    assertEquals(200, visible.status(), visible.body());
    assertEquals(ownerSub, visible.json().get("guestId"));
    // The intruder's own try at the night is rejected (sold out) and shows up nowhere.
    Api.Answer soldOut =
        commands.book(
            intruder,
            bookingBody(hotelId, "DBL", in, in.plusDays(1), 1),
            Map.of("Prefer", "wait=10"));
    Map<String, Object> rejected = commands.settled(soldOut, intruder);
    assertEquals("REJECTED", rejected.get("status"), rejected.toString());
    assertEquals("SOLD_OUT", rejected.get("reason"), rejected.toString());
    assertNull(rejected.get("consistencyToken"), rejected.toString());
    assertEquals(List.of(), items(api.get("/me/reservations", intruder)));

    long commandsBefore = backstage.quietCommandCount(SETTLE);
    Api.Answer refused = commands.cancel(intruder, booked.reservationId(), "{}");
    Api.Answer refusedWithReason =
        commands.cancel(
            intruder,
            booked.reservationId(),
            "{\"reason\":\"mine now\"}",
            Map.of("Prefer", "wait=2", "Idempotency-Key", unique("guard")));

    for (Api.Answer a : List.of(refused, refusedWithReason)) {
      assertEquals(403, a.status(), a.body());
      assertEquals(PROBLEM, a.header("Content-Type"));
      assertEquals(403, ((Number) a.json().get("status")).intValue());
    }
    backstage.assertNothingEnqueued(commandsBefore);
    assertEquals(List.of("ReservationPlaced"), eventTypes(booked.reservationId()));
    assertEquals("CONFIRMED", api.get(path, owner).json().get("status"));

    // The owner still may.
    String cancelled = succeeded(commands.cancel(owner, booked.reservationId(), "{}"), owner);
    Api.Answer after = api.get(path, owner, Map.of(TOKEN, cancelled));
    assertEquals(200, after.status(), after.body());
    assertEquals("CANCELLED", after.json().get("status"), after.body());
    assertEquals(
        List.of("ReservationPlaced", "ReservationCancelled"), eventTypes(booked.reservationId()));
    // And the freed room is on offer again.
    assertEquals(
        List.of(night(in, "DBL", 1, 0)),
        nights(
            api.get(
                "/hotels/" + hotelId + "/occupancy?from=" + in + "&to=" + in.plusDays(1),
                SharedRuntime.adminToken(),
                Map.of(TOKEN, cancelled))));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private record Registered(String hotelId, String token) {}

  private record Booked(String reservationId, String token) {}

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor with one character replaced by another base64url character. */
  private static String flip(String s, int at) {
    char c = s.charAt(at);
    char other = c == 'A' ? 'B' : 'A';
    return s.substring(0, at) + other + s.substring(at + 1);
  }

  /** Waits for a command accepted with 202 to settle; asserts SUCCEEDED; returns its token. */
  private static String succeeded(Api.Answer accepted, String token) {
    Map<String, Object> status = commands.settled(accepted, token);
    assertEquals("SUCCEEDED", status.get("status"), status.toString());
    String ct = (String) status.get("consistencyToken");
    assertNotNull(ct, "SUCCEEDED without a consistencyToken: " + status);
    return ct;
  }

  private static Registered registerHotel(String name, String city, String roomTypes) {
    Api.Answer a = commands.registerHotel(name, city, roomTypes);
    assertEquals(202, a.status(), a.body());
    String hotelId = (String) a.json().get("hotelId");
    return new Registered(hotelId, succeeded(a, SharedRuntime.adminToken()));
  }

  /** Sets an allotment as admin and waits until it SUCCEEDED; returns its consistency token. */
  private static String allot(
      String hotelId, String roomType, LocalDate from, LocalDate to, int rooms, String amount) {
    return succeeded(
        commands.setAllotment(hotelId, roomType, from, to, rooms, amount),
        SharedRuntime.adminToken());
  }

  /** Books and waits until the booking SUCCEEDED. */
  private static Booked book(
      String guest,
      String hotelId,
      String roomType,
      LocalDate checkIn,
      LocalDate checkOut,
      int guests) {
    Api.Answer a = commands.book(guest, bookingBody(hotelId, roomType, checkIn, checkOut, guests));
    assertEquals(202, a.status(), a.body());
    String reservationId = (String) a.json().get("reservationId");
    assertNotNull(reservationId, a.body());
    return new Booked(reservationId, succeeded(a, guest));
  }

  /**
   * The reservation a booking's token names. A {@code Prefer: wait} answer is the command status,
   * which has no reservationId; the token's stream is the reservation's.
   */
  private static String reservationIdOf(String consistencyToken) {
    ConsistencyToken t = ConsistencyToken.parse(consistencyToken).orElseThrow();
    assertTrue(t.streamId().startsWith("reservation#"), "a booking's token names " + t);
    return t.streamId().substring("reservation#".length());
  }

  /**
   * Waits, through the API, until the read model reflects each command: a query carrying the
   * command's token answers only once its effects are projected.
   */
  private static void awaitProjected(List<String> tokens) {
    for (String token : tokens) {
      Api.Answer r = api.get("/hotels?city=" + enc("readside-probe"), null, Map.of(TOKEN, token));
      assertEquals(200, r.status(), "waiting for " + token + ": " + r.body());
    }
  }

  private static String availabilityPath(
      String city, LocalDate checkIn, LocalDate checkOut, String guests) {
    return "/availability?city="
        + enc(city)
        + "&checkIn="
        + checkIn
        + "&checkOut="
        + checkOut
        + "&guests="
        + guests;
  }

  private static Api.Answer search(
      String city, LocalDate checkIn, LocalDate checkOut, String guests) {
    Api.Answer a = api.get(availabilityPath(city, checkIn, checkOut, guests), null);
    assertEquals(200, a.status(), a.body());
    return a;
  }

  private static String offer(
      String hotelId, String hotelName, String roomType, int availableRooms, String amount) {
    return hotelId
        + "|"
        + hotelName
        + "|"
        + roomType
        + "|"
        + availableRooms
        + "|"
        + amount
        + "|EUR";
  }

  /** The offers of an availability answer, one line each, sorted; checks each item's keys. */
  private static List<String> offers(Api.Answer a) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> item : items(a)) {
      assertEquals(
          Set.of("hotelId", "hotelName", "roomType", "availableRooms", "totalPrice"),
          item.keySet(),
          a.body());
      Map<?, ?> price = (Map<?, ?>) item.get("totalPrice");
      assertEquals(Set.of("amount", "currency"), price.keySet(), a.body());
      out.add(
          item.get("hotelId")
              + "|"
              + item.get("hotelName")
              + "|"
              + item.get("roomType")
              + "|"
              + ((Number) item.get("availableRooms")).longValue()
              + "|"
              + price.get("amount")
              + "|"
              + price.get("currency"));
    }
    return out.stream().sorted().toList();
  }

  private static String night(LocalDate date, String roomType, int rooms, int booked) {
    return date + "|" + roomType + "|" + rooms + "|" + booked;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> nightsOf(Api.Answer a) {
    assertEquals(200, a.status(), a.body());
    assertEquals(Set.of("nights"), a.json().keySet(), a.body());
    return (List<Map<String, Object>>) a.json().get("nights");
  }

  /** The nights of an occupancy answer, one line each, sorted. */
  private static List<String> nights(Api.Answer a) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> n : nightsOf(a)) {
      assertEquals(Set.of("date", "roomType", "rooms", "booked"), n.keySet(), a.body());
      out.add(
          n.get("date")
              + "|"
              + n.get("roomType")
              + "|"
              + ((Number) n.get("rooms")).longValue()
              + "|"
              + ((Number) n.get("booked")).longValue());
    }
    return out.stream().sorted().toList();
  }

  private static List<String> sorted(String... lines) {
    return java.util.Arrays.stream(lines).sorted().toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Api.Answer a) {
    assertEquals(200, a.status(), a.body());
    Object items = a.json().get("items");
    assertNotNull(items, a.body());
    return (List<Map<String, Object>>) items;
  }

  private static List<String> reservationIds(Api.Answer a) {
    return items(a).stream().map(r -> (String) r.get("reservationId")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Set<Object> errorFields(Api.Answer r) {
    List<Map<String, Object>> errors = (List<Map<String, Object>>) r.json().get("errors");
    assertNotNull(errors, r.body());
    return errors.stream().map(e -> e.get("field")).collect(Collectors.toSet());
  }

  private static void assertBadRequest(Api.Answer r, Set<String> fields) {
    assertEquals(400, r.status(), r.body());
    assertEquals(PROBLEM, r.header("Content-Type"), r.body());
    assertEquals(400, ((Number) r.json().get("status")).intValue(), r.body());
    assertEquals(fields, errorFields(r), r.body());
  }

  private static List<String> eventTypes(String reservationId) {
    return backstage.events("reservation#" + reservationId).stream()
        .map(Backstage.Event::type)
        .toList();
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
