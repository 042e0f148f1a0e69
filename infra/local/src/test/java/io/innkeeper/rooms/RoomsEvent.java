package io.innkeeper.rooms;

import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.TypeRegistry;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

/** Every event of the meeting-room domain, by aggregate, and their stable names. */
public sealed interface RoomsEvent extends DomainEvent {

  /** Events of a room. */
  sealed interface OfRoom extends RoomsEvent {
    String roomId();
  }

  record RoomRegistered(String roomId, String name, int seats, Instant registeredAt)
      implements OfRoom {}

  /** Events of a booking; each carries the room and the slot, so projections need no lookup. */
  sealed interface OfBooking extends RoomsEvent {
    String bookingId();

    String roomId();

    LocalDate date();

    LocalTime from();

    LocalTime to();
  }

  record SlotBooked(
      String bookingId,
      String roomId,
      String bookedBy,
      LocalDate date,
      LocalTime from,
      LocalTime to,
      Instant bookedAt)
      implements OfBooking {}

  record BookingCancelled(
      String bookingId,
      String roomId,
      LocalDate date,
      LocalTime from,
      LocalTime to,
      String cancelledBy,
      Instant cancelledAt)
      implements OfBooking {}

  /** The registry; building it fails while a record above is not registered. */
  TypeRegistry<DomainEvent> TYPES =
      TypeRegistry.<DomainEvent>builder("event", RoomsEvent.class)
          .add(
              "RoomRegistered",
              1,
              RoomRegistered.class,
              f ->
                  new RoomRegistered(
                      f.string("roomId"),
                      f.string("name"),
                      f.integer("seats"),
                      f.instant("registeredAt")),
              e ->
                  Json.obj(
                      "roomId", e.roomId(),
                      "name", e.name(),
                      "seats", e.seats(),
                      "registeredAt", e.registeredAt().toString()))
          .add(
              "SlotBooked",
              1,
              SlotBooked.class,
              f ->
                  new SlotBooked(
                      f.string("bookingId"),
                      f.string("roomId"),
                      f.string("bookedBy"),
                      f.date("date"),
                      LocalTime.parse(f.string("from")),
                      LocalTime.parse(f.string("to")),
                      f.instant("bookedAt")),
              e ->
                  Json.obj(
                      "bookingId", e.bookingId(),
                      "roomId", e.roomId(),
                      "bookedBy", e.bookedBy(),
                      "date", e.date().toString(),
                      "from", e.from().toString(),
                      "to", e.to().toString(),
                      "bookedAt", e.bookedAt().toString()))
          .add(
              "BookingCancelled",
              1,
              BookingCancelled.class,
              f ->
                  new BookingCancelled(
                      f.string("bookingId"),
                      f.string("roomId"),
                      f.date("date"),
                      LocalTime.parse(f.string("from")),
                      LocalTime.parse(f.string("to")),
                      f.string("cancelledBy"),
                      f.instant("cancelledAt")),
              e ->
                  Json.obj(
                      "bookingId", e.bookingId(),
                      "roomId", e.roomId(),
                      "date", e.date().toString(),
                      "from", e.from().toString(),
                      "to", e.to().toString(),
                      "cancelledBy", e.cancelledBy(),
                      "cancelledAt", e.cancelledAt().toString()))
          .build();
}
