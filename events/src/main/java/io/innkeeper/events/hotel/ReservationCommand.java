package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.Json;
import io.innkeeper.events.TypeRegistry;
import java.time.LocalDate;

/** Commands of the reservation aggregate (stream {@code reservation#<reservationId>}). */
public sealed interface ReservationCommand extends HotelDomainCommand {

  String reservationId();

  /**
   * Book one room of {@code roomType} for every night in [checkIn, checkOut); {@code reservationId}
   * was chosen at intake and {@code guestId} is the caller.
   */
  record BookRoom(
      String reservationId,
      String guestId,
      String hotelId,
      String roomType,
      LocalDate checkIn,
      LocalDate checkOut,
      int guests)
      implements ReservationCommand {}

  /**
   * Cancel a reservation, freeing every night of the stay.
   *
   * @param requestedBy the caller
   * @param requestedByAdmin whether the caller is an admin (who may cancel anyone's)
   * @param reason optional, at most 500 characters
   */
  record CancelReservation(
      String reservationId, String requestedBy, boolean requestedByAdmin, String reason)
      implements ReservationCommand {}

  /** Registers the reservation commands under their stable names. */
  static void register(TypeRegistry.Builder<DomainCommand> b) {
    b.add(
        "BookRoom",
        1,
        BookRoom.class,
        f ->
            new BookRoom(
                f.string("reservationId"),
                f.string("guestId"),
                f.string("hotelId"),
                f.string("roomType"),
                f.date("checkIn"),
                f.date("checkOut"),
                f.integer("guests")),
        c ->
            Json.obj(
                "reservationId", c.reservationId(),
                "guestId", c.guestId(),
                "hotelId", c.hotelId(),
                "roomType", c.roomType(),
                "checkIn", c.checkIn().toString(),
                "checkOut", c.checkOut().toString(),
                "guests", c.guests()));
    b.add(
        "CancelReservation",
        1,
        CancelReservation.class,
        f ->
            new CancelReservation(
                f.string("reservationId"),
                f.string("requestedBy"),
                f.bool("requestedByAdmin"),
                f.optionalString("reason")),
        c ->
            Json.obj(
                "reservationId", c.reservationId(),
                "requestedBy", c.requestedBy(),
                "requestedByAdmin", c.requestedByAdmin(),
                "reason", c.reason()));
  }
}
