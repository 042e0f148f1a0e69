package io.innkeeper.events;

import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.RoomType;
import java.time.Instant;
import java.util.List;

/** One canonical instance of every registered type; their JSON is frozen under samples/. */
final class Samples {
  private Samples() {}

  static final List<RoomType> ROOM_TYPES =
      List.of(new RoomType("DBL", "Double room", 2), new RoomType("FAM", "Family room", 4));

  static final List<DomainEvent> EVENTS =
      List.of(
          new HotelRegistered(
              "01JD0000000000000000000001",
              "Hotel Seeblick",
              "Zurich",
              ROOM_TYPES,
              Instant.parse("2026-11-23T10:15:30Z")));

  static final List<DomainCommand> COMMANDS =
      List.of(
          new RegisterHotel("01JD0000000000000000000001", "Hotel Seeblick", "Zurich", ROOM_TYPES));
}
