package io.innkeeper.rooms;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.Json;
import io.innkeeper.events.TypeRegistry;
import java.time.LocalDate;
import java.time.LocalTime;

/** Every command of the meeting-room domain, by aggregate, and their stable names. */
public sealed interface RoomsCommand extends DomainCommand {

  /** Commands of a room (stream {@code room#<roomId>}). */
  sealed interface OfRoom extends RoomsCommand {
    String roomId();
  }

  /** Register a room; {@code roomId} was chosen at intake. */
  record RegisterRoom(String roomId, String name, int seats) implements OfRoom {}

  /** Commands of a booking (stream {@code booking#<bookingId>}). */
  sealed interface OfBooking extends RoomsCommand {
    String bookingId();
  }

  /** Book {@code roomId} on {@code date} from {@code from} to {@code to} (half hours). */
  record BookSlot(
      String bookingId,
      String roomId,
      String bookedBy,
      LocalDate date,
      LocalTime from,
      LocalTime to)
      implements OfBooking {}

  /** Cancel a booking, freeing its half hours. */
  record CancelBooking(String bookingId, String requestedBy, boolean requestedByAdmin)
      implements OfBooking {}

  /** The registry; building it fails while a record above is not registered. */
  TypeRegistry<DomainCommand> TYPES =
      TypeRegistry.<DomainCommand>builder("command", RoomsCommand.class)
          .add(
              "RegisterRoom",
              1,
              RegisterRoom.class,
              f -> new RegisterRoom(f.string("roomId"), f.string("name"), f.integer("seats")),
              c -> Json.obj("roomId", c.roomId(), "name", c.name(), "seats", c.seats()))
          .add(
              "BookSlot",
              1,
              BookSlot.class,
              f ->
                  new BookSlot(
                      f.string("bookingId"),
                      f.string("roomId"),
                      f.string("bookedBy"),
                      f.date("date"),
                      LocalTime.parse(f.string("from")),
                      LocalTime.parse(f.string("to"))),
              c ->
                  Json.obj(
                      "bookingId", c.bookingId(),
                      "roomId", c.roomId(),
                      "bookedBy", c.bookedBy(),
                      "date", c.date().toString(),
                      "from", c.from().toString(),
                      "to", c.to().toString()))
          .add(
              "CancelBooking",
              1,
              CancelBooking.class,
              f ->
                  new CancelBooking(
                      f.string("bookingId"), f.string("requestedBy"), f.bool("requestedByAdmin")),
              c ->
                  Json.obj(
                      "bookingId", c.bookingId(),
                      "requestedBy", c.requestedBy(),
                      "requestedByAdmin", c.requestedByAdmin()))
          .build();
}
