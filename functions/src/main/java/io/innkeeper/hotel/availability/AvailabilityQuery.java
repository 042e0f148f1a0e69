package io.innkeeper.hotel.availability;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.query.ConsistencyGate.Freshness;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.hotel.booking.BookRoomEndpoint;
import io.innkeeper.hotel.hotels.HotelQueries;
import io.innkeeper.hotel.inventory.NightLedger;
import io.innkeeper.hotel.inventory.NightLedger.Night;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /availability?city&checkIn&checkOut&guests} (public): every room type of the city's
 * hotels that takes that many guests and has a free room on every night of the stay, with the
 * fewest free rooms over the nights and the sum of the nightly rates. The stay is validated as a
 * booking's is, so what the search offers is what {@code POST /reservations} accepts.
 */
public final class AvailabilityQuery {
  private final RowStore store;
  private final String table;
  private final HotelQueries hotels;
  private final Clock clock;

  public AvailabilityQuery(RowStore store, String table, HotelQueries hotels, Clock clock) {
    this.store = store;
    this.table = table;
    this.hotels = hotels;
    this.clock = clock;
  }

  public ApiResponse search(ApiRequest request, Freshness freshness) {
    Map<String, Object> params = request.queryParameters();
    BodyReader r = new BodyReader();
    String city = r.string(params, "", "city", 1, 100);
    BodyReader.Nights stay =
        BookRoomEndpoint.stay(r, params, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    Integer guests = r.integerParam(params, "guests", 1, BookRoomEndpoint.MAX_GUESTS, null);
    if (guests == null && !params.containsKey("guests")) {
      r.fail("guests", "is required");
    }
    r.throwIfInvalid();
    boolean consistent = freshness.await();

    List<Map<String, Object>> inCity = hotels.inCity(city, consistent);
    // The room types that can take the guests, by hotel: their nights are read in one batch.
    Map<String, List<String>> wanted = new java.util.LinkedHashMap<>();
    for (Map<String, Object> hotel : inCity) {
      List<String> types = new ArrayList<>();
      for (Object t : (List<?>) hotel.get("roomTypes")) {
        Map<?, ?> type = (Map<?, ?>) t;
        if (((Number) type.get("maxGuests")).intValue() >= guests) {
          types.add((String) type.get("code"));
        }
      }
      wanted.put((String) hotel.get("hotelId"), types);
    }
    Map<String, Map<String, List<Night>>> nightsByHotel =
        NightLedger.nights(store, table, wanted, stay.start(), stay.end(), consistent);
    List<Object> items = new ArrayList<>();
    for (Map<String, Object> hotel : inCity) {
      String hotelId = (String) hotel.get("hotelId");
      Map<String, List<Night>> nights = nightsByHotel.get(hotelId);
      for (Object t : (List<?>) hotel.get("roomTypes")) {
        Map<?, ?> type = (Map<?, ?>) t;
        String code = (String) type.get("code");
        if (((Number) type.get("maxGuests")).intValue() < guests || !nights.containsKey(code)) {
          continue;
        }
        offer(nights.get(code))
            .ifPresent(
                o ->
                    items.add(
                        Json.obj(
                            "hotelId", hotelId,
                            "hotelName", hotel.get("name"),
                            "roomType", code,
                            "availableRooms", o.free(),
                            "totalPrice", o.total().toJson())));
      }
    }
    return ApiResponse.json(200, Json.obj("items", items));
  }

  private record Offer(long free, Money total) {}

  /** Empty unless every night is on sale with a free room, at rates of one currency. */
  private static java.util.Optional<Offer> offer(List<Night> nights) {
    long free = Long.MAX_VALUE;
    Money total = null;
    for (Night n : nights) {
      if (n.rooms() == null || n.rate() == null || n.rooms() - n.booked() < 1) {
        return java.util.Optional.empty();
      }
      if (total != null && !total.currency().equals(n.rate().currency())) {
        return java.util.Optional.empty(); // one price needs one currency, as a booking does
      }
      free = Math.min(free, n.rooms() - n.booked());
      total = total == null ? n.rate() : total.plus(n.rate());
    }
    return total == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(new Offer(free, total));
  }
}
