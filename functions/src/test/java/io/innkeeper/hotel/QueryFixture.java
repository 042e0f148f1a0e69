package io.innkeeper.hotel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.innkeeper.core.command.InMemoryCommandStatusStore;
import io.innkeeper.core.domain.DomainRoutes;
import io.innkeeper.core.domain.QueryEndpoint;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.query.ConsistencyGate;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.hotel.Cities;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.events.hotel.RoomType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query routes exactly as query-api wires them ({@link DomainRoutes#queries}), over an
 * in-memory read model that events are projected into by the real {@link ProjectorRuntime}, at a
 * fixed clock. Tests build a history of events, project it, and call routes with hand-built
 * requests.
 */
public final class QueryFixture {
  public static final HotelDomain DOMAIN = new HotelDomain();
  public static final Tables TABLES = Tables.byId(DOMAIN.queryTables());

  /** "Now": 2026-11-23 (UTC), a week before the nights the standard history sells. */
  public static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  public static final LocalDate TODAY = LocalDate.parse("2026-11-23");
  public static final LocalDate DEC_1 = LocalDate.parse("2026-12-01");

  public static final Caller ADMIN = new Caller("ada", Set.of("admin"));
  public static final Caller GUS = new Caller("gus", Set.of());
  public static final Caller OLGA = new Caller("olga", Set.of());

  public static final byte[] CURSOR_KEY =
      "query-fixture-cursor-key-32-byte".getBytes(StandardCharsets.UTF_8);

  public final InMemoryRowStore store = new InMemoryRowStore();
  public final Watermarks watermarks = new Watermarks(store, "watermarks");
  public final ProjectorRuntime runtime =
      new ProjectorRuntime(DOMAIN.projections(TABLES), store, watermarks, DOMAIN.eventTypes());
  public final HttpRoutes routes;
  private final Map<String, Long> versions = new HashMap<>();

  /** Token-bound queries wait at most 200 ms, so a test of the 503 stays fast. */
  public QueryFixture() {
    this(Duration.ofMillis(200));
  }

  public QueryFixture(Duration consistencyWait) {
    routes =
        DomainRoutes.queries(
            DOMAIN,
            new QueryEndpoint.Context(
                store, TABLES, new Cursors(CURSOR_KEY), Clock.fixed(NOW, ZoneOffset.UTC)),
            new ConsistencyGate(watermarks, consistencyWait),
            new InMemoryCommandStatusStore());
  }

  /**
   * The history most query tests read (all nights in December 2026 unless said otherwise):
   *
   * <ul>
   *   <li>h1 "Seeblick", Zurich: DBL (2 guests) 5 rooms at 100.00 EUR Dec 1..10, lowered to 4 rooms
   *       at 120.50 EUR on Dec 4..6; FAM (4 guests) 2 rooms at 200.25 EUR Dec 29 .. Jan 2 (across
   *       the month and year); STE (2 guests) 1 room at 300.00 EUR Dec 1..2 and at 310.00 CHF Dec
   *       3..4, nothing from Dec 5.
   *   <li>h2 "Altstadt", "ZURICH" (same city key): SGL (1 guest, never on sale), DBL (2 guests) 1
   *       room at 80.10 EUR Dec 1..7.
   *   <li>h3 "Lakeside", Geneva: DBL 10 rooms at 90.00 EUR all December.
   *   <li>Reservations: r1 gus h1 DBL Dec 1-3; r2 gus h1 DBL Dec 4-6, cancelled; r3 and r4 olga h1
   *       DBL Dec 4-5; r5 gus h2 DBL Dec 5-6 (sells out h2 DBL on Dec 5); r6 gus h1 FAM Dec 30 -
   *       Jan 2.
   * </ul>
   */
  public static QueryFixture withHistory() {
    QueryFixture fx = new QueryFixture();
    fx.hotel(
        "h1",
        "Seeblick",
        "Zurich",
        new RoomType("DBL", "Double", 2),
        new RoomType("FAM", "Family", 4),
        new RoomType("STE", "Suite", 2));
    fx.allot("h1", "DBL", dec(1), dec(11), 5, "100.00", "EUR");
    fx.allot("h1", "DBL", dec(4), dec(7), 4, "120.50", "EUR");
    fx.allot("h1", "FAM", dec(29), dec(29).plusDays(5), 2, "200.25", "EUR");
    fx.allot("h1", "STE", dec(1), dec(3), 1, "300.00", "EUR");
    fx.allot("h1", "STE", dec(3), dec(5), 1, "310.00", "CHF");
    fx.hotel(
        "h2",
        "Altstadt",
        "ZURICH",
        new RoomType("SGL", "Single", 1),
        new RoomType("DBL", "Double", 2));
    fx.allot("h2", "DBL", dec(1), dec(8), 1, "80.10", "EUR");
    fx.hotel("h3", "Lakeside", "Geneva", new RoomType("DBL", "Double", 2));
    fx.allot("h3", "DBL", dec(1), dec(32), 10, "90.00", "EUR");
    fx.place("r1", "gus", "h1", "DBL", dec(1), dec(3));
    fx.cancel(fx.place("r2", "gus", "h1", "DBL", dec(4), dec(6)));
    fx.place("r3", "olga", "h1", "DBL", dec(4), dec(5));
    fx.place("r4", "olga", "h1", "DBL", dec(4), dec(5));
    fx.place("r5", "gus", "h2", "DBL", dec(5), dec(6));
    fx.place("r6", "gus", "h1", "FAM", dec(30), dec(33));
    return fx;
  }

  /** December 2026, day {@code day} (32 is January 1st). */
  public static LocalDate dec(int day) {
    return DEC_1.plusDays(day - 1L);
  }

  public void hotel(String id, String name, String city, RoomType... types) {
    project(
        "hotel#" + id,
        next("hotel#" + id),
        new HotelRegistered(id, name, city, Cities.key(city), List.of(types), NOW));
  }

  public void allot(
      String hotelId,
      String type,
      LocalDate from,
      LocalDate to,
      int rooms,
      String amount,
      String currency) {
    project(
        "hotel#" + hotelId,
        next("hotel#" + hotelId),
        new AllotmentSet(hotelId, type, from, to, rooms, Money.of(amount, currency), NOW));
  }

  /** A booking event (not projected): 100.00 EUR a night, 2 guests, booked at {@link #NOW}. */
  public ReservationPlaced placed(
      String id, String guest, String hotelId, String type, LocalDate in, LocalDate out) {
    long nights = ChronoUnit.DAYS.between(in, out);
    return new ReservationPlaced(
        id,
        guest,
        hotelId,
        type,
        in,
        out,
        2,
        new Money(new BigDecimal("100.00").multiply(BigDecimal.valueOf(nights)), "EUR"),
        NOW);
  }

  /** The cancellation of a booking (not projected), by its guest an hour after {@link #NOW}. */
  public static ReservationCancelled cancelled(ReservationPlaced p) {
    return new ReservationCancelled(
        p.reservationId(),
        p.hotelId(),
        p.roomType(),
        p.checkIn(),
        p.checkOut(),
        p.guestId(),
        "plans changed",
        NOW.plusSeconds(3600));
  }

  /** Projects a booking as version 1 of its stream. */
  public ReservationPlaced place(
      String id, String guest, String hotelId, String type, LocalDate in, LocalDate out) {
    ReservationPlaced p = placed(id, guest, hotelId, type, in, out);
    project("reservation#" + id, next("reservation#" + id), p);
    return p;
  }

  /** Projects the cancellation of a booking as the next version of its stream. */
  public void cancel(ReservationPlaced p) {
    String stream = "reservation#" + p.reservationId();
    project(stream, next(stream), cancelled(p));
  }

  public void project(String stream, long version, DomainEvent e) {
    runtime.project(stored(stream, version, e));
  }

  public static StoredEvent stored(String stream, long version, DomainEvent e) {
    TypeRegistry.Encoded encoded = HotelDomainEvent.TYPES.encode(e);
    return new StoredEvent(
        stream,
        version,
        encoded.type(),
        encoded.version(),
        encoded.json(),
        "c-" + stream + "-" + version,
        NOW);
  }

  private long next(String stream) {
    return versions.merge(stream, 1L, Long::sum);
  }

  public ApiResponse get(
      String routeKey, Caller caller, Map<String, String> path, Map<String, String> query) {
    return get(routeKey, caller, path, query, Map.of());
  }

  public ApiResponse get(
      String routeKey,
      Caller caller,
      Map<String, String> path,
      Map<String, String> query,
      Map<String, String> headers) {
    return routes.handle(new ApiRequest(routeKey, headers, path, query, null, caller, "req-q"));
  }

  /** Asserts a 200 and returns its body. */
  public static Map<String, Object> ok(ApiResponse r) {
    assertEquals(200, r.status(), r.body());
    assertEquals("application/json", r.headers().get("Content-Type"));
    return Json.parseObject(r.body());
  }

  /** Asserts a problem answer with {@code status} and returns its body. */
  public static Map<String, Object> problem(int status, ApiResponse r) {
    assertEquals(status, r.status(), r.body());
    assertEquals("application/problem+json", r.headers().get("Content-Type"));
    Map<String, Object> body = Json.parseObject(r.body());
    assertEquals(((Number) body.get("status")).intValue(), status);
    return body;
  }

  /** The items of a list answer. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> items(Map<String, Object> body) {
    return (List<Map<String, Object>>) body.get("items");
  }
}
