package io.innkeeper.events.hotel.published;

import io.innkeeper.events.Fields;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.published.PublishedEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The hotel domain's published language: the facts a partner, a billing service or a channel
 * manager may follow on the event bus. These types are a public contract of their own: they depend
 * on nothing of the internal events ({@code io.innkeeper.events.hotel}), carry no internal field
 * (no snapshots, state rows, search keys or request ids), and change only by the rules in {@link
 * io.innkeeper.events.published.PublishedLanguage}. Their JSON Schemas are under {@code published/}
 * in this module's resources.
 */
public sealed interface HotelPublishedEvent extends PublishedEvent {

  /** {@code io.innkeeper.hotel.hotel.registered.v1}. */
  String HOTEL_REGISTERED = "io.innkeeper.hotel.hotel.registered.v1";

  /** {@code io.innkeeper.hotel.allotment.set.v1}. */
  String ALLOTMENT_SET = "io.innkeeper.hotel.allotment.set.v1";

  /** {@code io.innkeeper.hotel.reservation.placed.v1}. */
  String RESERVATION_PLACED = "io.innkeeper.hotel.reservation.placed.v1";

  /** {@code io.innkeeper.hotel.reservation.cancelled.v1}. */
  String RESERVATION_CANCELLED = "io.innkeeper.hotel.reservation.cancelled.v1";

  /** A hotel opened on Innkeeper, with the kinds of room it sells. */
  record HotelRegisteredV1(
      String hotelId, String name, String city, List<RoomType> roomTypes, Instant registeredAt)
      implements HotelPublishedEvent {
    public HotelRegisteredV1 {
      roomTypes = List.copyOf(roomTypes);
    }
  }

  /** A kind of room as published: its code, name and how many guests one room takes. */
  record RoomType(String code, String name, int maxGuests) {}

  /** The rooms on sale and the nightly rate were set for every night in [from, to). */
  record AllotmentSetV1(
      String hotelId,
      String roomType,
      LocalDate from,
      LocalDate to,
      int rooms,
      Money nightlyRate,
      Instant setAt)
      implements HotelPublishedEvent {}

  /** A guest booked a room for every night in [checkIn, checkOut) at {@code totalPrice}. */
  record ReservationPlacedV1(
      String reservationId,
      String guestId,
      String hotelId,
      String roomType,
      LocalDate checkIn,
      LocalDate checkOut,
      int guests,
      Money totalPrice,
      Instant bookedAt)
      implements HotelPublishedEvent {}

  /**
   * A reservation was cancelled and its nights given back; {@code reason} may be null. It names the
   * reservation, not the guest: a subscriber that needs the guest learnt it from the reservation's
   * {@code placed} event, which always comes first (same subject, lower sequence).
   */
  record ReservationCancelledV1(
      String reservationId,
      String hotelId,
      String roomType,
      LocalDate checkIn,
      LocalDate checkOut,
      String cancelledBy,
      String reason,
      Instant cancelledAt)
      implements HotelPublishedEvent {}

  /** Every published type of the hotel by stable name; building it fails while one is missing. */
  TypeRegistry<PublishedEvent> TYPES = types();

  private static TypeRegistry<PublishedEvent> types() {
    TypeRegistry.Builder<PublishedEvent> b =
        TypeRegistry.builder("published event", HotelPublishedEvent.class);
    b.add(
        HOTEL_REGISTERED,
        1,
        HotelRegisteredV1.class,
        f ->
            new HotelRegisteredV1(
                f.string("hotelId"),
                f.string("name"),
                f.string("city"),
                f.list(
                    "roomTypes",
                    r -> new RoomType(r.string("code"), r.string("name"), r.integer("maxGuests"))),
                f.instant("registeredAt")),
        e ->
            Json.obj(
                "hotelId", e.hotelId(),
                "name", e.name(),
                "city", e.city(),
                "roomTypes",
                    e.roomTypes().stream()
                        .map(
                            r ->
                                (Object)
                                    Json.obj(
                                        "code",
                                        r.code(),
                                        "name",
                                        r.name(),
                                        "maxGuests",
                                        r.maxGuests()))
                        .toList(),
                "registeredAt", e.registeredAt().toString()));
    b.add(
        ALLOTMENT_SET,
        1,
        AllotmentSetV1.class,
        f ->
            new AllotmentSetV1(
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
    b.add(
        RESERVATION_PLACED,
        1,
        ReservationPlacedV1.class,
        f ->
            new ReservationPlacedV1(
                f.string("reservationId"),
                f.string("guestId"),
                f.string("hotelId"),
                f.string("roomType"),
                f.date("checkIn"),
                f.date("checkOut"),
                f.integer("guests"),
                Money.read(f.object("totalPrice")),
                f.instant("bookedAt")),
        e ->
            Json.obj(
                "reservationId", e.reservationId(),
                "guestId", e.guestId(),
                "hotelId", e.hotelId(),
                "roomType", e.roomType(),
                "checkIn", e.checkIn().toString(),
                "checkOut", e.checkOut().toString(),
                "guests", e.guests(),
                "totalPrice", e.totalPrice().toJson(),
                "bookedAt", e.bookedAt().toString()));
    b.add(
        RESERVATION_CANCELLED,
        1,
        ReservationCancelledV1.class,
        HotelPublishedEvent::readCancelled,
        e ->
            Json.obj(
                "reservationId", e.reservationId(),
                "hotelId", e.hotelId(),
                "roomType", e.roomType(),
                "checkIn", e.checkIn().toString(),
                "checkOut", e.checkOut().toString(),
                "cancelledBy", e.cancelledBy(),
                "reason", e.reason(),
                "cancelledAt", e.cancelledAt().toString()));
    return b.build();
  }

  private static ReservationCancelledV1 readCancelled(Fields f) {
    return new ReservationCancelledV1(
        f.string("reservationId"),
        f.string("hotelId"),
        f.string("roomType"),
        f.date("checkIn"),
        f.date("checkOut"),
        f.string("cancelledBy"),
        f.optionalString("reason"),
        f.instant("cancelledAt"));
  }
}
