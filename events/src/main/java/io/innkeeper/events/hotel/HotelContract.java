package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
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
  }

  private static List<Object> writeRoomTypes(List<RoomType> roomTypes) {
    return roomTypes.stream().map(r -> (Object) r.write()).toList();
  }
}
