package io.innkeeper.rooms;

import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.core.domain.fixture.ConsoleFixture;
import io.innkeeper.events.Json;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The meeting rooms' examples for the local console: register a room, book a half hour of it and
 * cancel, and a booking the intake refuses. The console shows them as it shows the hotel's, which
 * is what proves it knows no domain of its own.
 */
final class RoomsConsole implements ConsoleFixture {

  @Override
  public List<Api.Caller> users() {
    return List.of(Api.Caller.admin("ada"), Api.Caller.guest("gus"));
  }

  @Override
  public List<Example> examples() {
    String day = LocalDate.now(ZoneOffset.UTC).plusDays(3).toString();
    return List.of(
        new Example(
            "Register a room",
            "POST /rooms",
            Map.of(),
            Json.obj("name", "Console room", "seats", 4),
            "ada",
            "SUCCEEDED",
            null),
        new Example(
            "Book an hour of that room",
            "POST /rooms/{roomId}/bookings",
            Map.of("roomId", "{{roomId}}"),
            Json.obj("date", day, "from", "10:00", "to", "11:00"),
            "gus",
            "SUCCEEDED",
            "/rooms/{{roomId}}/schedule?date=" + day),
        new Example(
            "Cancel that booking",
            "POST /bookings/{bookingId}/cancel",
            Map.of("bookingId", "{{bookingId}}"),
            Map.of(),
            "gus",
            "SUCCEEDED",
            null),
        new Example(
            "Book a quarter past",
            "POST /rooms/{roomId}/bookings",
            Map.of("roomId", "{{roomId}}"),
            Json.obj("date", day, "from", "10:15", "to", "11:00"),
            "gus",
            "400",
            null));
  }
}
