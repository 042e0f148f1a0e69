package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelCommand.SetAllotment;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import java.util.List;

/** The hotel aggregate's entries in the event and command registries. */
public final class HotelContract {
  private HotelContract() {}

  /** Registers the hotel events. */
  public static void events(TypeRegistry.Builder<DomainEvent> b) {
    b.add(
        "HotelRegistered",
        1,
        HotelRegistered.class,
        f ->
            new HotelRegistered(
                f.string("hotelId"),
                f.string("name"),
                f.string("city"),
                f.list("roomTypes", RoomType::read),
                f.instant("registeredAt")),
        e ->
            Json.obj(
                "hotelId", e.hotelId(),
                "name", e.name(),
                "city", e.city(),
                "roomTypes", writeRoomTypes(e.roomTypes()),
                "registeredAt", e.registeredAt().toString()));
    b.add(
        "AllotmentSet",
        1,
        AllotmentSet.class,
        f ->
            new AllotmentSet(
                f.string("hotelId"),
                f.string("roomType"),
                f.date("from"),
                f.date("to"),
                f.integer("rooms"),
                Money.read(f.object("nightlyRate")),
                f.instant("setAt")),
        e ->
            Json.obj(
                "hotelId", e.hotelId(),
                "roomType", e.roomType(),
                "from", e.from().toString(),
                "to", e.to().toString(),
                "rooms", e.rooms(),
                "nightlyRate", e.nightlyRate().toJson(),
                "setAt", e.setAt().toString()));
  }

  /** Registers the hotel commands. */
  public static void commands(TypeRegistry.Builder<DomainCommand> b) {
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
                "roomTypes", writeRoomTypes(c.roomTypes())));
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

  private static List<Object> writeRoomTypes(List<RoomType> roomTypes) {
    return roomTypes.stream().map(r -> (Object) r.write()).toList();
  }
}
