package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_AND_FAM;
import static io.innkeeper.local.Commands.hotelBody;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hotel slice end to end over HTTP on the embedded runtime: POST /hotels -> command-api -> SQS
 * FIFO -> command-handler -> events table -> stream -> projector -> hotels table -> query-api.
 */
class HotelSliceIT {
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static Api api;
  private static LocalRuntime runtime;
  private static Backstage backstage;

  @BeforeAll
  static void start() {
    runtime = SharedRuntime.get();
    api = new Api(runtime.apiUrl());
    backstage = new Backstage(runtime);
  }

  @AfterAll
  static void closeClients() {
    backstage.close();
  }

  @Test
  void an_admin_registers_a_hotel_and_it_becomes_visible_to_everyone() {
    String admin = SharedRuntime.adminToken();
    String city = unique("Testville");

    Api.Answer accepted =
        api.postJson("/hotels", admin, hotelBody("Hotel Seeblick", city, DBL_AND_FAM));

    assertEquals(202, accepted.status(), accepted.body());
    String commandId = (String) accepted.json().get("commandId");
    String hotelId = (String) accepted.json().get("hotelId");
    assertNotNull(commandId);
    assertNotNull(hotelId);
    assertEquals("/commands/" + commandId, accepted.header("Location"));

    Api.Answer status = api.awaitSettled(commandId, admin, SETTLE);
    assertEquals("SUCCEEDED", status.json().get("status"), status.body());
    assertEquals("RegisterHotel", status.json().get("type"));
    assertNotNull(status.json().get("consistencyToken"));
    assertNotNull(status.json().get("completedAt"));

    // Public: no token needed to read it once projected.
    Api.Answer hotel = api.await("/hotels/" + hotelId, null, a -> a.status() == 200, SETTLE);
    Map<String, Object> h = hotel.json();
    assertEquals(hotelId, h.get("hotelId"));
    assertEquals("Hotel Seeblick", h.get("name"));
    assertEquals(city, h.get("city"));
    assertEquals(
        List.of(
            Map.of("code", "DBL", "name", "Double room", "maxGuests", 2),
            Map.of("code", "FAM", "name", "Family room", "maxGuests", 4)),
        h.get("roomTypes"));

    Api.Answer byCity = api.get("/hotels?city=" + city.toUpperCase(java.util.Locale.ROOT), null);
    assertEquals(200, byCity.status());
    assertEquals(List.of(h), byCity.json().get("items"));
  }

  @Test
  void an_invalid_registration_is_a_400_listing_every_field_and_changes_nothing() {
    long commandsBefore = backstage.quietCommandCount(SETTLE);
    String body =
        "{\"name\":\"\",\"roomTypes\":[{\"code\":\"bad code\",\"name\":\"x\",\"maxGuests\":0}]}";

    Api.Answer r = api.postJson("/hotels", SharedRuntime.adminToken(), body);

    assertEquals(400, r.status());
    assertEquals("application/problem+json", r.header("Content-Type"));
    assertEquals(400, ((Number) r.json().get("status")).intValue());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> errors = (List<Map<String, Object>>) r.json().get("errors");
    assertEquals(
        java.util.Set.of("name", "city", "roomTypes[0].code", "roomTypes[0].maxGuests"),
        errors.stream().map(e -> e.get("field")).collect(java.util.stream.Collectors.toSet()));
    backstage.assertNothingEnqueued(commandsBefore);
  }

  @Test
  void without_a_valid_token_commands_are_401_and_change_nothing() {
    long commandsBefore = backstage.quietCommandCount(SETTLE);

    Api.Answer none = api.postJson("/hotels", null, hotelBody("X", "Y", DBL_AND_FAM));
    Api.Answer garbage = api.postJson("/hotels", "not-a-jwt", hotelBody("X", "Y", DBL_AND_FAM));

    for (Api.Answer a : List.of(none, garbage)) {
      // The JWT authorizer's answer, as API Gateway gives it.
      assertEquals(401, a.status(), a.body());
      assertEquals("{\"message\":\"Unauthorized\"}", a.body());
      assertEquals(null, a.header("Content-Type"));
    }
    assertEquals(401, api.get("/commands/01ABC", null).status());
    backstage.assertNothingEnqueued(commandsBefore);
  }

  @Test
  void a_guest_may_not_register_hotels_nor_read_someone_elses_command() {
    long commandsBefore = backstage.quietCommandCount(SETTLE);

    Api.Answer forbidden =
        api.postJson("/hotels", SharedRuntime.guestToken("gus"), hotelBody("X", "Y", DBL_AND_FAM));

    assertEquals(403, forbidden.status(), forbidden.body());
    assertEquals("application/problem+json", forbidden.header("Content-Type"));
    backstage.assertNothingEnqueued(commandsBefore);

    Api.Answer accepted =
        api.postJson("/hotels", SharedRuntime.adminToken(), hotelBody("Z", "Zed", DBL_AND_FAM));
    String path = "/commands/" + accepted.json().get("commandId");
    assertEquals(404, api.get(path, SharedRuntime.guestToken("gus")).status());
    assertEquals(200, api.get(path, SharedRuntime.adminToken()).status());
  }

  @Test
  void unknown_hotels_are_404_and_malformed_ids_are_400() {
    assertEquals(404, api.get("/hotels/01NOSUCHHOTEL", null).status());
    Api.Answer bad = api.get("/hotels/bad.id", null);
    assertEquals(400, bad.status(), bad.body());
    assertEquals("application/problem+json", bad.header("Content-Type"));
  }
}
