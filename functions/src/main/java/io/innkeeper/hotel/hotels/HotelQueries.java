package io.innkeeper.hotel.hotels;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.Problem;
import io.innkeeper.core.query.ConsistencyGate.Freshness;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowStore.RowQuery;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.Cities;
import io.innkeeper.events.hotel.RoomType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /hotels?city=} and {@code GET /hotels/{hotelId}}, from the hotels table. */
public final class HotelQueries {
  static final int MAX_CITY = 100;
  private static final int PAGE = 1000;

  private final RowStore store;
  private final String table;

  public HotelQueries(RowStore store, String table) {
    this.store = store;
    this.table = table;
  }

  /** The API representation of a hotel, also stored as the rows' {@code doc}. */
  static Map<String, Object> toApi(String hotelId, String name, String city, List<RoomType> types) {
    return Json.obj(
        "hotelId",
        hotelId,
        "name",
        name,
        "city",
        city,
        "roomTypes",
        types.stream()
            .map(
                r ->
                    (Object)
                        Json.obj("code", r.code(), "name", r.name(), "maxGuests", r.maxGuests()))
            .toList());
  }

  public ApiResponse get(ApiRequest request, Freshness freshness) {
    String hotelId = request.pathId("hotelId");
    return ApiResponse.json(
        200,
        find(hotelId, freshness.await())
            .orElseThrow(() -> Problem.notFound("No hotel " + hotelId + ".")));
  }

  public ApiResponse list(ApiRequest request, Freshness freshness) {
    List<Object> items = new ArrayList<>();
    var city = request.query("city");
    if (city.isPresent()) {
      BodyReader r = new BodyReader();
      r.string(request.queryParameters(), "", "city", 1, MAX_CITY);
      r.throwIfInvalid();
      items.addAll(inCity(city.get(), freshness.await()));
    } else {
      freshness.await(); // the scan reads strongly consistent in any case
      List<Map<String, Object>> all = new ArrayList<>();
      store.scan(
          table,
          row -> {
            // The by-id rows only: a city row's sort key is a hotel id, which could be "hotel".
            if (row.key().sk().equals(HotelsProjection.HOTEL_SK)
                && row.key().pk().startsWith(HotelsProjection.hotelPk(""))) {
              all.add(Json.parseObject(row.string("doc").orElseThrow()));
            }
          });
      all.sort(Comparator.comparing(h -> (String) h.get("hotelId")));
      items.addAll(all);
    }
    return ApiResponse.json(200, Json.obj("items", items));
  }

  /** One hotel as the API shows it. */
  public Optional<Map<String, Object>> find(String hotelId, boolean consistent) {
    return store
        .get(
            new RowKey(table, HotelsProjection.hotelPk(hotelId), HotelsProjection.HOTEL_SK),
            consistent)
        .map(row -> Json.parseObject(row.string("doc").orElseThrow()));
  }

  /** The hotels of a city (matched by {@link Cities#key}), ordered by id. */
  public List<Map<String, Object>> inCity(String city, boolean consistent) {
    String pk = HotelsProjection.cityPk(Cities.key(city));
    List<Map<String, Object>> hotels = new ArrayList<>();
    String after = null;
    RowStore.RowPage page;
    do {
      page = store.query(new RowQuery(table, pk, "-", "~", false, PAGE, after, consistent));
      page.rows().forEach(row -> hotels.add(Json.parseObject(row.string("doc").orElseThrow())));
      after = page.rows().isEmpty() ? null : page.rows().get(page.rows().size() - 1).key().sk();
    } while (page.more() && after != null);
    return hotels;
  }
}
