package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.events.hotel.published.HotelPublishedEvent;
import io.innkeeper.events.hotel.published.HotelPublishedEvent.AllotmentSetV1;
import io.innkeeper.events.hotel.published.HotelPublishedEvent.HotelRegisteredV1;
import io.innkeeper.events.hotel.published.HotelPublishedEvent.ReservationCancelledV1;
import io.innkeeper.events.hotel.published.HotelPublishedEvent.ReservationPlacedV1;
import io.innkeeper.events.published.PublishedEvent;
import io.innkeeper.events.published.PublishedLanguage;
import java.util.Optional;

/**
 * What each internal event of the hotel publishes on the event bus. The switch is exhaustive over
 * the sealed root without a {@code default}: a new internal event is a compile error here until it
 * is decided whether it publishes something or, explicitly, nothing.
 */
public final class HotelPublishing {
  private HotelPublishing() {}

  /** The hotel's published language: its types and this mapping. */
  public static final PublishedLanguage LANGUAGE =
      new PublishedLanguage(HotelPublishedEvent.TYPES, HotelPublishing::publish);

  /** The published event of an internal event, or empty for one that publishes nothing. */
  public static Optional<PublishedEvent> publish(DomainEvent event) {
    if (!(event instanceof HotelDomainEvent hotel)) {
      throw new IllegalArgumentException("not a hotel event: " + event.getClass().getName());
    }
    // Every hotel event is a fact partners care about today; one that is not answers
    // Optional.empty() here, explicitly.
    return switch (hotel) {
      case HotelRegistered e ->
          Optional.of(
              new HotelRegisteredV1(
                  e.hotelId(),
                  e.name(),
                  e.city(),
                  e.roomTypes().stream()
                      .map(r -> new HotelPublishedEvent.RoomType(r.code(), r.name(), r.maxGuests()))
                      .toList(),
                  e.registeredAt()));
      case AllotmentSet e ->
          Optional.of(
              new AllotmentSetV1(
                  e.hotelId(),
                  e.roomType(),
                  e.from(),
                  e.to(),
                  e.rooms(),
                  e.nightlyRate(),
                  e.setAt()));
      case ReservationPlaced e ->
          Optional.of(
              new ReservationPlacedV1(
                  e.reservationId(),
                  e.guestId(),
                  e.hotelId(),
                  e.roomType(),
                  e.checkIn(),
                  e.checkOut(),
                  e.guests(),
                  e.totalPrice(),
                  e.bookedAt()));
      case ReservationCancelled e ->
          Optional.of(
              new ReservationCancelledV1(
                  e.reservationId(),
                  e.hotelId(),
                  e.roomType(),
                  e.checkIn(),
                  e.checkOut(),
                  e.cancelledBy(),
                  e.reason(),
                  e.cancelledAt()));
    };
  }
}
