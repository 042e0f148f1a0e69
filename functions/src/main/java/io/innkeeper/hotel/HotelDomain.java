package io.innkeeper.hotel;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.command.CommandStatusQuery;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.query.ConsistencyGate;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.hotel.availability.AvailabilityQuery;
import io.innkeeper.hotel.booking.BookRoomEndpoint;
import io.innkeeper.hotel.booking.CancelReservationEndpoint;
import io.innkeeper.hotel.booking.ReservationAggregate;
import io.innkeeper.hotel.booking.ReservationQueries;
import io.innkeeper.hotel.booking.ReservationsProjection;
import io.innkeeper.hotel.hotels.HotelAggregate;
import io.innkeeper.hotel.hotels.HotelQueries;
import io.innkeeper.hotel.hotels.HotelsProjection;
import io.innkeeper.hotel.hotels.RegisterHotelEndpoint;
import io.innkeeper.hotel.inventory.NightLedger;
import io.innkeeper.hotel.inventory.SetAllotmentEndpoint;
import io.innkeeper.hotel.occupancy.OccupancyQuery;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The hotel domain plugged into the generic CQRS core: its aggregates, command routes, projections
 * and query routes. A team copying Innkeeper replaces this package and keeps {@code core}.
 */
public final class HotelDomain {
  private HotelDomain() {}

  public static List<Aggregate<?, ?, ?>> aggregates() {
    return List.of(new HotelAggregate(), new ReservationAggregate());
  }

  /**
   * @param reservations what the read model shows of a reservation, for the owner check at intake
   */
  public static HttpRoutes commandRoutes(
      CommandIntake intake, Function<String, Optional<ReservationQueries.Visible>> reservations) {
    return new HttpRoutes()
        .on("POST /hotels", new RegisterHotelEndpoint(intake)::handle)
        .on("POST /hotels/{hotelId}/allotments", new SetAllotmentEndpoint(intake)::handle)
        .on("POST /reservations", new BookRoomEndpoint(intake)::handle)
        .on(
            "POST /reservations/{reservationId}/cancel",
            new CancelReservationEndpoint(intake, reservations)::handle);
  }

  /** The reservations read model as command-api sees it: read-only, eventually consistent. */
  public static Function<String, Optional<ReservationQueries.Visible>> reservationLookup(
      RowStore store, String reservationsTable) {
    return new ReservationQueries(store, reservationsTable, null)::find;
  }

  public static List<Projection> projections(QueryTables tables) {
    return List.of(
        new HotelsProjection(tables.hotels()),
        NightLedger.availability(tables.availability()),
        NightLedger.occupancy(tables.occupancy()),
        new ReservationsProjection(tables.reservations()));
  }

  public static HttpRoutes queryRoutes(
      RowStore store,
      QueryTables tables,
      CommandStatusStore statuses,
      ConsistencyGate gate,
      Cursors cursors,
      Clock clock) {
    var hotels = new HotelQueries(store, tables.hotels(), cursors);
    var availability = new AvailabilityQuery(store, tables.availability(), hotels, cursors, clock);
    var reservations = new ReservationQueries(store, tables.reservations(), cursors);
    var occupancy = new OccupancyQuery(store, tables.occupancy(), hotels);
    var commands = new CommandStatusQuery(statuses);
    return new HttpRoutes()
        .on("GET /hotels", gate.route(hotels::list))
        .on("GET /hotels/{hotelId}", gate.route(hotels::get))
        .on("GET /availability", gate.route(availability::search))
        .on("GET /reservations/{reservationId}", gate.route(reservations::get))
        .on("GET /me/reservations", gate.route(reservations::mine))
        .on("GET /hotels/{hotelId}/occupancy", gate.route(occupancy::get))
        .on(
            "GET /commands/{commandId}",
            gate.route(
                (request, freshness) -> {
                  freshness.await();
                  return commands.handle(request);
                }));
  }

  /** Physical names of the query tables. */
  public record QueryTables(
      String hotels, String availability, String occupancy, String reservations) {

    /** The names as the functions' environment gives them. */
    public static QueryTables fromEnvironment() {
      return new QueryTables(
          io.innkeeper.core.Env.require("HOTELS_TABLE"),
          io.innkeeper.core.Env.require("AVAILABILITY_TABLE"),
          io.innkeeper.core.Env.require("OCCUPANCY_TABLE"),
          io.innkeeper.core.Env.require("RESERVATIONS_TABLE"));
    }
  }
}
