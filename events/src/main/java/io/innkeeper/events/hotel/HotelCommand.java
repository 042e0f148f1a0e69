package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.Money;
import java.time.LocalDate;
import java.util.List;

/** Commands of the hotel aggregate. */
public sealed interface HotelCommand extends DomainCommand {

  String hotelId();

  /** Register a new hotel; {@code hotelId} was chosen at intake. */
  record RegisterHotel(String hotelId, String name, String city, List<RoomType> roomTypes)
      implements HotelCommand {
    public RegisterHotel {
      roomTypes = List.copyOf(roomTypes);
    }
  }

  /** Put {@code rooms} rooms on sale at {@code nightlyRate} for every night in [from, to). */
  record SetAllotment(
      String hotelId, String roomType, LocalDate from, LocalDate to, int rooms, Money nightlyRate)
      implements HotelCommand {}
}
