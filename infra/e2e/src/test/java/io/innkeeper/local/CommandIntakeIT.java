package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.hotelBody;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code Idempotency-Key} and {@code Prefer: wait=N} over HTTP on an embedded runtime of its own,
 * with the DynamoDB adapter's transaction and the whole pipeline behind the command-api.
 */
class CommandIntakeIT {
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static LocalRuntime runtime;
  private static Api api;

  @BeforeAll
  static void start() {
    runtime = SharedRuntime.get();
    api = new Api(runtime.apiUrl());
  }

  private static String adminToken() {
    return runtime.mintToken("it-admin", List.of("admin"));
  }

  @Test
  void the_same_key_and_body_twice_registers_one_hotel() {
    String admin = adminToken();
    String city = unique("Idemville");
    String key = unique("key");
    String body = hotelBody("Hotel Einmal", city, DBL_ONLY);

    Api.Answer first = post(admin, body, Map.of("Idempotency-Key", key));
    Api.Answer second = post(admin, body, Map.of("Idempotency-Key", key));

    assertEquals(202, first.status(), first.body());
    assertEquals(202, second.status(), second.body());
    String commandId = (String) first.json().get("commandId");
    String hotelId = (String) first.json().get("hotelId");
    assertEquals(commandId, second.json().get("commandId"));
    assertEquals(hotelId, second.json().get("hotelId"));
    assertEquals("/commands/" + commandId, second.header("Location"));

    Api.Answer status = api.awaitSettled(commandId, admin, SETTLE);
    assertEquals("SUCCEEDED", status.json().get("status"), status.body());
    Api.Answer byCity =
        api.await(
            "/hotels?city=" + city,
            null,
            a -> a.status() == 200 && !((List<?>) a.json().get("items")).isEmpty(),
            SETTLE);
    List<?> items = (List<?>) byCity.json().get("items");
    assertEquals(1, items.size(), byCity.body());
    assertEquals(hotelId, ((Map<?, ?>) items.get(0)).get("hotelId"));
    assertEquals(1, hotelRegisteredEvents(hotelId));

    // After the command settled, a third repeat still answers the same and sends nothing new.
    Api.Answer third = post(admin, body, Map.of("Idempotency-Key", key));
    assertEquals(first.body(), third.body());
    assertEquals(1, hotelRegisteredEvents(hotelId));
  }

  @Test
  void the_same_key_with_another_body_is_422() {
    String admin = adminToken();
    String key = unique("key");
    Api.Answer first =
        post(admin, hotelBody("A", unique("Aville"), DBL_ONLY), Map.of("Idempotency-Key", key));

    Api.Answer other =
        post(admin, hotelBody("B", unique("Bville"), DBL_ONLY), Map.of("Idempotency-Key", key));

    assertEquals(202, first.status(), first.body());
    assertEquals(422, other.status(), other.body());
    assertEquals("application/problem+json", other.header("Content-Type"));
    assertEquals(422, ((Number) other.json().get("status")).intValue());
  }

  @Test
  void an_invalid_key_is_400() {
    Api.Answer bad =
        post(
            adminToken(),
            hotelBody("C", unique("Cville"), DBL_ONLY),
            Map.of("Idempotency-Key", "not a key"));

    assertEquals(400, bad.status(), bad.body());
    assertEquals("application/problem+json", bad.header("Content-Type"));
  }

  @Test
  void concurrent_first_requests_with_one_key_make_one_command() {
    String admin = adminToken();
    String key = unique("race");
    String body = hotelBody("Hotel Wettlauf", unique("Raceville"), DBL_ONLY);
    List<CompletableFuture<Api.Answer>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(
          CompletableFuture.supplyAsync(() -> post(admin, body, Map.of("Idempotency-Key", key))));
    }

    List<Object> commandIds = new ArrayList<>();
    Set<Object> hotelIds = new java.util.HashSet<>();
    for (CompletableFuture<Api.Answer> call : calls) {
      Api.Answer a = call.join();
      assertEquals(202, a.status(), a.body());
      commandIds.add(a.json().get("commandId"));
      hotelIds.add(a.json().get("hotelId"));
    }
    assertEquals(1, Set.copyOf(commandIds).size(), commandIds.toString());
    assertEquals(1, hotelIds.size());
    String hotelId = (String) hotelIds.iterator().next();
    api.await(
        "/commands/" + commandIds.get(0),
        admin,
        a -> a.status() == 200 && "SUCCEEDED".equals(a.json().get("status")),
        SETTLE);
    assertEquals(1, hotelRegisteredEvents(hotelId));
  }

  @Test
  void prefer_wait_answers_200_with_the_final_status() {
    String admin = adminToken();

    Api.Answer r =
        post(
            admin,
            hotelBody("Hotel Gleich", unique("Waitville"), DBL_ONLY),
            Map.of("Prefer", "wait=5"));

    assertEquals(200, r.status(), r.body());
    assertEquals("SUCCEEDED", r.json().get("status"), r.body());
    assertEquals("RegisterHotel", r.json().get("type"));
    assertNotNull(r.json().get("consistencyToken"));
    assertEquals("wait=5", r.header("Preference-Applied"));
    assertEquals("/commands/" + r.json().get("commandId"), r.header("Location"));
  }

  private static long hotelRegisteredEvents(String hotelId) {
    try (DynamoDbClient ddb = LocalClients.dynamoDb(runtime)) {
      return ddb
          .query(
              b ->
                  b.tableName(runtime.tableName("events"))
                      .keyConditionExpression("pk = :pk")
                      .expressionAttributeValues(
                          Map.of(":pk", AttributeValue.fromS("hotel#" + hotelId)))
                      .consistentRead(true))
          .items()
          .stream()
          .filter(i -> i.containsKey("type") && "HotelRegistered".equals(i.get("type").s()))
          .count();
    }
  }

  private static Api.Answer post(String token, String body, Map<String, String> headers) {
    return api.post("/hotels", token, "application/json", body, headers);
  }
}
