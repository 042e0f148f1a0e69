package io.innkeeper.hotel.occupancy;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.Problem;
import io.innkeeper.core.query.ConsistencyGate.Freshness;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.events.Json;
import io.innkeeper.hotel.hotels.HotelQueries;
import io.innkeeper.hotel.inventory.NightLedger;
import io.innkeeper.hotel.inventory.NightLedger.Night;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /hotels/{hotelId}/occupancy?from&to} (admins): rooms on sale and booked for every
 * night in [from, to) and every room type of the hotel, night by night; a night without an
 * allotment shows 0 rooms.
 */
public final class OccupancyQuery {
  /** The same bound as an allotment: a year and a day. */
  static final int MAX_NIGHTS = 366;

  private final RowStore store;
  private final String table;
  private final HotelQueries hotels;

  public OccupancyQuery(RowStore store, String table, HotelQueries hotels) {
    this.store = store;
    this.table = table;
    this.hotels = hotels;
  }

  public ApiResponse get(ApiRequest request, Freshness freshness) {
    if (!request.caller().isAdmin()) {
      throw Problem.forbidden("Occupancy is for admins.");
    }
    Map<String, Object> params = request.queryParameters();
    BodyReader r = new BodyReader();
    String hotelId = r.pathId(request, "hotelId");
    BodyReader.Nights range = r.nights(params, "from", "to", MAX_NIGHTS);
    r.throwIfInvalid();
    LocalDate from = range.start();
    LocalDate to = range.end();
    boolean consistent = freshness.await();
    Map<String, Object> hotel =
        hotels
            .find(hotelId, consistent)
            .orElseThrow(() -> Problem.notFound("No hotel " + hotelId + "."));
    Map<String, List<Night>> byType =
        NightLedger.nights(store, table, hotelId, from, to, consistent);
    List<String> codes = new ArrayList<>();
    for (Object t : (List<?>) hotel.get("roomTypes")) {
      codes.add((String) ((Map<?, ?>) t).get("code"));
    }
    List<Object> nights = new ArrayList<>();
    for (int i = 0; i < ChronoUnit.DAYS.between(from, to); i++) {
      LocalDate date = from.plusDays(i);
      for (String code : codes) {
        List<Night> typeNights = byType.get(code);
        Night n = typeNights == null ? null : typeNights.get(i);
        nights.add(
            Json.obj(
                "date",
                date.toString(),
                "roomType",
                code,
                "rooms",
                n == null || n.rooms() == null ? 0L : n.rooms(),
                "booked",
                n == null ? 0L : n.booked()));
      }
    }
    return ApiResponse.json(200, Json.obj("nights", nights));
  }
}
