package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import java.time.LocalDate;
import java.util.List;

/** Commands of the hotel aggregate. */
public sealed interface HotelCommand extends HotelDomainCommand {

  String hotelId();

  /** Register a new hotel; {@code hotelId} was chosen at intake. */
  record RegisterHotel(String hotelId, String name, String city, List<RoomType> roomTypes)
      implements HotelCommand {
    public RegisterHotel {
      roomTypes = List.copyOf(roomTypes);
    }
  }

  /** Put {@code rooms} rooms on sale at {@code nightlyRate} for every night in [from, to). */
  record SetAllotment(
      String hotelId, String roomType, LocalDate from, LocalDate to, int rooms, Money nightlyRate)
      implements HotelCommand {}

  /** Registers the hotel commands under their stable names. */
  static void register(TypeRegistry.Builder<DomainCommand> b) {
    b.add(
        "RegisterHotel",
        1,
        RegisterHotel.class,
        f ->
            new RegisterHotel(
                f.string("hotelId"),
                f.string("name"),
                f.string("city"),
                f.list("roomTypes", RoomType::read)),
        c ->
            Json.obj(
                "hotelId", c.hotelId(),
                "name", c.name(),
                "city", c.city(),
                "roomTypes", HotelEvent.writeRoomTypes(c.roomTypes())));
    b.add(
        "SetAllotment",
        1,
        SetAllotment.class,
        f ->
            new SetAllotment(
                f.string("hotelId"),
                f.string("roomType"),
                f.date("from"),
                f.date("to"),
                f.integer("rooms"),
                Money.read(f.object("nightlyRate"))),
        c ->
            Json.obj(
                "hotelId", c.hotelId(),
                "roomType", c.roomType(),
                "from", c.from().toString(),
                "to", c.to().toString(),
                "rooms", c.rooms(),
                "nightlyRate", c.nightlyRate().toJson()));
  }
}
