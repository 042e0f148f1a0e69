package io.innkeeper.hotel.inventory;

import io.innkeeper.events.hotel.ReservationEvent;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The nights a reservation event takes or gives back: the one place that says, for every
 * reservation event, what it does to a room type's nights. The write side's inventory rows, the
 * read side's night ledgers and the soak's overbooking check all ask here, so a new reservation
 * event is a compile error here only, and each of them follows from the answer.
 *
 * @param holds whether the reservation holds its nights after the event
 */
public record Stay(
    String hotelId, String roomType, LocalDate checkIn, LocalDate checkOut, boolean holds) {

  /** The nights {@code event} takes ({@code holds}) or gives back; empty when it moves none. */
  public static Optional<Stay> of(ReservationEvent event) {
    return switch (event) {
      case ReservationPlaced p ->
          Optional.of(new Stay(p.hotelId(), p.roomType(), p.checkIn(), p.checkOut(), true));
      case ReservationCancelled c ->
          Optional.of(new Stay(c.hotelId(), c.roomType(), c.checkIn(), c.checkOut(), false));
    };
  }
}
