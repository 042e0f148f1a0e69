package io.innkeeper.hotel.hotels;

import io.innkeeper.events.Fields;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.RoomType;
import java.util.List;
import java.util.Optional;

/**
 * What deciding about a hotel needs to know.
 *
 * @param registered whether the hotel exists
 */
public record HotelState(boolean registered, String name, String city, List<RoomType> roomTypes) {

  public static final HotelState NONE = new HotelState(false, null, null, List.of());

  public HotelState {
    roomTypes = List.copyOf(roomTypes);
  }

  public Optional<RoomType> roomType(String code) {
    return roomTypes.stream().filter(r -> r.code().equals(code)).findFirst();
  }

  String toSnapshot() {
    return Json.write(
        Json.obj(
            "registered",
            registered,
            "name",
            name,
            "city",
            city,
            "roomTypes",
            roomTypes.stream()
                .map(
                    r ->
                        (Object)
                            Json.obj(
                                "code", r.code(), "name", r.name(), "maxGuests", r.maxGuests()))
                .toList()));
  }

  public static HotelState fromSnapshot(String json) {
    Fields f = new Fields(Json.parseObject(json), "hotel snapshot");
    return new HotelState(
        Boolean.TRUE.equals(f.map().get("registered")),
        f.optionalString("name"),
        f.optionalString("city"),
        f.list(
            "roomTypes",
            r -> new RoomType(r.string("code"), r.string("name"), r.integer("maxGuests"))));
  }
}
