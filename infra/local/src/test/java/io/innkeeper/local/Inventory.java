package io.innkeeper.local;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the write side's inventory rows straight from the events table: one item per hotel, room
 * type and month ({@code pk = inventory#<hotelId>#<roomType>#<YYYY-MM>}, {@code sk = 0}) with
 * {@code rDD} (rooms on sale), {@code bDD} (rooms booked), {@code pDD} (nightly rate amount) per
 * day of the month and {@code currency}.
 */
final class Inventory {
  private final DynamoDbClient ddb;
  private final String table;

  Inventory(DynamoDbClient ddb, String eventsTable) {
    this.ddb = ddb;
    this.table = eventsTable;
  }

  /**
   * One night as the row records it: {@code rooms} is null when the night has no allotment; {@code
   * booked} counts a missing {@code bDD} as 0; {@code rate} and {@code currency} may be null.
   */
  record Night(LocalDate date, Integer rooms, int booked, String rate, String currency) {}

  static String pk(String hotelId, String roomType, YearMonth month) {
    return "inventory#" + hotelId + "#" + roomType + "#" + month;
  }

  /** The month's row, read strongly consistently. */
  Optional<Map<String, AttributeValue>> row(String hotelId, String roomType, YearMonth month) {
    var item =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS(pk(hotelId, roomType, month)),
                                "sk", AttributeValue.fromN("0")))
                        .consistentRead(true))
            .item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  Night night(String hotelId, String roomType, LocalDate date) {
    Map<String, AttributeValue> row = row(hotelId, roomType, YearMonth.from(date)).orElse(Map.of());
    String dd = String.format("%02d", date.getDayOfMonth());
    AttributeValue r = row.get("r" + dd);
    AttributeValue b = row.get("b" + dd);
    AttributeValue p = row.get("p" + dd);
    AttributeValue c = row.getOrDefault("c" + dd, row.get("currency"));
    return new Night(
        date,
        r == null ? null : Integer.valueOf(r.n()),
        b == null ? 0 : Integer.parseInt(b.n()),
        p == null ? null : p.s(),
        c == null ? null : c.s());
  }

  /** The nights [from, to). */
  List<Night> nights(String hotelId, String roomType, LocalDate from, LocalDate to) {
    return from.datesUntil(to).map(d -> night(hotelId, roomType, d)).toList();
  }

  /**
   * Every inventory row of a hotel (all room types and months) by pk: a snapshot to compare before
   * and after a command that must change nothing.
   */
  Map<String, Map<String, AttributeValue>> rowsOf(String hotelId) {
    Map<String, Map<String, AttributeValue>> rows = new LinkedHashMap<>();
    ddb.scanPaginator(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .filterExpression("begins_with(pk, :prefix)")
                    .expressionAttributeValues(
                        Map.of(":prefix", AttributeValue.fromS("inventory#" + hotelId + "#"))))
        .items()
        .forEach(item -> rows.put(item.get("pk").s(), item));
    return rows;
  }
}
