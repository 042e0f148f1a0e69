package io.innkeeper.local.soak;

import io.innkeeper.events.Json;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The soak's load: a few hotels with small allotments, and clients that each speak for guests of
 * their own and send a weighted mix of commands over HTTP, a few outstanding at a time:
 *
 * <ul>
 *   <li>bookings of 1 to 4 nights in a 21-night window that spans a month end (most sell out: rooms
 *       are few), some sent twice with the same {@code Idempotency-Key};
 *   <li>bookings bound to be rejected: a night past the window ({@code NOT_ON_SALE}), too many
 *       guests, an unknown room type;
 *   <li>cancellations by the guest of their own confirmed reservations, of their own bookings still
 *       pending (racing the booking), of reservations already cancelled ({@code
 *       ALREADY_CANCELLED}), and of someone else's reservation (403 at intake or {@code
 *       NOT_OWNER});
 *   <li>allotment changes by an admin over a few nights, some below what is booked ({@code
 *       ROOMS_BELOW_BOOKED}).
 * </ul>
 *
 * Choices come from the seed; which reservation a cancellation picks also depends on which bookings
 * had settled by then, so two runs with one seed are alike, not identical.
 */
final class Workload {

  static final int WINDOW_NIGHTS = 21;
  static final String BOOK = "BookRoom";
  static final String CANCEL = "CancelReservation";
  static final String ALLOT = "SetAllotment";
  static final String REGISTER = "RegisterHotel";

  /** Commands a client has outstanding (sent, not yet settled) at most. */
  static final int WINDOW_PER_CLIENT = 6;

  /** Guests each client speaks for. */
  static final int GUESTS_PER_CLIENT = 10;

  /** A room type of the soak's hotels: its size and the most rooms an allotment change sets. */
  record RoomType(String code, String name, int maxGuests, int rooms, int maxRooms, String rate) {}

  static final List<RoomType> ROOM_TYPES =
      List.of(
          new RoomType("DBL", "Double room", 2, 4, 7, "100.00"),
          new RoomType("FAM", "Family room", 4, 2, 4, "160.00"));

  /** The weighted operations of the mix. */
  enum Op {
    BOOK(60),
    BOOK_REPEATED(4),
    BOOK_NOT_ON_SALE(2),
    BOOK_TOO_MANY_GUESTS(1),
    BOOK_UNKNOWN_ROOM_TYPE(1),
    CANCEL_OWN(18),
    CANCEL_OWN_PENDING(1),
    CANCEL_AGAIN(2),
    CANCEL_SOMEONE_ELSES(2),
    ALLOT(9);

    final int weight;

    Op(int weight) {
      this.weight = weight;
    }
  }

  private static final int TOTAL_WEIGHT;

  static {
    int w = 0;
    for (Op op : Op.values()) {
      w += op.weight;
    }
    TOTAL_WEIGHT = w;
  }

  /**
   * A reservation as one client knows it. Flags, not a state, so outcomes may come in any order.
   */
  static final class Reservation {
    final String reservationId;
    final String guest;
    final int client;
    volatile boolean placed;
    volatile boolean settled;
    volatile boolean cancelled;
    volatile boolean cancelInFlight;

    Reservation(String reservationId, String guest, int client) {
      this.reservationId = reservationId;
      this.guest = guest;
      this.client = client;
    }

    boolean confirmed() {
      return placed && !cancelled && !cancelInFlight;
    }
  }

  private final SoakApi api;
  private final StatusTracker tracker;
  private final SoakStats stats;
  private final int total;
  private final long seed;
  private final String adminToken;
  private final BiFunction<String, List<String>, String> tokens;
  private final LocalDate from;
  private final List<String> hotelIds = new ArrayList<>();
  private final AtomicInteger tickets = new AtomicInteger();
  private final ConcurrentLinkedQueue<RecordCheck.Expected> expected =
      new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();

  /** Confirmed reservations seen by any client, for cancellations by someone else (a ring). */
  private final Reservation[] recentlyConfirmed = new Reservation[256];

  private final AtomicInteger confirmedCursor = new AtomicInteger();
  private final String runId;

  /**
   * @param tokens mints a bearer token for a subject and its groups
   */
  Workload(
      SoakApi api,
      StatusTracker tracker,
      SoakStats stats,
      int total,
      long seed,
      BiFunction<String, List<String>, String> tokens) {
    this.api = api;
    this.tracker = tracker;
    this.stats = stats;
    this.total = total;
    this.seed = seed;
    this.tokens = tokens;
    this.adminToken = tokens.apply("soak-admin", List.of("admin"));
    // A month end inside the window: stays across it touch two inventory rows in one transaction.
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    this.from = YearMonth.from(today.plusDays(40)).atEndOfMonth().minusDays(9);
    this.runId = Long.toString(System.currentTimeMillis(), 36);
  }

  LocalDate from() {
    return from;
  }

  List<String> hotelIds() {
    return List.copyOf(hotelIds);
  }

  /** Commands the workload expects to have taken effect on a given stream if they SUCCEEDED. */
  List<RecordCheck.Expected> expected() {
    return List.copyOf(expected);
  }

  /** Every command id answered 202. */
  List<String> acceptedIds() {
    return List.copyOf(accepted);
  }

  // ---------------------------------------------------------------------------------------------
  // Setup

  /**
   * Registers the hotels and puts their rooms on sale, waiting until each command settled.
   *
   * @return the number of setup commands
   */
  int setUp(int hotels, long deadlineNanos) throws InterruptedException {
    List<String> sent = new ArrayList<>();
    for (int h = 0; h < hotels; h++) {
      List<Object> types = new ArrayList<>();
      for (RoomType t : ROOM_TYPES) {
        types.add(Json.obj("code", t.code(), "name", t.name(), "maxGuests", t.maxGuests()));
      }
      var answer =
          api.post(
              "/hotels",
              adminToken,
              key("setup-hotel-" + h),
              Json.obj("name", "Soak Inn " + (h + 1), "city", "Soakton", "roomTypes", types));
      String hotelId = requireAccepted(answer, "register hotel").field("hotelId");
      hotelIds.add(hotelId);
      String commandId = answer.field("commandId");
      sent.add(commandId);
      watch(commandId, REGISTER, "hotel#" + hotelId, s -> {});
    }
    awaitSettled(sent, deadlineNanos, "registering the hotels");
    sent.clear();
    for (String hotelId : hotelIds) {
      for (RoomType t : ROOM_TYPES) {
        var answer =
            api.post(
                "/hotels/" + hotelId + "/allotments",
                adminToken,
                key("setup-allot-" + hotelId + "-" + t.code()),
                allotment(t.code(), from, from.plusDays(WINDOW_NIGHTS), t.rooms(), t.rate()));
        String commandId = requireAccepted(answer, "set allotment").field("commandId");
        sent.add(commandId);
        watch(commandId, ALLOT, "hotel#" + hotelId, s -> {});
      }
    }
    awaitSettled(sent, deadlineNanos, "setting the allotments");
    return hotels + hotels * ROOM_TYPES.size();
  }

  private SoakApi.Answer requireAccepted(SoakApi.Answer answer, String what) {
    if (answer.status() != 202) {
      throw new IllegalStateException(
          what + " was answered " + answer.status() + ": " + answer.body());
    }
    return answer;
  }

  private void awaitSettled(List<String> ids, long deadlineNanos, String what)
      throws InterruptedException {
    while (tracker.pending().stream().anyMatch(t -> ids.contains(t.commandId()))) {
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException(what + " did not settle in time");
      }
      Thread.sleep(50);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The load

  /** Runs {@code clients} clients until {@code total} commands were sent; returns when all sent. */
  void run(int clients) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Client client = new Client(c);
      Thread t = new Thread(client::run, "soak-client-" + c);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
  }

  int total() {
    return total;
  }

  /** Commands sent so far (of {@link #total}). */
  int sentSoFar() {
    return Math.min(total, tickets.get());
  }

  private String key(String suffix) {
    return "soak-" + runId + "-" + suffix;
  }

  private void watch(
      String commandId, String type, String stream, java.util.function.Consumer<String> onStatus) {
    if (stream != null) {
      expected.add(new RecordCheck.Expected(commandId, type, stream));
    }
    accepted.add(commandId);
    stats.accepted.increment();
    tracker.track(
        new StatusTracker.Tracked(
            commandId, type, System.nanoTime(), s -> onStatus.accept(s.status())));
  }

  private static Map<String, Object> allotment(
      String roomType, LocalDate from, LocalDate to, int rooms, String rate) {
    return Json.obj(
        "roomType",
        roomType,
        "from",
        from.toString(),
        "to",
        to.toString(),
        "rooms",
        rooms,
        "nightlyRate",
        Json.obj("amount", rate, "currency", "EUR"));
  }

  /** One client: guests of its own, a window of outstanding commands. */
  private final class Client {
    private final int index;
    private final SplittableRandom random;
    private final List<String> guests = new ArrayList<>();
    private final Map<String, String> guestTokens = new java.util.HashMap<>();
    private final Semaphore window = new Semaphore(WINDOW_PER_CLIENT);
    private final List<Reservation> reservations = new ArrayList<>();

    Client(int index) {
      this.index = index;
      this.random = new SplittableRandom(seed * 1_000_003L + index);
      for (int g = 0; g < GUESTS_PER_CLIENT; g++) {
        String guest = "soak-" + runId + "-c" + index + "-g" + g;
        guests.add(guest);
        guestTokens.put(guest, tokens.apply(guest, List.of()));
      }
    }

    void run() {
      try {
        while (true) {
          int n = tickets.getAndIncrement();
          if (n >= total) {
            return;
          }
          window.acquire();
          stats.sent.increment();
          boolean tracked = send(choose(), n);
          if (!tracked) {
            window.release();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        stats.unexpected("client " + index + " stopped: " + e);
      }
    }

    private Op choose() {
      int r = random.nextInt(TOTAL_WEIGHT);
      for (Op op : Op.values()) {
        r -= op.weight;
        if (r < 0) {
          return op;
        }
      }
      return Op.BOOK;
    }

    /** Sends one command; true if it is tracked (its window slot is released when it settles). */
    private boolean send(Op op, int n) {
      switch (op) {
        case BOOK, BOOK_REPEATED -> {
          return book(n, op == Op.BOOK_REPEATED, false, false, false);
        }
        case BOOK_NOT_ON_SALE -> {
          return book(n, false, true, false, false);
        }
        case BOOK_TOO_MANY_GUESTS -> {
          return book(n, false, false, true, false);
        }
        case BOOK_UNKNOWN_ROOM_TYPE -> {
          return book(n, false, false, false, true);
        }
        case CANCEL_OWN -> {
          Reservation r = pick(Reservation::confirmed);
          return r == null ? book(n, false, false, false, false) : cancel(n, r, guestTokens);
        }
        case CANCEL_OWN_PENDING -> {
          Reservation r = pick(x -> !x.settled && !x.cancelInFlight);
          return r == null ? book(n, false, false, false, false) : cancel(n, r, guestTokens);
        }
        case CANCEL_AGAIN -> {
          Reservation r = pick(x -> x.cancelled && !x.cancelInFlight);
          return r == null ? book(n, false, false, false, false) : cancel(n, r, guestTokens);
        }
        case CANCEL_SOMEONE_ELSES -> {
          Reservation r = recentlyConfirmed[random.nextInt(recentlyConfirmed.length)];
          if (r == null || r.client == index) {
            return book(n, false, false, false, false);
          }
          return cancelAsStranger(n, r);
        }
        default -> {
          return allot(n);
        }
      }
    }

    private Reservation pick(java.util.function.Predicate<Reservation> which) {
      // Forget reservations that can no longer be picked for anything, so the list stays short.
      reservations.removeIf(r -> r.settled && !r.placed && !r.cancelInFlight);
      List<Reservation> candidates = reservations.stream().filter(which).toList();
      return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private boolean book(
        int n, boolean repeated, boolean pastWindow, boolean tooMany, boolean unknownType) {
      String guest = guests.get(random.nextInt(guests.size()));
      String hotelId = hotelIds.get(random.nextInt(hotelIds.size()));
      RoomType type = ROOM_TYPES.get(random.nextInt(10) < 6 ? 0 : 1);
      int nights = 1 + Math.min(random.nextInt(4), random.nextInt(4));
      LocalDate checkIn = from.plusDays(random.nextInt(WINDOW_NIGHTS - nights + 1));
      if (pastWindow) {
        nights = 2;
        checkIn = from.plusDays(WINDOW_NIGHTS - 1);
      }
      int people = 1 + random.nextInt(type.maxGuests());
      String code = type.code();
      if (tooMany) {
        code = ROOM_TYPES.get(0).code();
        people = ROOM_TYPES.get(0).maxGuests() + 1;
      }
      if (unknownType) {
        code = "SUITE";
      }
      Map<String, Object> body =
          Json.obj(
              "hotelId",
              hotelId,
              "roomType",
              code,
              "checkIn",
              checkIn.toString(),
              "checkOut",
              checkIn.plusDays(nights).toString(),
              "guests",
              people);
      String key = key("c" + index + "-" + n);
      SoakApi.Answer answer = api.post("/reservations", guestTokens.get(guest), key, body);
      if (!accepted(answer, "POST /reservations")) {
        return false;
      }
      String commandId = answer.field("commandId");
      Reservation r = new Reservation(answer.field("reservationId"), guest, index);
      reservations.add(r);
      if (repeated) {
        stats.repeats.increment();
        SoakApi.Answer again = api.post("/reservations", guestTokens.get(guest), key, body);
        if (again.status() != 202
            || !commandId.equals(again.field("commandId"))
            || !r.reservationId.equals(again.field("reservationId"))) {
          stats.repeatMismatches.increment();
        }
      }
      watch(
          commandId,
          BOOK,
          "reservation#" + r.reservationId,
          status -> {
            r.placed = "SUCCEEDED".equals(status);
            r.settled = true;
            if (r.placed) {
              recentlyConfirmed[
                      Math.floorMod(confirmedCursor.getAndIncrement(), recentlyConfirmed.length)] =
                  r;
            }
            window.release();
          });
      return true;
    }

    private boolean cancel(int n, Reservation r, Map<String, String> tokensOfGuests) {
      r.cancelInFlight = true;
      Object body = random.nextInt(3) == 0 ? Json.obj("reason", "soak") : Json.obj();
      SoakApi.Answer answer =
          api.post(
              "/reservations/" + r.reservationId + "/cancel",
              tokensOfGuests.get(r.guest),
              key("c" + index + "-" + n),
              body);
      if (!accepted(answer, "POST /reservations/{id}/cancel")) {
        r.cancelInFlight = false;
        return false;
      }
      watch(
          answer.field("commandId"),
          CANCEL,
          "reservation#" + r.reservationId,
          status -> {
            if ("SUCCEEDED".equals(status)) {
              r.cancelled = true;
            }
            r.cancelInFlight = false;
            window.release();
          });
      return true;
    }

    /** Someone else's reservation: 403 while the read model shows it, else NOT_OWNER. */
    private boolean cancelAsStranger(int n, Reservation r) {
      String guest = guests.get(random.nextInt(guests.size()));
      SoakApi.Answer answer =
          api.post(
              "/reservations/" + r.reservationId + "/cancel",
              guestTokens.get(guest),
              key("c" + index + "-" + n),
              Json.obj());
      if (answer.status() == 403) {
        stats.refused.increment();
        return false;
      }
      if (!accepted(answer, "POST /reservations/{id}/cancel (someone else's)")) {
        return false;
      }
      // Its effect, were it to succeed, would be on the reservation: the checks say it must not.
      String commandId = answer.field("commandId");
      watch(
          commandId,
          CANCEL,
          null,
          status -> {
            if ("SUCCEEDED".equals(status)) {
              stats.unexpected(
                  "a cancellation of someone else's reservation SUCCEEDED: " + commandId);
            }
            window.release();
          });
      return true;
    }

    private boolean allot(int n) {
      String hotelId = hotelIds.get(random.nextInt(hotelIds.size()));
      RoomType type = ROOM_TYPES.get(random.nextInt(ROOM_TYPES.size()));
      int nights = 1 + random.nextInt(7);
      LocalDate start = from.plusDays(random.nextInt(WINDOW_NIGHTS - nights + 1));
      int rooms = random.nextInt(type.maxRooms() + 1);
      String rate = (90 + random.nextInt(120)) + ".00";
      SoakApi.Answer answer =
          api.post(
              "/hotels/" + hotelId + "/allotments",
              adminToken,
              key("c" + index + "-" + n),
              allotment(type.code(), start, start.plusDays(nights), rooms, rate));
      if (!accepted(answer, "POST /hotels/{id}/allotments")) {
        return false;
      }
      watch(answer.field("commandId"), ALLOT, "hotel#" + hotelId, status -> window.release());
      return true;
    }

    private boolean accepted(SoakApi.Answer answer, String what) {
      if (answer.status() == 202) {
        return true;
      }
      if (answer.status() == -1 || answer.status() >= 500 || answer.status() == 429) {
        stats.gaveUp.increment();
      } else {
        stats.unexpected(what + " answered " + answer.status() + ": " + answer.body());
      }
      return false;
    }
  }
}
