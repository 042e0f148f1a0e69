package io.innkeeper.events.hotel;

import io.innkeeper.events.Fields;
import io.innkeeper.events.Json;
import java.util.Map;

/**
 * A kind of room a hotel sells.
 *
 * @param code short stable code, {@code ^[A-Z0-9_]{1,16}$}
 * @param name display name
 * @param maxGuests how many guests one room takes
 */
public record RoomType(String code, String name, int maxGuests) {

  static RoomType read(Fields f) {
    return new RoomType(f.string("code"), f.string("name"), f.integer("maxGuests"));
  }

  Map<String, Object> write() {
    return Json.obj("code", code, "name", name, "maxGuests", maxGuests);
  }
}
