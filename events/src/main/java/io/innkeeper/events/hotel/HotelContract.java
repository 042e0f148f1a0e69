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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hotel aggregate's entries in the event and command registries. */
public final class HotelContract {
  private HotelContract() {}

  /** Registers the hotel events. */
  public static void events(TypeRegistry.Builder<DomainEvent> b) {
    b.add(
        "HotelRegistered",
        2,
        HotelRegistered.class,
        f ->
            new HotelRegistered(
                f.string("hotelId"),
                f.string("name"),
                f.string("city"),
                f.string("cityKey"),
                f.list("roomTypes", RoomType::read),
                f.instant("registeredAt")),
        e ->
            Json.obj(
                "hotelId", e.hotelId(),
                "name", e.name(),
                "city", e.city(),
                "cityKey", e.cityKey(),
                "roomTypes", writeRoomTypes(e.roomTypes()),
                "registeredAt", e.registeredAt().toString()));
    // v1 -> v2: cityKey became required. It is derived from the city exactly as v2 writers derive
    // it, so a v1 hotel is found by the same searches as a v2 one.
    b.upcast("HotelRegistered", 1, HotelContract::withCityKey);
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

  static Map<String, Object> withCityKey(Map<String, Object> v1) {
    Object city = v1.get("city");
    if (city instanceof String name) {
      Map<String, Object> v2 = new LinkedHashMap<>();
      v1.forEach(
          (k, v) -> {
            v2.put(k, v);
            if (k.equals("city")) {
              v2.put("cityKey", Cities.key(name));
            }
          });
      return v2;
    }
    return v1; // no city: the reader reports the missing field
  }

  private static List<Object> writeRoomTypes(List<RoomType> roomTypes) {
    return roomTypes.stream().map(r -> (Object) r.write()).toList();
  }
}
