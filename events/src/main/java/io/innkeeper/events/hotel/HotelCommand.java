package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainCommand;
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
}
