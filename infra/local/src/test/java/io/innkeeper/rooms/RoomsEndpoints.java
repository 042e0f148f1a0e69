package io.innkeeper.rooms;

import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.JsonBody;
import io.innkeeper.core.http.Problem;
import io.innkeeper.events.Json;
import io.innkeeper.rooms.RoomsCommand.BookSlot;
import io.innkeeper.rooms.RoomsCommand.CancelBooking;
import io.innkeeper.rooms.RoomsCommand.RegisterRoom;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The meeting rooms' command routes: validate, assign ids, submit. */
final class RoomsEndpoints {
  /** A half hour, {@code HH:00} or {@code HH:30}. */
  static final Pattern HALF_HOUR = Pattern.compile("^([01][0-9]|2[0-3]):(00|30)$");

  /** A booking lasts at most a working day. */
  static final int MAX_HALF_HOURS = 16;

  private final CommandIntake intake;

  RoomsEndpoints(CommandIntake intake) {
    this.intake = intake;
  }

  /** {@code POST /rooms} (admins): {@code {"name": 1..100, "seats": 1..100}}. */
  ApiResponse registerRoom(ApiRequest request) {
    if (!request.caller().isAdmin()) {
      throw Problem.forbidden("Only admins may register rooms.");
    }
    Map<String, Object> body = JsonBody.object(request);
    BodyReader r = new BodyReader();
    r.onlyFields(body, "", Set.of("name", "seats"));
    String name = r.string(body, "", "name", 1, 100);
    Integer seats = r.integer(body, "", "seats", 1, 100);
    r.throwIfInvalid();
    String roomId = intake.newId();
    return intake.submit(
        request,
        new RegisterRoom(roomId, name, seats),
        RoomAggregate.streamId(roomId),
        Json.obj("roomId", roomId));
  }

  /**
   * {@code POST /rooms/{roomId}/bookings} (anyone, who holds the booking): {@code {"date", "from",
   * "to"}}, half hours of one day, not before today (UTC). Bookings of one room share a message
   * group, so they are decided one after another and rarely conflict.
   */
  ApiResponse bookSlot(ApiRequest request) {
    Map<String, Object> body = JsonBody.object(request);
    BodyReader r = new BodyReader();
    String roomId = r.pathId(request, "roomId");
    r.onlyFields(body, "", Set.of("date", "from", "to"));
    LocalDate date = r.date(body, "", "date");
    String from = r.matching(body, "", "from", HALF_HOUR);
    String to = r.matching(body, "", "to", HALF_HOUR);
    LocalDate today = LocalDate.ofInstant(intake.now(), ZoneOffset.UTC);
    if (date != null && date.isBefore(today)) {
      r.fail("date", "must not be before today (" + today + ", UTC)");
    }
    if (from != null && to != null) {
      int halfHours = Slots.halfHours(LocalTime.parse(from), LocalTime.parse(to)).size();
      if (halfHours == 0) {
        r.fail("to", "must be after from");
      } else if (halfHours > MAX_HALF_HOURS) {
        r.fail("to", "must be at most " + MAX_HALF_HOURS / 2 + " hours after from");
      }
    }
    r.throwIfInvalid();
    String bookingId = intake.newId();
    return intake.submit(
        request,
        new BookSlot(
            bookingId,
            roomId,
            request.caller().id(),
            date,
            LocalTime.parse(from),
            LocalTime.parse(to)),
        RoomAggregate.streamId(roomId),
        Json.obj("bookingId", bookingId));
  }

  /** {@code POST /bookings/{bookingId}/cancel} (whoever booked it, or an admin): {@code {}}. */
  ApiResponse cancelBooking(ApiRequest request) {
    Map<String, Object> body = JsonBody.object(request);
    BodyReader r = new BodyReader();
    String bookingId = r.pathId(request, "bookingId");
    r.onlyFields(body, "", Set.of());
    r.throwIfInvalid();
    return intake.submit(
        request,
        new CancelBooking(bookingId, request.caller().id(), request.caller().isAdmin()),
        BookingAggregate.streamId(bookingId),
        Map.of());
  }
}
