package io.innkeeper.local;

import static io.innkeeper.local.Commands.bookingBody;
import static io.innkeeper.local.Commands.roomType;
import static io.innkeeper.local.Commands.roomTypes;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.ops.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Measures projection lag on the embedded runtime: from the moment the command handler wrote an
 * event (its {@code occurredAt}) to the moment the projector's watermark shows it, which is when
 * every read model reflects it. Prints the figures; asserts only that every event arrives.
 */
class ProjectionLagIT {
  private static final int BOOKINGS = 40;

  @Test
  void every_booking_reaches_the_read_models_and_the_lag_is_printed() {
    LocalRuntime runtime = SharedRuntime.get();
    Commands commands = new Commands(new Api(runtime.apiUrl()), Duration.ofSeconds(20));
    String city = unique("Lag");
    Api.Answer hotel =
        commands.registerHotel("Lag Inn", city, roomTypes(roomType("DBL", "Double", 2)));
    String hotelId = (String) hotel.json().get("hotelId");
    commands.settled((String) hotel.json().get("commandId"));
    LocalDate from = today().plusDays(200);
    Api.Answer allot =
        commands.setAllotment(hotelId, "DBL", from, from.plusDays(30), 1000, "90.00");
    commands.settled((String) allot.json().get("commandId"));

    List<Long> lags = new ArrayList<>();
    String guest = SharedRuntime.guestToken("lag-" + city);
    try (DynamoDbClient ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint())) {
      for (int i = 0; i < BOOKINGS; i++) {
        Api.Answer booked =
            commands.book(
                guest,
                bookingBody(hotelId, "DBL", from.plusDays(i % 20), from.plusDays(i % 20 + 2), 2),
                Map.of("Prefer", "wait=10"));
        assertEquals(200, booked.status(), booked.body());
        assertEquals("SUCCEEDED", booked.json().get("status"), booked.body());
        // The token names the stream and version the booking wrote.
        String stream =
            ConsistencyToken.parse((String) booked.json().get("consistencyToken"))
                .orElseThrow()
                .streamId();
        Instant written = occurredAt(ddb, runtime.tableName("events"), stream);
        Instant projected = awaitWatermark(ddb, runtime.tableName("watermarks"), stream);
        lags.add(Math.max(0, Duration.between(written, projected).toMillis()));
      }
    }
    Collections.sort(lags);
    assertEquals(BOOKINGS, lags.size());
    assertTrue(lags.get(lags.size() - 1) < 10_000, "every event projected: " + lags);
    System.out.printf(
        "projection lag (event written -> every read model), %d bookings one after another:"
            + " p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
        BOOKINGS,
        lags.get(BOOKINGS / 2),
        lags.get(BOOKINGS * 95 / 100),
        lags.get(BOOKINGS * 99 / 100),
        lags.get(BOOKINGS - 1));
  }

  private static Instant occurredAt(DynamoDbClient ddb, String table, String stream) {
    var item = item(ddb, table, stream, AttributeValue.fromN("1"));
    return Instant.parse(item.get("occurredAt").s());
  }

  /** Polls the watermark every 2 ms; the figure is good to a few milliseconds. */
  private static Instant awaitWatermark(DynamoDbClient ddb, String table, String stream) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      var item = item(ddb, table, stream, AttributeValue.fromS("projected"));
      if (item != null && !item.isEmpty()) {
        return Instant.now();
      }
      Backstage.sleep(2);
    }
    return Instant.now().plusSeconds(3600); // reported as a failure above
  }

  /** One item by its key, strongly consistent; empty or null when there is none. */
  private static Map<String, AttributeValue> item(
      DynamoDbClient ddb, String table, String pk, AttributeValue sk) {
    return ddb.getItem(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(pk), "sk", sk)))
        .item();
  }
}
