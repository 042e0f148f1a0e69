package io.innkeeper.events.reservation;

import io.innkeeper.events.DomainCommand;
import java.time.LocalDate;

/** Commands of the reservation aggregate (stream {@code reservation#<reservationId>}). */
public sealed interface ReservationCommand extends DomainCommand {

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
}
