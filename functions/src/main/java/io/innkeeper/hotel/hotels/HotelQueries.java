package io.innkeeper.hotel.hotels;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.Problem;
import io.innkeeper.core.query.ConsistencyGate.Freshness;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowStore.RowQuery;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.Cities;
import io.innkeeper.events.hotel.RoomType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /hotels?city=&limit=&cursor=} and {@code GET /hotels/{hotelId}}, from the hotels
 * table. The list is public, so one request reads one page and no more: the page's rows of the
 * city's partition (or of the partition listing every hotel), by hotel id, eventually consistent
 * unless a consistency token asks otherwise.
 */
public final class HotelQueries {
  static final int MAX_CITY = 100;

  private final RowStore store;
  private final String table;
  private final Cursors cursors;

  public HotelQueries(RowStore store, String table, Cursors cursors) {
    this.store = store;
    this.table = table;
    this.cursors = cursors;
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

  /** One page of hotels, of a city or of all, ordered by id. */
  public ApiResponse list(ApiRequest request, Freshness freshness) {
    Map<String, Object> params = request.queryParameters();
    BodyReader r = new BodyReader();
    String pk = HotelsProjection.ALL_PK;
    if (params.containsKey("city")) {
      String city = r.string(params, "", "city", 1, MAX_CITY);
      if (city != null) {
        pk = HotelsProjection.cityPk(Cities.key(city));
      }
    }
    Integer limit =
        r.integerParam(params, "limit", 1, Cursors.MAX_PAGE_SIZE, Cursors.DEFAULT_PAGE_SIZE);
    String scope = "hotels\u0000" + pk;
    String after = cursors.position(request, scope, r);
    r.throwIfInvalid();
    HotelPage page = page(pk, after, limit, freshness.await());
    Map<String, Object> body = Json.obj("items", new ArrayList<Object>(page.hotels()));
    if (page.last() != null) {
      body.put("nextCursor", cursors.encode(scope, page.last()));
    }
    return ApiResponse.json(200, body);
  }

  /**
   * Hotels of a partition after {@code afterId} (or from {@code fromId}, included), at most {@code
   * limit}, by id.
   *
   * @param last the id of the last hotel when more may follow, else {@code null}
   */
  record HotelPage(List<Map<String, Object>> hotels, String last) {}

  private HotelPage page(String pk, String afterId, int limit, boolean consistent) {
    // One row more than the page tells whether another page follows.
    RowStore.RowPage rows =
        store.query(new RowQuery(table, pk, "-", "~", false, limit + 1, afterId, consistent));
    List<Map<String, Object>> hotels = new ArrayList<>();
    for (Row row : rows.rows().subList(0, Math.min(limit, rows.rows().size()))) {
      hotels.add(Json.parseObject(row.string("doc").orElseThrow()));
    }
    boolean more = rows.rows().size() > limit;
    return new HotelPage(hotels, more ? rows.rows().get(limit - 1).key().sk() : null);
  }

  /**
   * The hotels of a city (matched by {@link Cities#key}) from {@code fromId} on (included, or from
   * the first when {@code null}), at most {@code limit} of them, by id; {@code more} when the city
   * may have hotels after them.
   */
  public CityHotels inCity(String city, String fromId, int limit, boolean consistent) {
    RowStore.RowPage rows =
        store.query(
            new RowQuery(
                table,
                HotelsProjection.cityPk(Cities.key(city)),
                fromId == null ? "-" : fromId,
                "~",
                false,
                limit,
                null,
                consistent));
    List<Map<String, Object>> hotels = new ArrayList<>();
    rows.rows().forEach(row -> hotels.add(Json.parseObject(row.string("doc").orElseThrow())));
    return new CityHotels(hotels, rows.more());
  }

  /** Hotels of a city, in id order, and whether more may follow. */
  public record CityHotels(List<Map<String, Object>> hotels, boolean more) {}

  /** One hotel as the API shows it. */
  public Optional<Map<String, Object>> find(String hotelId, boolean consistent) {
    return store
        .get(
            new RowKey(table, HotelsProjection.hotelPk(hotelId), HotelsProjection.HOTEL_SK),
            consistent)
        .map(row -> Json.parseObject(row.string("doc").orElseThrow()));
  }
}
