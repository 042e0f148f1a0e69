package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.accepted;
import static io.innkeeper.local.Commands.bookingBody;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.innkeeper.core.Ulid;
import io.innkeeper.core.command.CommandEnvelope;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.HotelDomainCommand;
import io.innkeeper.events.hotel.ReservationCommand.BookRoom;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write side over HTTP on the embedded runtime, black-box: allotments, bookings and
 * cancellations go through command-api -> SQS FIFO -> command-handler, and the outcome is checked
 * both in the command status and in the record (inventory rows and reservation streams in the
 * events table). Every test uses a hotel of its own and dates well in the future.
 */
class WriteSideIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String DBL = "DBL";

  private static LocalRuntime runtime;
  private static Api api;
  private static Backstage backstage;
  private static Inventory inventory;
  private static Commands commands;

  @BeforeAll
  static void start() {
    runtime = SharedRuntime.get();
    api = new Api(runtime.apiUrl());
    backstage = new Backstage(runtime);
    inventory = new Inventory(backstage.dynamoDb(), backstage.eventsTable());
    commands = new Commands(api, SETTLE);
  }

  @AfterAll
  static void stop() {
    if (backstage != null) {
      backstage.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Concurrency

  /** One requested stay and, once sent, what the intake answered. */
  private record Request(
      int index, String guest, LocalDate checkIn, LocalDate checkOut, int guests) {
    long nights() {
      return checkIn.until(checkOut, java.time.temporal.ChronoUnit.DAYS);
    }

    boolean covers(LocalDate night) {
      return !night.isBefore(checkIn) && night.isBefore(checkOut);
    }
  }

  private record Sent(Request request, String commandId, String reservationId) {}

  @Test
  void two_hundred_concurrent_bookings_never_oversell_and_every_outcome_matches_the_record()
      throws Exception {
    long seed = Long.getLong("writeside.seed", System.nanoTime());
    System.out.println(
        "WriteSideIT concurrency: seed " + seed + " (repeat with -Dwriteside.seed=" + seed + ")");
    Random random = new Random(seed);
    int rooms = 7;
    int windowNights = 4;
    int bookings = 200;
    String hotelId = registerHotel("Rush");
    LocalDate from = today().plusDays(90);
    LocalDate to = from.plusDays(windowNights);
    assertSucceeded(setAllotment(hotelId, DBL, from, to, rooms, "100.00"));
    for (Inventory.Night n : inventory.nights(hotelId, DBL, from, to)) {
      assertEquals(rooms, n.rooms(), "rooms on sale " + n);
      assertEquals(0, n.booked(), "booked " + n);
      assertAmount("100.00", n.rate(), "rate " + n);
      assertEquals("EUR", n.currency(), "currency " + n);
    }

    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < bookings; i++) {
      int nights = 1 + random.nextInt(3);
      LocalDate checkIn = from.plusDays(random.nextInt(windowNights - nights + 1));
      requests.add(
          new Request(
              i, "guest-" + i % 25, checkIn, checkIn.plusDays(nights), 1 + random.nextInt(2)));
    }
    Map<String, String> tokens = new HashMap<>();
    requests.forEach(r -> tokens.computeIfAbsent(r.guest(), SharedRuntime::guestToken));

    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Sent>> futures = new ArrayList<>();
    try {
      for (Request r : requests) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  Api.Answer a =
                      commands.book(
                          tokens.get(r.guest()),
                          bookingBody(hotelId, DBL, r.checkIn(), r.checkOut(), r.guests()));
                  assertEquals(202, a.status(), "booking " + r + ": " + a.body());
                  return new Sent(
                      r,
                      (String) a.json().get("commandId"),
                      (String) a.json().get("reservationId"));
                }));
      }
      long started = System.nanoTime();
      go.countDown();
      List<Sent> sent = new ArrayList<>();
      for (Future<Sent> f : futures) {
        sent.add(f.get(60, TimeUnit.SECONDS));
      }

      assertEquals(bookings, sent.stream().map(Sent::commandId).collect(Collectors.toSet()).size());
      assertEquals(
          bookings, sent.stream().map(Sent::reservationId).collect(Collectors.toSet()).size());

      Map<Sent, Map<String, Object>> outcomes = settleAll(sent, Duration.ofSeconds(120));
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      List<Sent> succeeded = new ArrayList<>();
      List<Sent> soldOut = new ArrayList<>();
      List<String> unexpected = new ArrayList<>();
      for (Sent s : sent) {
        Map<String, Object> o = outcomes.get(s);
        if ("SUCCEEDED".equals(o.get("status"))) {
          succeeded.add(s);
        } else if ("REJECTED".equals(o.get("status")) && "SOLD_OUT".equals(o.get("reason"))) {
          soldOut.add(s);
        } else {
          unexpected.add(s.request() + " -> " + o);
        }
      }
      System.out.println(
          "WriteSideIT concurrency: "
              + succeeded.size()
              + " succeeded, "
              + soldOut.size()
              + " rejected SOLD_OUT, "
              + unexpected.size()
              + " other, in "
              + elapsedMs
              + " ms");
      assertTrue(unexpected.isEmpty(), "outcomes other than SUCCEEDED/SOLD_OUT: " + unexpected);
      assertTrue(succeeded.size() >= 1, "no booking succeeded");
      assertTrue(soldOut.size() >= 1, "28 room-nights cannot take 200 bookings, yet none sold out");

      // The inventory agrees with the outcomes, night by night, and never exceeds the allotment.
      Map<LocalDate, Integer> bookedByNight = new LinkedHashMap<>();
      for (Inventory.Night n : inventory.nights(hotelId, DBL, from, to)) {
        long expected = succeeded.stream().filter(s -> s.request().covers(n.date())).count();
        assertEquals(rooms, n.rooms(), "rooms on sale changed " + n);
        assertTrue(n.booked() <= rooms, "oversold " + n);
        assertEquals(expected, n.booked(), "booked vs SUCCEEDED bookings covering " + n.date());
        bookedByNight.put(n.date(), n.booked());
      }
      // Nothing but bookings happened, so booked counts only grew: a SOLD_OUT booking must have at
      // least one night that is full now.
      for (Sent s : soldOut) {
        Request r = s.request();
        assertTrue(
            r.checkIn().datesUntil(r.checkOut()).anyMatch(d -> bookedByNight.get(d) == rooms),
            "rejected SOLD_OUT though every night still has a free room: "
                + r
                + " "
                + bookedByNight);
      }

      // The record: one ReservationPlaced per success, nothing at all for a rejection.
      for (Sent s : succeeded) {
        Request r = s.request();
        List<Backstage.Event> events = backstage.events("reservation#" + s.reservationId());
        List<Backstage.Event> placed =
            events.stream().filter(e -> "ReservationPlaced".equals(e.type())).toList();
        assertEquals(1, placed.size(), "ReservationPlaced events of " + r + ": " + events);
        assertEquals(1, events.size(), "events of " + r + ": " + events);
        Map<String, Object> data = placed.get(0).data();
        assertEquals(r.checkIn().toString(), data.get("checkIn"), r.toString());
        assertEquals(r.checkOut().toString(), data.get("checkOut"), r.toString());
        assertEquals(r.guest(), data.get("guestId"), r.toString());
        assertTotalPrice(new BigDecimal("100.00").multiply(BigDecimal.valueOf(r.nights())), data);
      }
      for (Sent s : soldOut) {
        assertEquals(
            List.of(),
            backstage.items("reservation#" + s.reservationId()),
            "a rejected booking left a reservation stream: " + s.request());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Polls every command until it leaves PENDING or the deadline passes; fails listing leftovers.
   */
  private static Map<Sent, Map<String, Object>> settleAll(List<Sent> sent, Duration timeout) {
    String admin = SharedRuntime.adminToken();
    Map<Sent, Map<String, Object>> outcomes = new HashMap<>();
    List<Sent> pending = new ArrayList<>(sent);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      for (var it = pending.iterator(); it.hasNext(); ) {
        Sent s = it.next();
        Api.Answer a = api.get("/commands/" + s.commandId(), admin);
        assertEquals(200, a.status(), a.body());
        if (!"PENDING".equals(a.json().get("status"))) {
          outcomes.put(s, a.json());
          it.remove();
        }
      }
      if (!pending.isEmpty()) {
        Backstage.sleep(100);
      }
    }
    if (!pending.isEmpty()) {
      fail(
          pending.size() + " commands still PENDING after " + timeout + ", e.g. " + pending.get(0));
    }
    return outcomes;
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Duplicates

  @Test
  void the_same_idempotency_key_twice_books_once() {
    String hotelId = registerHotel("Twice");
    LocalDate in = today().plusDays(70);
    LocalDate out = in.plusDays(2);
    assertSucceeded(setAllotment(hotelId, DBL, in, in.plusDays(3), 3, "80.00"));
    String guest = SharedRuntime.guestToken(unique("idem-guest"));
    String body = bookingBody(hotelId, DBL, in, out, 2);
    Map<String, String> key = Map.of("Idempotency-Key", unique("book"));

    Api.Answer first = commands.book(guest, body, key);
    Api.Answer second = commands.book(guest, body, key);

    assertEquals(202, first.status(), first.body());
    assertEquals(202, second.status(), second.body());
    String commandId = (String) first.json().get("commandId");
    String reservationId = (String) first.json().get("reservationId");
    assertNotNull(reservationId);
    assertEquals(commandId, second.json().get("commandId"));
    assertEquals(reservationId, second.json().get("reservationId"));
    assertSucceeded(commandId);

    Api.Answer third = commands.book(guest, body, key);
    assertEquals(202, third.status(), third.body());
    assertEquals(commandId, third.json().get("commandId"));
    assertEquals(reservationId, third.json().get("reservationId"));
    backstage.awaitCommandQueueIdle(SETTLE);

    assertBooked(hotelId, in, List.of(1, 1, 0));
    assertEquals(1, placedEvents(reservationId), "ReservationPlaced events");
  }

  @Test
  void a_command_delivered_twice_by_the_queue_takes_effect_once() {
    String hotelId = registerHotel("Redelivery");
    LocalDate in = today().plusDays(75);
    LocalDate out = in.plusDays(2);
    assertSucceeded(setAllotment(hotelId, DBL, in, in.plusDays(3), 3, "90.00"));
    String commandId = Ulid.next(Instant.now());
    String reservationId = Ulid.next(Instant.now());
    String envelope =
        bookRoomEnvelope(
            commandId,
            Instant.now(),
            "it",
            new BookRoom(reservationId, "dup-guest", hotelId, DBL, in, out, 1));

    // Two deliveries of one command, as SQS may do (at-least-once); FIFO deduplication cannot help.
    sendToCommandQueue(envelope, hotelId, "first-" + commandId);
    sendToCommandQueue(envelope, hotelId, "second-" + commandId);

    awaitTrue(
        () -> backstage.succeeded(commandId) && backstage.commandQueueIdle(),
        SETTLE,
        "command SUCCEEDED and both deliveries consumed");
    Backstage.sleep(500);
    assertTrue(backstage.commandQueueIdle(), "command queue: " + backstage.commandQueueDepth());
    assertEquals(1, placedEvents(reservationId), "ReservationPlaced events");
    assertBooked(hotelId, in, List.of(1, 1, 0));
  }

  @Test
  void replaying_an_already_succeeded_command_changes_nothing() {
    String hotelId = registerHotel("Replay");
    LocalDate in = today().plusDays(76);
    LocalDate out = in.plusDays(1);
    assertSucceeded(setAllotment(hotelId, DBL, in, out, 2, "90.00"));
    String guestId = unique("replay-guest");
    Api.Answer booked =
        commands.book(SharedRuntime.guestToken(guestId), bookingBody(hotelId, DBL, in, out, 1));
    assertEquals(202, booked.status(), booked.body());
    String commandId = (String) booked.json().get("commandId");
    String reservationId = (String) booked.json().get("reservationId");
    Map<String, Object> status = assertSucceeded(commandId);
    assertBooked(hotelId, in, List.of(1));

    // The same command again, e.g. after a handler crashed between its transaction and the delete.
    String envelope =
        bookRoomEnvelope(
            commandId,
            Instant.parse((String) status.get("acceptedAt")),
            "it-replay",
            new BookRoom(reservationId, guestId, hotelId, DBL, in, out, 1));
    sendToCommandQueue(envelope, hotelId, "replay-" + commandId);
    backstage.awaitCommandQueueIdle(SETTLE);
    Backstage.sleep(500);

    assertEquals(1, placedEvents(reservationId), "ReservationPlaced events");
    assertBooked(hotelId, in, List.of(1));
    Map<String, Object> after = commands.settled(commandId);
    assertEquals("SUCCEEDED", after.get("status"), after.toString());
    assertEquals(status.get("completedAt"), after.get("completedAt"));
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Cancellation

  @Test
  void a_cancellation_frees_the_room_for_the_next_guest_and_only_owner_or_admin_may_cancel() {
    String hotelId = registerHotel("Cancel");
    LocalDate night = today().plusDays(80);
    assertSucceeded(setAllotment(hotelId, DBL, night, night.plusDays(1), 1, "70.00"));
    String guestA = SharedRuntime.guestToken(unique("guest-a"));
    String guestB = SharedRuntime.guestToken(unique("guest-b"));
    String guestC = SharedRuntime.guestToken(unique("guest-c"));
    String stay = bookingBody(hotelId, DBL, night, night.plusDays(1), 1);

    String[] a = book(guestA, stay);
    assertSucceeded(a[0]);
    assertBooked(hotelId, night, List.of(1));

    String[] b1 = book(guestB, stay);
    assertRejected(b1[0], "SOLD_OUT");
    assertEquals(List.of(), backstage.items("reservation#" + b1[1]));

    assertSucceeded(cancel(guestA, a[1], "{}"));
    assertBooked(hotelId, night, List.of(0));
    assertEquals(
        List.of("ReservationPlaced", "ReservationCancelled"), eventTypes(a[1]), "A's stream");

    String[] b2 = book(guestB, stay);
    assertSucceeded(b2[0]);
    assertBooked(hotelId, night, List.of(1));

    // Cancelling twice: the second is a business "no", and changes nothing.
    assertRejected(cancel(guestA, a[1], "{}"), "ALREADY_CANCELLED");
    assertEquals(
        List.of("ReservationPlaced", "ReservationCancelled"), eventTypes(a[1]), "A's stream");
    assertBooked(hotelId, night, List.of(1));

    // Someone else's reservation: refused at intake (403) once the read model shows the owner,
    // else accepted and rejected NOT_OWNER by the handler. Either way nothing changes.
    Api.Answer byC = commands.cancel(guestC, b2[1], "{}");
    if (byC.status() == 403) {
      assertEquals("application/problem+json", byC.header("Content-Type"));
    } else {
      assertEquals(202, byC.status(), byC.body());
      assertRejected((String) byC.json().get("commandId"), "NOT_OWNER");
    }
    assertEquals(List.of("ReservationPlaced"), eventTypes(b2[1]), "B's stream");
    assertBooked(hotelId, night, List.of(1));

    String reason = "Guest called the front desk";
    assertSucceeded(
        cancel(SharedRuntime.adminToken(), b2[1], Json.write(Json.obj("reason", reason))));
    assertBooked(hotelId, night, List.of(0));
    List<Backstage.Event> events = backstage.events("reservation#" + b2[1]);
    assertEquals(List.of("ReservationPlaced", "ReservationCancelled"), eventTypes(b2[1]));
    assertEquals(reason, events.get(1).data().get("reason"));

    String unknown = Ulid.next(Instant.now());
    assertRejected(cancel(guestC, unknown, "{}"), "UNKNOWN_RESERVATION");
    assertEquals(List.of(), backstage.items("reservation#" + unknown));
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Allotments below what is booked

  @Test
  void an_allotment_below_the_booked_rooms_is_rejected_whole_and_one_at_the_booked_level_is_not() {
    String hotelId = registerHotel("Shrink");
    LocalDate night = today().plusDays(85);
    LocalDate to = night.plusDays(2);
    assertSucceeded(setAllotment(hotelId, DBL, night, to, 3, "60.00"));
    for (int i = 0; i < 2; i++) {
      String[] r =
          book(
              SharedRuntime.guestToken(unique("shrink-guest")),
              bookingBody(hotelId, DBL, night, night.plusDays(1), 1));
      assertSucceeded(r[0]);
    }
    assertBooked(hotelId, night, List.of(2, 0));
    var before = inventory.rowsOf(hotelId);

    // The second night has no booking and alone could go to 1; the command is all-or-nothing.
    assertRejected(setAllotment(hotelId, DBL, night, to, 1, "65.00"), "ROOMS_BELOW_BOOKED");
    assertEquals(before, inventory.rowsOf(hotelId), "a rejected allotment changed the inventory");
    for (Inventory.Night n : inventory.nights(hotelId, DBL, night, to)) {
      assertEquals(3, n.rooms(), n.toString());
      assertAmount("60.00", n.rate(), n.toString());
    }

    assertSucceeded(setAllotment(hotelId, DBL, night, to, 2, "65.00"));
    List<Inventory.Night> nights = inventory.nights(hotelId, DBL, night, to);
    assertEquals(List.of(2, 2), nights.stream().map(Inventory.Night::rooms).toList());
    assertEquals(List.of(2, 0), nights.stream().map(Inventory.Night::booked).toList());
    nights.forEach(n -> assertAmount("65.00", n.rate(), n.toString()));
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Other business rejections

  @Test
  void
      bookings_and_allotments_the_rules_refuse_are_rejected_with_their_reason_and_change_nothing() {
    String hotelId = registerHotel("Rules");
    String unknownHotel = Ulid.next(Instant.now());
    LocalDate in = today().plusDays(100);
    String guest = SharedRuntime.guestToken(unique("rules-guest"));
    assertSucceeded(setAllotment(hotelId, DBL, in, in.plusDays(2), 4, "50.00"));
    var before = inventory.rowsOf(hotelId);

    Map<String, String> bookingCases = new LinkedHashMap<>();
    bookingCases.put("UNKNOWN_HOTEL", bookingBody(unknownHotel, DBL, in, in.plusDays(1), 1));
    bookingCases.put("UNKNOWN_ROOM_TYPE", bookingBody(hotelId, "SUITE", in, in.plusDays(1), 1));
    bookingCases.put("TOO_MANY_GUESTS", bookingBody(hotelId, DBL, in, in.plusDays(1), 3));
    // The first night is on sale, the last is not: all-or-nothing.
    bookingCases.put("NOT_ON_SALE", bookingBody(hotelId, DBL, in.plusDays(1), in.plusDays(3), 1));
    for (var c : bookingCases.entrySet()) {
      String[] r = book(guest, c.getValue());
      assertRejected(r[0], c.getKey());
      assertEquals(
          List.of(),
          backstage.items("reservation#" + r[1]),
          c.getKey() + " left a reservation stream");
      assertEquals(before, inventory.rowsOf(hotelId), c.getKey() + " changed the inventory");
    }

    assertRejected(
        setAllotment(hotelId, "SUITE", in, in.plusDays(1), 2, "200.00"), "UNKNOWN_ROOM_TYPE");
    assertEquals(before, inventory.rowsOf(hotelId), "UNKNOWN_ROOM_TYPE allotment");
    assertRejected(
        setAllotment(unknownHotel, DBL, in, in.plusDays(1), 2, "50.00"), "UNKNOWN_HOTEL");
    assertEquals(Map.of(), inventory.rowsOf(unknownHotel), "UNKNOWN_HOTEL allotment");
    assertEquals(before, inventory.rowsOf(hotelId));
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Validation over HTTP

  @Test
  void an_invalid_booking_is_a_400_listing_every_field_and_records_nothing() {
    long commandsBefore = backstage.quietCommandCount(Duration.ofSeconds(60));
    LocalDate in = today().plusDays(60);
    String body = bookingBody(Ulid.next(Instant.now()), DBL, in, in.minusDays(1), 0);

    Api.Answer r = commands.book(SharedRuntime.guestToken("validator"), body);

    assertEquals(400, r.status(), r.body());
    assertEquals("application/problem+json", r.header("Content-Type"));
    assertEquals(400, ((Number) r.json().get("status")).intValue());
    assertEquals(Set.of("checkOut", "guests"), errorFields(r), r.body());
    assertNothingRecorded(commandsBefore);
  }

  @Test
  void a_check_in_before_today_is_a_400_and_records_nothing() {
    long commandsBefore = backstage.quietCommandCount(Duration.ofSeconds(60));
    LocalDate yesterday = today().minusDays(1);
    String body = bookingBody(Ulid.next(Instant.now()), DBL, yesterday, yesterday.plusDays(2), 1);

    Api.Answer r = commands.book(SharedRuntime.guestToken("validator"), body);

    assertEquals(400, r.status(), r.body());
    assertEquals("application/problem+json", r.header("Content-Type"));
    assertEquals(Set.of("checkIn"), errorFields(r), r.body());
    assertNothingRecorded(commandsBefore);
  }

  private static void assertNothingRecorded(long commandsBefore) {
    backstage.assertNothingEnqueued(commandsBefore);
  }

  @SuppressWarnings("unchecked")
  private static Set<Object> errorFields(Api.Answer r) {
    List<Map<String, Object>> errors = (List<Map<String, Object>>) r.json().get("errors");
    assertNotNull(errors, r.body());
    return errors.stream().map(e -> e.get("field")).collect(Collectors.toSet());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Registers a hotel with one room type DBL (max 2 guests) and waits until it SUCCEEDED. */
  private static String registerHotel(String label) {
    Api.Answer a = commands.registerHotel("Hotel " + label, unique("WriteSide-" + label), DBL_ONLY);
    assertSucceeded(accepted(a));
    return (String) a.json().get("hotelId");
  }

  /** Sends an allotment as admin; returns its command id. */
  private static String setAllotment(
      String hotelId, String roomType, LocalDate from, LocalDate to, int rooms, String amount) {
    return accepted(commands.setAllotment(hotelId, roomType, from, to, rooms, amount));
  }

  /** Books; returns {commandId, reservationId}. */
  private static String[] book(String token, String body) {
    Api.Answer a = commands.book(token, body);
    String commandId = accepted(a);
    String reservationId = (String) a.json().get("reservationId");
    assertNotNull(commandId, a.body());
    assertNotNull(reservationId, a.body());
    return new String[] {commandId, reservationId};
  }

  /** Cancels; returns the command id. */
  private static String cancel(String token, String reservationId, String body) {
    return accepted(commands.cancel(token, reservationId, body));
  }

  private static Map<String, Object> assertSucceeded(String commandId) {
    assertNotNull(commandId);
    Map<String, Object> s = commands.settled(commandId);
    assertEquals("SUCCEEDED", s.get("status"), s.toString());
    assertNull(s.get("reason"), s.toString());
    return s;
  }

  private static void assertRejected(String commandId, String reason) {
    assertNotNull(commandId);
    Map<String, Object> s = commands.settled(commandId);
    assertEquals("REJECTED", s.get("status"), s.toString());
    assertEquals(reason, s.get("reason"), s.toString());
  }

  /** The booked counts of DBL on consecutive nights from {@code first}. */
  private static void assertBooked(String hotelId, LocalDate first, List<Integer> expected) {
    List<Integer> actual =
        inventory.nights(hotelId, DBL, first, first.plusDays(expected.size())).stream()
            .map(Inventory.Night::booked)
            .toList();
    assertEquals(expected, actual, "booked from " + first);
  }

  private static long placedEvents(String reservationId) {
    return backstage.events("reservation#" + reservationId).stream()
        .filter(e -> "ReservationPlaced".equals(e.type()))
        .count();
  }

  private static List<String> eventTypes(String reservationId) {
    return backstage.events("reservation#" + reservationId).stream()
        .map(Backstage.Event::type)
        .toList();
  }

  private static void assertAmount(String expected, String actual, String message) {
    assertNotNull(actual, message);
    assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual)), message);
  }

  @SuppressWarnings("unchecked")
  private static void assertTotalPrice(BigDecimal expected, Map<String, Object> placed) {
    Map<String, Object> total = (Map<String, Object>) placed.get("totalPrice");
    assertNotNull(total, "totalPrice in " + placed);
    assertAmount(expected.toPlainString(), (String) total.get("amount"), "totalPrice " + placed);
    assertEquals("EUR", total.get("currency"), "totalPrice " + placed);
  }

  private static void sendToCommandQueue(String body, String hotelId, String deduplicationId) {
    backstage
        .sqs()
        .sendMessage(
            b ->
                b.queueUrl(runtime.queueUrl("command-queue"))
                    .messageBody(body)
                    .messageGroupId("inventory#" + hotelId + "#" + DBL)
                    .messageDeduplicationId(deduplicationId));
  }

  private static void awaitTrue(
      java.util.function.BooleanSupplier done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        fail("gave up waiting for: " + what);
      }
      Backstage.sleep(50);
    }
  }

  /** The queue message command-api would send for this booking, built with its own envelope. */
  private static String bookRoomEnvelope(
      String commandId, Instant acceptedAt, String requestId, BookRoom command) {
    return new CommandEnvelope(
            commandId,
            "BookRoom",
            1,
            command.guestId(),
            false,
            acceptedAt,
            requestId,
            HotelDomainCommand.TYPES.toMap(command))
        .toJson();
  }
}
