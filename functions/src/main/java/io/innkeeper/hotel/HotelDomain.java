package io.innkeeper.hotel;

import static io.innkeeper.core.Priming.ABSENT_ID;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.domain.CommandEndpoint;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.domain.QueryEndpoint;
import io.innkeeper.core.domain.Route;
import io.innkeeper.core.domain.SubscriberService;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.domain.fixture.Fixtures;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.hotel.HotelDomainCommand;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelPublishing;
import io.innkeeper.events.published.PublishedLanguage;
import io.innkeeper.hotel.availability.AvailabilityQuery;
import io.innkeeper.hotel.booking.BookRoomEndpoint;
import io.innkeeper.hotel.booking.CancelReservationEndpoint;
import io.innkeeper.hotel.booking.ReservationAggregate;
import io.innkeeper.hotel.booking.ReservationQueries;
import io.innkeeper.hotel.booking.ReservationsProjection;
import io.innkeeper.hotel.fixtures.HotelFixtures;
import io.innkeeper.hotel.guestmessages.GuestMessages;
import io.innkeeper.hotel.hotels.HotelAggregate;
import io.innkeeper.hotel.hotels.HotelQueries;
import io.innkeeper.hotel.hotels.HotelsProjection;
import io.innkeeper.hotel.hotels.RegisterHotelEndpoint;
import io.innkeeper.hotel.inventory.NightLedger;
import io.innkeeper.hotel.inventory.SetAllotmentEndpoint;
import io.innkeeper.hotel.occupancy.OccupancyQuery;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hotel domain plugged into the generic CQRS core: its contracts, aggregates, command routes,
 * read models and query routes, priming samples and fixtures. A team copying Innkeeper replaces
 * this package (and the contracts in {@code io.innkeeper.events.hotel}) and keeps the rest.
 */
public final class HotelDomain implements Domain {
  /** The domain's name, as {@code INNKEEPER_DOMAIN} selects it. */
  public static final String NAME = "hotel";

  /** Query table: the hotel catalogue, by id and by city. */
  public static final String HOTELS = "hotels";

  /** Query table: rooms, bookings and rates per night, for the public search. */
  public static final String AVAILABILITY = "availability";

  /** Query table: rooms and bookings per night, for the hotel's staff. */
  public static final String OCCUPANCY = "occupancy";

  /** Query table: reservations by id and by guest. */
  public static final String RESERVATIONS = "reservations";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Innkeeper: serverless CQRS hotel reservations";
  }

  @Override
  public TypeRegistry<DomainCommand> commandTypes() {
    return HotelDomainCommand.TYPES;
  }

  @Override
  public TypeRegistry<DomainEvent> eventTypes() {
    return HotelDomainEvent.TYPES;
  }

  @Override
  public List<Aggregate<?, ?, ?>> aggregates() {
    return List.of(new HotelAggregate(), new ReservationAggregate());
  }

  @Override
  public List<String> queryTables() {
    return List.of(HOTELS, AVAILABILITY, OCCUPANCY, RESERVATIONS);
  }

  @Override
  public List<Projection> projections(Tables tables) {
    return List.of(
        new HotelsProjection(tables.name(HOTELS)),
        NightLedger.availability(tables.name(AVAILABILITY)),
        NightLedger.occupancy(tables.name(OCCUPANCY)),
        new ReservationsProjection(tables.name(RESERVATIONS)));
  }

  @Override
  public List<CommandEndpoint> commandEndpoints() {
    return List.of(
        CommandEndpoint.of(
            Route.authenticated("POST", "/hotels"),
            c -> new RegisterHotelEndpoint(c.intake())::handle),
        CommandEndpoint.of(
            Route.authenticated("POST", "/hotels/{hotelId}/allotments"),
            c -> new SetAllotmentEndpoint(c.intake())::handle),
        CommandEndpoint.of(
            Route.authenticated("POST", "/reservations"),
            c -> new BookRoomEndpoint(c.intake())::handle),
        // The owner check on a cancel reads the reservations read model (docs/architecture.md).
        new CommandEndpoint(
            Route.authenticated("POST", "/reservations/{reservationId}/cancel"),
            Set.of(RESERVATIONS),
            c ->
                new CancelReservationEndpoint(
                        c.intake(),
                        new ReservationQueries(c.readModels(), c.tables().name(RESERVATIONS), null)
                            ::find)
                    ::handle));
  }

  @Override
  public List<QueryEndpoint> queryEndpoints() {
    return List.of(
        new QueryEndpoint(Route.open("GET", "/hotels"), q -> hotels(q)::list),
        new QueryEndpoint(Route.open("GET", "/hotels/{hotelId}"), q -> hotels(q)::get),
        new QueryEndpoint(
            Route.open("GET", "/availability"),
            q ->
                new AvailabilityQuery(
                        q.store(), q.tables().name(AVAILABILITY), hotels(q), q.cursors(), q.clock())
                    ::search),
        new QueryEndpoint(
            Route.authenticated("GET", "/reservations/{reservationId}"), q -> reservations(q)::get),
        new QueryEndpoint(
            Route.authenticated("GET", "/me/reservations"), q -> reservations(q)::mine),
        new QueryEndpoint(
            Route.authenticated("GET", "/hotels/{hotelId}/occupancy"),
            q -> new OccupancyQuery(q.store(), q.tables().name(OCCUPANCY), hotels(q))::get));
  }

  private static HotelQueries hotels(QueryEndpoint.Context q) {
    return new HotelQueries(q.store(), q.tables().name(HOTELS), q.cursors());
  }

  private static ReservationQueries reservations(QueryEndpoint.Context q) {
    return new ReservationQueries(q.store(), q.tables().name(RESERVATIONS), q.cursors());
  }

  /**
   * Between them the samples take each function through its reads and its deciding or projecting: a
   * booking refused by validation, a hotel registered (decided, stopped at the append) and a
   * booking rejected for its unknown hotel, a v1 HotelRegistered (its upcaster) and a
   * ReservationPlaced (three projections), and reads of a hotel and of a guest's reservations.
   */
  @Override
  public PrimingSamples primingSamples() {
    String hotel =
        """
        "hotelId":"%1$s","name":"Priming","city":"Zurich",
        "roomTypes":[{"code":"DBL","name":"Double room","maxGuests":2}]"""
            .formatted(ABSENT_ID);
    return new PrimingSamples(
        List.of(
            new PrimingSamples.Request(
                "POST /reservations",
                Map.of(),
                Map.of("content-type", "application/json"),
                "{\"hotelId\":\"" + ABSENT_ID + "\",\"guests\":0}",
                400)),
        List.of(
            new PrimingSamples.Command("RegisterHotel", 1, true, "{" + hotel + "}"),
            new PrimingSamples.Command(
                "BookRoom",
                1,
                false,
                """
                {"reservationId":"%1$s","guestId":"%1$s","hotelId":"%1$s","roomType":"DBL",
                 "checkIn":"2026-01-02","checkOut":"2026-01-04","guests":2}"""
                    .formatted(ABSENT_ID))),
        List.of(
            new PrimingSamples.Event(
                HotelAggregate.streamId(ABSENT_ID),
                "HotelRegistered",
                1,
                "{" + hotel + ",\"registeredAt\":\"2026-01-01T00:00:00Z\"}"),
            new PrimingSamples.Event(
                ReservationAggregate.streamId(ABSENT_ID),
                "ReservationPlaced",
                1,
                """
                {"reservationId":"%1$s","guestId":"%1$s","hotelId":"%1$s","roomType":"DBL",
                 "checkIn":"2026-01-02","checkOut":"2026-01-04","guests":2,
                 "totalPrice":{"amount":"240.00","currency":"EUR"},
                 "bookedAt":"2026-01-01T00:00:00Z"}"""
                    .formatted(ABSENT_ID))),
        List.of(
            new PrimingSamples.Request(
                "GET /hotels/{hotelId}", Map.of("hotelId", ABSENT_ID), Map.of(), null, 404),
            new PrimingSamples.Request("GET /me/reservations", Map.of(), Map.of(), null, 200)));
  }

  @Override
  public Fixtures fixtures() {
    return new HotelFixtures();
  }

  /** Reservations, cancellations, allotments and hotels, as {@link HotelPublishing} maps them. */
  @Override
  public PublishedLanguage publishedLanguage() {
    return HotelPublishing.LANGUAGE;
  }

  /** The guest-messages service: confirmation and cancellation notices per guest. */
  @Override
  public List<SubscriberService> subscribers() {
    return List.of(GuestMessages.service());
  }
}
