package io.innkeeper.hotel.hotels;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.Problem;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.RoomType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code GET /hotels?city=} and {@code GET /hotels/{hotelId}}, from the hotels query table. */
public final class HotelQueries {
  private static final int MAX_CITY = 100;

  private final DynamoDbClient ddb;
  private final String table;

  public HotelQueries(DynamoDbClient ddb, String table) {
    this.ddb = ddb;
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

  public ApiResponse get(ApiRequest request) {
    String hotelId = request.pathId("hotelId");
    var item =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS(HotelsProjection.hotelKey(hotelId)),
                                "sk", AttributeValue.fromS("hotel"))))
            .item();
    if (item == null || item.isEmpty()) {
      throw Problem.notFound("No hotel " + hotelId + ".");
    }
    return ApiResponse.json(200, Json.parseObject(item.get("doc").s()));
  }

  public ApiResponse list(ApiRequest request) {
    List<Object> items = new ArrayList<>();
    var city = request.query("city");
    if (city.isPresent()) {
      BodyReader r = new BodyReader();
      r.string(Map.of("city", city.get()), "", "city", 1, MAX_CITY);
      r.throwIfInvalid();
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        var page =
            ddb.query(
                b ->
                    b.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                            Map.of(
                                ":pk", AttributeValue.fromS(HotelsProjection.cityKey(city.get()))))
                        .exclusiveStartKey(from));
        page.items().forEach(i -> items.add(Json.parseObject(i.get("doc").s())));
        start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
      } while (start != null && !start.isEmpty());
    } else {
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":sk", AttributeValue.fromS("hotel"));
        var page =
            ddb.scan(
                b ->
                    b.tableName(table)
                        .filterExpression("sk = :sk")
                        .expressionAttributeValues(values)
                        .exclusiveStartKey(from));
        page.items().forEach(i -> items.add(Json.parseObject(i.get("doc").s())));
        start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
      } while (start != null && !start.isEmpty());
    }
    return ApiResponse.json(200, Json.obj("items", items));
  }
}
