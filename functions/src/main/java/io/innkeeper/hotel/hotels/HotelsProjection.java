package io.innkeeper.hotel.hotels;

import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The hotels query table. Two rows per hotel, both on the base table so token-bound reads can be
 * strongly consistent: {@code pk = hotel#<id>, sk = hotel} for lookup by id, and {@code pk =
 * city#<city in lower case>, sk = <id>} for search by city. Each row keeps {@code v}, the hotel
 * stream version it reflects, and is only written forward.
 */
public final class HotelsProjection implements Projection {
  private final DynamoDbClient ddb;
  private final String table;

  public HotelsProjection(DynamoDbClient ddb, String table) {
    this.ddb = ddb;
    this.table = table;
  }

  public static String hotelKey(String hotelId) {
    return "hotel#" + hotelId;
  }

  public static String cityKey(String city) {
    return "city#" + city.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public String name() {
    return "hotels";
  }

  @Override
  public void apply(StoredEvent source, DomainEvent event) {
    if (event instanceof HotelRegistered e) {
      String doc = Json.write(HotelQueries.toApi(e.hotelId(), e.name(), e.city(), e.roomTypes()));
      writeForward(hotelKey(e.hotelId()), "hotel", doc, source.version());
      writeForward(cityKey(e.city()), e.hotelId(), doc, source.version());
    }
  }

  private void writeForward(String pk, String sk, String doc, long version) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk));
    item.put("sk", AttributeValue.fromS(sk));
    item.put("doc", AttributeValue.fromS(doc));
    item.put("v", AttributeValue.fromN(Long.toString(version)));
    try {
      ddb.putItem(
          b ->
              b.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(pk) OR v < :v")
                  .expressionAttributeValues(
                      Map.of(":v", AttributeValue.fromN(Long.toString(version)))));
    } catch (ConditionalCheckFailedException alreadyThereOrNewer) {
      // A duplicate or an older record: the row already reflects this version or a later one.
    }
  }
}
