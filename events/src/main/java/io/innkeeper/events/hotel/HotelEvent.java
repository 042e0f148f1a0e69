package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Events of the hotel aggregate (stream {@code hotel#<hotelId>}). */
public sealed interface HotelEvent extends DomainEvent {

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
}
