package io.innkeeper.events.reservation;

import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Money;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Events of the reservation aggregate (stream {@code reservation#<reservationId>}). They carry the
 * hotel, room type and stay so each projection can apply them without looking anything up.
 */
public sealed interface ReservationEvent extends DomainEvent {

  String reservationId();

  /** A room was booked for every night in [checkIn, checkOut) at {@code totalPrice}. */
  record ReservationPlaced(
      String reservationId,
      String guestId,
      String hotelId,
      String roomType,
      LocalDate checkIn,
      LocalDate checkOut,
      int guests,
      Money totalPrice,
      Instant bookedAt)
      implements ReservationEvent {}

  /** The reservation was cancelled and its nights given back; {@code reason} may be null. */
  record ReservationCancelled(
      String reservationId,
      String hotelId,
      String roomType,
      LocalDate checkIn,
      LocalDate checkOut,
      String cancelledBy,
      String reason,
      Instant cancelledAt)
      implements ReservationEvent {}
}
