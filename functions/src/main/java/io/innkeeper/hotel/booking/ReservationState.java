package io.innkeeper.hotel.booking;

import io.innkeeper.events.Fields;
import io.innkeeper.events.Json;
import java.time.LocalDate;

/** What deciding about a reservation needs: whose it is, which nights, and whether it stands. */
public record ReservationState(
    boolean exists,
    String guestId,
    String hotelId,
    String roomType,
    LocalDate checkIn,
    LocalDate checkOut,
    boolean cancelled) {

  public static final ReservationState NONE =
      new ReservationState(false, null, null, null, null, null, false);

  String toSnapshot() {
    return Json.write(
        Json.obj(
            "guestId", guestId,
            "hotelId", hotelId,
            "roomType", roomType,
            "checkIn", checkIn.toString(),
            "checkOut", checkOut.toString(),
            "cancelled", cancelled));
  }

  static ReservationState fromSnapshot(String json) {
    Fields f = new Fields(Json.parseObject(json), "reservation snapshot");
    return new ReservationState(
        true,
        f.string("guestId"),
        f.string("hotelId"),
        f.string("roomType"),
        f.date("checkIn"),
        f.date("checkOut"),
        f.bool("cancelled"));
  }
}
