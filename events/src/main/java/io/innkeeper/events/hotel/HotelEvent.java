package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events of the hotel aggregate (stream {@code hotel#<hotelId>}). */
public sealed interface HotelEvent extends HotelDomainEvent {

  String hotelId();

  /**
   * A hotel was registered with its room types. {@code cityKey} is the key it is searched by
   * ({@link Cities#key}), fixed when the hotel is registered so every read model that indexes
   * hotels by city agrees on it. Schema v2; v1 had no {@code cityKey} and is upcast.
   */
  record HotelRegistered(
      String hotelId,
      String name,
      String city,
      String cityKey,
      List<RoomType> roomTypes,
      Instant registeredAt)
      implements HotelEvent {
    public HotelRegistered {
      roomTypes = List.copyOf(roomTypes);
    }
  }

  /** Rooms on sale and the nightly rate were set for every night in [from, to). */
  record AllotmentSet(
      String hotelId,
      String roomType,
      LocalDate from,
      LocalDate to,
      int rooms,
      Money nightlyRate,
      Instant setAt)
      implements HotelEvent {}

  /** Registers the hotel events under their stable names. */
  static void register(TypeRegistry.Builder<DomainEvent> b) {
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
    b.upcast("HotelRegistered", 1, HotelEvent::withCityKey);
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

  /** v1 to v2 of HotelRegistered: adds the city key v2 writers derive. */
  private static Map<String, Object> withCityKey(Map<String, Object> v1) {
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

  /** The wire form of room types, shared by the command and the event. */
  static List<Object> writeRoomTypes(List<RoomType> roomTypes) {
    return roomTypes.stream().map(r -> (Object) r.write()).toList();
  }
}
