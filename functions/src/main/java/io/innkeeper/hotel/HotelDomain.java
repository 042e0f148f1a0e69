package io.innkeeper.hotel;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.command.CommandStatusQuery;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.hotel.booking.BookRoomEndpoint;
import io.innkeeper.hotel.booking.CancelReservationEndpoint;
import io.innkeeper.hotel.booking.ReservationAggregate;
import io.innkeeper.hotel.hotels.HotelAggregate;
import io.innkeeper.hotel.hotels.HotelQueries;
import io.innkeeper.hotel.hotels.HotelsProjection;
import io.innkeeper.hotel.hotels.RegisterHotelEndpoint;
import io.innkeeper.hotel.inventory.SetAllotmentEndpoint;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The hotel domain plugged into the generic CQRS core: its aggregates, command routes, projections
 * and query routes. A team copying Innkeeper replaces this package and keeps {@code core}.
 */
public final class HotelDomain {
  private HotelDomain() {}

  public static List<Aggregate<?, ?, ?>> aggregates() {
    return List.of(new HotelAggregate(), new ReservationAggregate());
  }

  public static HttpRoutes commandRoutes(CommandIntake intake) {
    return new HttpRoutes()
        .on("POST /hotels", new RegisterHotelEndpoint(intake)::handle)
        .on("POST /hotels/{hotelId}/allotments", new SetAllotmentEndpoint(intake)::handle)
        .on("POST /reservations", new BookRoomEndpoint(intake)::handle)
        .on(
            "POST /reservations/{reservationId}/cancel",
            new CancelReservationEndpoint(intake)::handle);
  }

  public static List<Projection> projections(DynamoDbClient ddb, QueryTables tables) {
    return List.of(new HotelsProjection(ddb, tables.hotels()));
  }

  public static HttpRoutes queryRoutes(
      DynamoDbClient ddb, QueryTables tables, CommandStatusStore statuses) {
    var hotels = new HotelQueries(ddb, tables.hotels());
    return new HttpRoutes()
        .on("GET /hotels", hotels::list)
        .on("GET /hotels/{hotelId}", hotels::get)
        .on("GET /commands/{commandId}", new CommandStatusQuery(statuses)::handle);
  }

  /** Physical names of the query tables. */
  public record QueryTables(String hotels) {}
}
