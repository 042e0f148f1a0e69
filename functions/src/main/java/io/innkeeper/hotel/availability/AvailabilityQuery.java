package io.innkeeper.hotel.availability;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.query.ConsistencyGate.Freshness;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.Cities;
import io.innkeeper.hotel.booking.BookRoomEndpoint;
import io.innkeeper.hotel.hotels.HotelQueries;
import io.innkeeper.hotel.inventory.NightLedger;
import io.innkeeper.hotel.inventory.NightLedger.Night;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /availability?city&checkIn&checkOut&guests&limit&cursor} (public): every room type of
 * the city's hotels that takes that many guests and has a free room on every night of the stay,
 * with the fewest free rooms over the nights and the sum of the nightly rates. The stay is
 * validated as a booking's is, so what the search offers is what {@code POST /reservations}
 * accepts.
 *
 * <p>It pages through the city's room types in order (hotel id, then the hotel's own order of room
 * types) and one request examines at most {@code limit} of those that take the guests: it reads one
 * page of the city's hotels and those room types' nights, never the whole city. A page therefore
 * holds at most {@code limit} offers and can hold fewer, even none, when room types on it are sold
 * out; {@code nextCursor} is present as long as room types remain to be examined.
 */
public final class AvailabilityQuery {
  /** A cursor's position: the last room type examined, {@code <hotelId>/<code>}. */
  private static final Pattern POSITION =
      Pattern.compile("^([A-Za-z0-9_-]{1,64})/([A-Z0-9_]{1,16})$");

  private final RowStore store;
  private final String table;
  private final HotelQueries hotels;
  private final Cursors cursors;
  private final Clock clock;

  public AvailabilityQuery(
      RowStore store, String table, HotelQueries hotels, Cursors cursors, Clock clock) {
    this.store = store;
    this.table = table;
    this.hotels = hotels;
    this.cursors = cursors;
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
    Integer limit =
        r.integerParam(params, "limit", 1, Cursors.MAX_PAGE_SIZE, Cursors.DEFAULT_PAGE_SIZE);
    String scope = "availability\u0000" + (city == null ? "" : Cities.key(city));
    String after = cursors.position(request, scope, r);
    String afterHotel = null;
    String afterCode = null;
    if (after != null) {
      var m = POSITION.matcher(after);
      if (m.matches()) {
        afterHotel = m.group(1);
        afterCode = m.group(2);
      } else {
        r.fail("cursor", "is not a cursor this API handed out for this list");
      }
    }
    r.throwIfInvalid();
    boolean consistent = freshness.await();

    // One hotel more than the page can take: a hotel whose room types all come after the cursor,
    // or take fewer guests, adds nothing, and the page still ends within one page's worth of rows.
    HotelQueries.CityHotels page = hotels.inCity(city, afterHotel, limit + 1, consistent);
    List<Candidate> candidates = new ArrayList<>();
    String lastExamined = null;
    boolean stoppedEarly = false;
    for (Map<String, Object> hotel : page.hotels()) {
      String hotelId = (String) hotel.get("hotelId");
      List<?> types = (List<?>) hotel.get("roomTypes");
      int start = 0;
      if (hotelId.equals(afterHotel)) {
        start = indexOf(types, afterCode) + 1;
      }
      for (int i = start; i < types.size(); i++) {
        if (candidates.size() == limit) {
          stoppedEarly = true;
          break;
        }
        Map<?, ?> type = (Map<?, ?>) types.get(i);
        String code = (String) type.get("code");
        lastExamined = hotelId + "/" + code;
        if (((Number) type.get("maxGuests")).intValue() >= guests) {
          candidates.add(new Candidate(hotelId, (String) hotel.get("name"), code));
        }
      }
      if (stoppedEarly) {
        break;
      }
    }

    Map<String, List<String>> wanted = new LinkedHashMap<>();
    candidates.forEach(
        c -> wanted.computeIfAbsent(c.hotelId(), h -> new ArrayList<>()).add(c.code()));
    Map<String, Map<String, List<Night>>> nightsByHotel =
        NightLedger.nights(store, table, wanted, stay.start(), stay.end(), consistent);
    List<Object> items = new ArrayList<>();
    for (Candidate c : candidates) {
      Map<String, List<Night>> nights = nightsByHotel.get(c.hotelId());
      if (nights == null || !nights.containsKey(c.code())) {
        continue;
      }
      offer(nights.get(c.code()))
          .ifPresent(
              o ->
                  items.add(
                      Json.obj(
                          "hotelId", c.hotelId(),
                          "hotelName", c.hotelName(),
                          "roomType", c.code(),
                          "availableRooms", o.free(),
                          "totalPrice", o.total().toJson())));
    }
    Map<String, Object> body = Json.obj("items", items);
    if ((stoppedEarly || page.more()) && lastExamined != null) {
      body.put("nextCursor", cursors.encode(scope, lastExamined));
    }
    return ApiResponse.json(200, body);
  }

  /** A room type that takes the guests, to be priced from its nights. */
  private record Candidate(String hotelId, String hotelName, String code) {}

  /** The index of room type {@code code} in a hotel's list; -1 when it has none of that code. */
  private static int indexOf(List<?> types, String code) {
    for (int i = 0; i < types.size(); i++) {
      if (code.equals(((Map<?, ?>) types.get(i)).get("code"))) {
        return i;
      }
    }
    return -1;
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
