package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Events of the reservation aggregate (stream {@code reservation#<reservationId>}). They carry the
 * hotel, room type and stay so each projection can apply them without looking anything up.
 */
public sealed interface ReservationEvent extends HotelDomainEvent {

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

  /** Registers the reservation events under their stable names. */
  static void register(TypeRegistry.Builder<DomainEvent> b) {
    b.add(
        "ReservationPlaced",
        1,
        ReservationPlaced.class,
        f ->
            new ReservationPlaced(
                f.string("reservationId"),
                f.string("guestId"),
                f.string("hotelId"),
                f.string("roomType"),
                f.date("checkIn"),
                f.date("checkOut"),
                f.integer("guests"),
                Money.read(f.object("totalPrice")),
                f.instant("bookedAt")),
        e ->
            Json.obj(
                "reservationId", e.reservationId(),
                "guestId", e.guestId(),
                "hotelId", e.hotelId(),
                "roomType", e.roomType(),
                "checkIn", e.checkIn().toString(),
                "checkOut", e.checkOut().toString(),
                "guests", e.guests(),
                "totalPrice", e.totalPrice().toJson(),
                "bookedAt", e.bookedAt().toString()));
    b.add(
        "ReservationCancelled",
        1,
        ReservationCancelled.class,
        f ->
            new ReservationCancelled(
                f.string("reservationId"),
                f.string("hotelId"),
                f.string("roomType"),
                f.date("checkIn"),
                f.date("checkOut"),
                f.string("cancelledBy"),
                f.optionalString("reason"),
                f.instant("cancelledAt")),
        e ->
            Json.obj(
                "reservationId", e.reservationId(),
                "hotelId", e.hotelId(),
                "roomType", e.roomType(),
                "checkIn", e.checkIn().toString(),
                "checkOut", e.checkOut().toString(),
                "cancelledBy", e.cancelledBy(),
                "reason", e.reason(),
                "cancelledAt", e.cancelledAt().toString()));
  }
}
