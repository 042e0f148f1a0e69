package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.events.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Measures projection lag on the embedded runtime: from the moment the command handler wrote an
 * event (its {@code occurredAt}) to the moment the projector's watermark shows it, which is when
 * every read model reflects it. Prints the figures; asserts only that every event arrives.
 */
class ProjectionLagIT {
  private static final int BOOKINGS = 100;

  @Test
  void every_booking_reaches_the_read_models_and_the_lag_is_printed() {
    LocalRuntime runtime = SharedRuntime.get();
    Api api = new Api(runtime.apiUrl());
    String admin = SharedRuntime.adminToken();
    String city = "Lag-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Answer hotel =
        api.postJson(
            "/hotels",
            admin,
            "{\"name\":\"Lag Inn\",\"city\":\""
                + city
                + "\",\"roomTypes\":[{\"code\":\"DBL\",\"name\":\"Double\",\"maxGuests\":2}]}");
    String hotelId = (String) hotel.json().get("hotelId");
    api.awaitSettled((String) hotel.json().get("commandId"), admin, Duration.ofSeconds(20));
    LocalDate from = LocalDate.now(ZoneOffset.UTC).plusDays(200);
    Api.Answer allot =
        api.postJson(
            "/hotels/" + hotelId + "/allotments",
            admin,
            Json.write(
                Json.obj(
                    "roomType", "DBL",
                    "from", from.toString(),
                    "to", from.plusDays(30).toString(),
                    "rooms", 1000,
                    "nightlyRate", Json.obj("amount", "90.00", "currency", "EUR"))));
    api.awaitSettled((String) allot.json().get("commandId"), admin, Duration.ofSeconds(20));

    List<Long> lags = new ArrayList<>();
    String guest = SharedRuntime.guestToken("lag-" + city);
    try (DynamoDbClient ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint())) {
      for (int i = 0; i < BOOKINGS; i++) {
        Api.Answer booked =
            api.post(
                "/reservations",
                guest,
                "application/json",
                Json.write(
                    Json.obj(
                        "hotelId",
                        hotelId,
                        "roomType",
                        "DBL",
                        "checkIn",
                        from.plusDays(i % 20).toString(),
                        "checkOut",
                        from.plusDays(i % 20 + 2).toString(),
                        "guests",
                        2)),
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
    var item =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .consistentRead(true)
                        .key(
                            Map.of(
                                "pk",
                                AttributeValue.fromS(stream),
                                "sk",
                                AttributeValue.fromN("1"))))
            .item();
    return Instant.parse(item.get("occurredAt").s());
  }

  /** Polls the watermark every 2 ms; the figure is good to a few milliseconds. */
  private static Instant awaitWatermark(DynamoDbClient ddb, String table, String stream) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      var item =
          ddb.getItem(
                  b ->
                      b.tableName(table)
                          .consistentRead(true)
                          .key(
                              Map.of(
                                  "pk", AttributeValue.fromS(stream),
                                  "sk", AttributeValue.fromS("projected"))))
              .item();
      if (item != null && !item.isEmpty()) {
        return Instant.now();
      }
      Backstage.sleep(2);
    }
    return Instant.now().plusSeconds(3600); // reported as a failure above
  }
}
