package io.innkeeper.hotel.hotels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.command.CommandEnvelope;
import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.command.CommandQueue;
import io.innkeeper.core.command.CommandStatus;
import io.innkeeper.core.command.InMemoryCommandStatusStore;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.events.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegisterHotelEndpointTest {
  private static final Caller ADMIN = new Caller("ada", Set.of("admin"));
  private static final Caller GUEST = new Caller("gus", Set.of());
  private static final String VALID =
      "{\"name\":\"Seeblick\",\"city\":\"Zurich\",\"roomTypes\":[{\"code\":\"DBL\",\"name\":\"Double\",\"maxGuests\":2}]}";

  private final InMemoryCommandStatusStore statuses = new InMemoryCommandStatusStore();
  private final List<String> sent = new ArrayList<>();
  private final CommandQueue queue = (command, group) -> sent.add(group + " " + command.toJson());
  private final HttpRoutes routes =
      new HttpRoutes()
          .on(
              "POST /hotels",
              new RegisterHotelEndpoint(
                      new CommandIntake(
                          statuses,
                          queue,
                          Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC)))
                  ::handle);

  private ApiResponse post(Caller caller, String contentType, String body) {
    return routes.handle(
        new ApiRequest(
            "POST /hotels",
            contentType == null ? Map.of() : Map.of("Content-Type", contentType),
            Map.of(),
            Map.of(),
            body.getBytes(StandardCharsets.UTF_8),
            caller,
            "req-1"));
  }

  @Test
  void a_valid_registration_is_accepted_recorded_pending_and_enqueued_on_the_hotel_group() {
    ApiResponse r = post(ADMIN, "application/json", VALID);

    assertEquals(202, r.status());
    Map<String, Object> body = Json.parseObject(r.body());
    String commandId = (String) body.get("commandId");
    String hotelId = (String) body.get("hotelId");
    assertTrue(ApiRequest.ID.matcher(commandId).matches());
    assertTrue(ApiRequest.ID.matcher(hotelId).matches());
    assertEquals("/commands/" + commandId, r.headers().get("Location"));
    assertEquals(CommandStatus.State.PENDING, statuses.find(commandId).orElseThrow().status());
    assertEquals(1, sent.size());
    assertTrue(sent.get(0).startsWith("hotel#" + hotelId + " "));
    var envelope = CommandEnvelope.fromJson(sent.get(0).substring(sent.get(0).indexOf(' ') + 1));
    assertEquals("RegisterHotel", envelope.type());
    assertEquals("ada", envelope.callerId());
    assertEquals(hotelId, envelope.payload().get("hotelId"));
  }

  @Test
  void every_failing_field_is_listed_and_nothing_is_enqueued() {
    String body =
        "{\"name\":\"\",\"city\":7,\"extra\":true,\"roomTypes\":[{\"code\":\"dbl\",\"name\":\"D\",\"maxGuests\":2.0},"
            + "{\"code\":\"A\",\"name\":\"x\",\"maxGuests\":11},{\"code\":\"A\",\"name\":\"y\",\"maxGuests\":1,\"bed\":1}]}";

    ApiResponse r = post(ADMIN, "application/json", body);

    assertEquals(400, r.status());
    assertEquals("application/problem+json", r.headers().get("Content-Type"));
    Set<String> fields = fieldsOf(r);
    assertEquals(
        Set.of(
            "extra",
            "name",
            "city",
            "roomTypes[0].code",
            "roomTypes[0].maxGuests",
            "roomTypes[1].maxGuests",
            "roomTypes[2].code",
            "roomTypes[2].bed"),
        fields);
    assertTrue(sent.isEmpty());
  }

  @Test
  void missing_fields_and_empty_room_types_are_listed() {
    assertEquals(
        Set.of("name", "city", "roomTypes"), fieldsOf(post(ADMIN, "application/json", "{}")));
    assertEquals(
        Set.of("roomTypes"),
        fieldsOf(
            post(ADMIN, "application/json", "{\"name\":\"a\",\"city\":\"b\",\"roomTypes\":[]}")));
    assertTrue(sent.isEmpty());
  }

  @Test
  void a_guest_is_forbidden_and_an_anonymous_caller_unauthorized() {
    assertEquals(403, post(GUEST, "application/json", VALID).status());
    assertEquals(401, post(null, "application/json", VALID).status());
    assertTrue(sent.isEmpty());
  }

  @Test
  void bodies_that_are_not_json_too_large_or_malformed_are_refused_before_anything_happens() {
    assertEquals(415, post(ADMIN, "text/plain", VALID).status());
    assertEquals(415, post(ADMIN, null, VALID).status());
    assertEquals(413, post(ADMIN, "application/json", " ".repeat(64 * 1024 + 1)).status());
    assertEquals(400, post(ADMIN, "application/json", "{\"name\":").status());
    assertEquals(400, post(ADMIN, "application/json", "[1,2]").status());
    assertEquals(400, post(ADMIN, "application/json", "{\"name\":\"a\",\"name\":\"b\"}").status());
    assertEquals(202, post(ADMIN, "application/json; charset=utf-8", VALID).status());
    assertEquals(1, sent.size());
  }

  @SuppressWarnings("unchecked")
  private static Set<String> fieldsOf(ApiResponse r) {
    assertEquals(400, r.status(), r.body());
    List<Object> errors = (List<Object>) Json.parseObject(r.body()).get("errors");
    Set<String> fields = new java.util.HashSet<>();
    errors.forEach(e -> fields.add((String) ((Map<String, Object>) e).get("field")));
    return fields;
  }
}
