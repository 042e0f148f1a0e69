package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelCommand.SetAllotment;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.ReservationCommand.BookRoom;
import io.innkeeper.events.hotel.ReservationCommand.CancelReservation;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** One canonical instance of every registered type; their JSON is frozen under samples/. */
final class Samples {
  private Samples() {}

  static final List<RoomType> ROOM_TYPES =
      List.of(new RoomType("DBL", "Double room", 2), new RoomType("FAM", "Family room", 4));

  static final String HOTEL = "01JD0000000000000000000001";
  static final String RESERVATION = "01JD00000000000000000000R1";
  static final Money RATE = Money.of("120.00", "EUR");
  static final LocalDate DEC_1 = LocalDate.parse("2026-12-01");
  static final LocalDate DEC_3 = LocalDate.parse("2026-12-03");
  static final LocalDate DEC_5 = LocalDate.parse("2026-12-05");
  static final LocalDate DEC_8 = LocalDate.parse("2026-12-08");

  static final List<DomainEvent> EVENTS =
      List.of(
          new HotelRegistered(
              HOTEL,
              "Hotel Seeblick",
              "Zurich",
              "zurich",
              ROOM_TYPES,
              Instant.parse("2026-11-23T10:15:30Z")),
          new AllotmentSet(
              HOTEL, "DBL", DEC_1, DEC_8, 7, RATE, Instant.parse("2026-11-23T10:20:00Z")),
          new ReservationPlaced(
              RESERVATION,
              "gus",
              HOTEL,
              "DBL",
              DEC_3,
              DEC_5,
              2,
              Money.of("240.00", "EUR"),
              Instant.parse("2026-11-23T10:30:00Z")),
          new ReservationCancelled(
              RESERVATION,
              HOTEL,
              "DBL",
              DEC_3,
              DEC_5,
              "gus",
              "plans changed",
              Instant.parse("2026-11-23T11:00:00Z")));

  static final List<DomainCommand> COMMANDS =
      List.of(
          new RegisterHotel(HOTEL, "Hotel Seeblick", "Zurich", ROOM_TYPES),
          new SetAllotment(HOTEL, "DBL", DEC_1, DEC_8, 7, RATE),
          new BookRoom(RESERVATION, "gus", HOTEL, "DBL", DEC_3, DEC_5, 2),
          new CancelReservation(RESERVATION, "gus", false, "plans changed"));
}
