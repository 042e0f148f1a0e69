package io.innkeeper.events.reservation;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.reservation.ReservationCommand.BookRoom;
import io.innkeeper.events.reservation.ReservationCommand.CancelReservation;
import io.innkeeper.events.reservation.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.reservation.ReservationEvent.ReservationPlaced;

/** The reservation aggregate's entries in the event and command registries. */
public final class ReservationContract {
  private ReservationContract() {}

  /** Registers the reservation events. */
  public static void events(TypeRegistry.Builder<DomainEvent> b) {
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

  /** Registers the reservation commands. */
  public static void commands(TypeRegistry.Builder<DomainCommand> b) {
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
