package io.innkeeper.hotel.hotels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.RoomType;
import io.innkeeper.hotel.CommandEndpointFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegisterHotelEndpointTest {
  private static final Caller ADMIN = CommandEndpointFixture.ADMIN;
  private static final Caller GUEST = CommandEndpointFixture.GUEST;
  private static final String VALID =
      "{\"name\":\"Seeblick\",\"city\":\"Zurich\",\"roomTypes\":[{\"code\":\"DBL\",\"name\":\"Double\",\"maxGuests\":2}]}";

  private final CommandEndpointFixture fixture =
      new CommandEndpointFixture(
          "POST /hotels",
          Instant.parse("2026-11-23T10:00:00Z"),
          intake -> new RegisterHotelEndpoint(intake)::handle);
  private final List<CommandEndpointFixture.Sent> sent = fixture.sent;

  private ApiResponse post(Caller caller, String contentType, String body) {
    return fixture.post(caller, contentType, body);
  }

  @Test
  void a_valid_registration_is_accepted_recorded_pending_and_enqueued_on_the_hotel_group() {
    ApiResponse r = post(ADMIN, "application/json", VALID);

    Map<String, Object> body = fixture.accepted(r);
    String hotelId = (String) body.get("hotelId");
    assertTrue(ApiRequest.ID.matcher(hotelId).matches());
    assertEquals(Set.of("commandId", "hotelId"), body.keySet());
    var envelope = fixture.onlyMessage("hotel#" + hotelId);
    assertEquals("RegisterHotel", envelope.type());
    assertEquals("ada", envelope.callerId());
    assertEquals(
        new RegisterHotel(hotelId, "Seeblick", "Zurich", List.of(new RoomType("DBL", "Double", 2))),
        CommandEndpointFixture.command(envelope));
  }

  @Test
  void every_failing_field_is_listed_and_nothing_is_enqueued() {
    String body =
        "{\"name\":\"\",\"city\":7,\"extra\":true,\"roomTypes\":[{\"code\":\"dbl\",\"name\":\"D\",\"maxGuests\":2.0},"
            + "{\"code\":\"A\",\"name\":\"x\",\"maxGuests\":11},{\"code\":\"A\",\"name\":\"y\",\"maxGuests\":1,\"bed\":1}]}";

    ApiResponse r = post(ADMIN, "application/json", body);

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

  private static Set<String> fieldsOf(ApiResponse r) {
    return CommandEndpointFixture.fieldsOf(r);
  }
}
