package io.innkeeper.hotel.booking;

import static io.innkeeper.hotel.CommandEndpointFixture.ADMIN;
import static io.innkeeper.hotel.CommandEndpointFixture.GUEST;
import static io.innkeeper.hotel.CommandEndpointFixture.JSON;
import static io.innkeeper.hotel.CommandEndpointFixture.fieldsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.events.hotel.ReservationCommand.BookRoom;
import io.innkeeper.hotel.CommandEndpointFixture;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BookRoomEndpointTest {
  /** Today is 2026-11-23 in UTC. */
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private static final String VALID =
      "{\"hotelId\":\"h1\",\"roomType\":\"DBL\",\"checkIn\":\"2026-11-23\","
          + "\"checkOut\":\"2026-11-25\",\"guests\":2}";

  private final CommandEndpointFixture fixture = fixture(NOW);

  private static CommandEndpointFixture fixture(Instant now) {
    return new CommandEndpointFixture(
        "POST /reservations", now, intake -> new BookRoomEndpoint(intake)::handle);
  }

  private ApiResponse post(Caller caller, String contentType, String body) {
    return fixture.post(caller, contentType, body);
  }

  private ApiResponse post(String body) {
    return post(GUEST, JSON, body);
  }

  private static String stay(String checkIn, String checkOut) {
    return "{\"hotelId\":\"h1\",\"roomType\":\"DBL\",\"checkIn\":\""
        + checkIn
        + "\",\"checkOut\":\""
        + checkOut
        + "\",\"guests\":2}";
  }

  @Test
  void a_valid_booking_is_accepted_with_a_new_reservation_id_for_the_caller() {
    Map<String, Object> body = fixture.accepted(post(VALID));

    assertEquals(Set.of("commandId", "reservationId"), body.keySet());
    String reservationId = (String) body.get("reservationId");
    assertTrue(ApiRequest.ID.matcher(reservationId).matches());
    assertNotEquals(body.get("commandId"), reservationId);
    var envelope = fixture.onlyMessage("inventory#h1#DBL");
    assertEquals("BookRoom", envelope.type());
    assertEquals("gus", envelope.callerId());
    assertEquals(
        new BookRoom(
            reservationId,
            "gus",
            "h1",
            "DBL",
            LocalDate.parse("2026-11-23"),
            LocalDate.parse("2026-11-25"),
            2),
        CommandEndpointFixture.command(envelope));
  }

  @Test
  void the_bounds_themselves_are_accepted_and_admins_book_as_themselves() {
    fixture.accepted(post(stay("2026-11-23", "2026-12-23"))); // 30 nights
    fixture.accepted(post(VALID.replace("\"guests\":2", "\"guests\":10")));
    fixture.accepted(post(VALID.replace("\"guests\":2", "\"guests\":1")));
    fixture.accepted(post(ADMIN, JSON, VALID));
    assertEquals(4, fixture.sent.size());
    assertEquals(
        "ada",
        ((BookRoom) CommandEndpointFixture.command(fixture.sent.get(3).envelope())).guestId());
  }

  @Test
  void every_failing_field_is_listed_and_nothing_is_enqueued() {
    // Yesterday, and 31 nights after it.
    String body =
        "{\"hotelId\":\"h 1\",\"roomType\":\"dbl\",\"checkIn\":\"2026-11-22\","
            + "\"checkOut\":\"2026-12-23\",\"guests\":0,\"extra\":true}";

    assertEquals(
        Set.of("hotelId", "roomType", "checkIn", "checkOut", "guests", "extra"),
        fieldsOf(post(body)));
    assertEquals(
        Set.of("hotelId", "checkIn", "checkOut", "guests"),
        fieldsOf(
            post(
                "{\"hotelId\":\""
                    + "h".repeat(65)
                    + "\",\"roomType\":\"DBL\",\"checkIn\":\"2026-02-30\","
                    + "\"checkOut\":\"2026-12-1\",\"guests\":11}")));
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void the_stay_must_hold_one_to_30_nights() {
    assertEquals(Set.of("checkOut"), fieldsOf(post(stay("2026-12-01", "2026-12-01"))));
    assertEquals(Set.of("checkOut"), fieldsOf(post(stay("2026-12-02", "2026-12-01"))));
    assertEquals(Set.of("checkOut"), fieldsOf(post(stay("2026-11-23", "2026-12-24")))); // 31 nights
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void guests_must_be_a_whole_number_from_1_to_10() {
    assertEquals(Set.of("guests"), fieldsOf(post(VALID.replace("\"guests\":2", "\"guests\":0"))));
    assertEquals(Set.of("guests"), fieldsOf(post(VALID.replace("\"guests\":2", "\"guests\":11"))));
    assertEquals(Set.of("guests"), fieldsOf(post(VALID.replace("\"guests\":2", "\"guests\":2.0"))));
    assertEquals(
        Set.of("guests"), fieldsOf(post(VALID.replace("\"guests\":2", "\"guests\":\"2\""))));
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void today_is_the_utc_date_even_a_second_before_midnight() {
    CommandEndpointFixture late = fixture(Instant.parse("2026-11-23T23:59:59Z"));
    late.accepted(late.post(GUEST, JSON, stay("2026-11-23", "2026-11-24")));
    assertEquals(
        Set.of("checkIn"), fieldsOf(late.post(GUEST, JSON, stay("2026-11-22", "2026-11-24"))));

    CommandEndpointFixture early = fixture(Instant.parse("2026-11-24T00:00:00Z"));
    assertEquals(
        Set.of("checkIn"), fieldsOf(early.post(GUEST, JSON, stay("2026-11-23", "2026-11-24"))));
    assertTrue(early.sent.isEmpty());
  }

  @Test
  void missing_fields_are_listed() {
    assertEquals(
        Set.of("hotelId", "roomType", "checkIn", "checkOut", "guests"), fieldsOf(post("{}")));
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void an_anonymous_caller_is_unauthorized() {
    assertEquals(401, post(null, JSON, VALID).status());
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void bodies_that_are_not_json_too_large_or_malformed_are_refused() {
    assertEquals(415, post(GUEST, "text/plain", VALID).status());
    assertEquals(415, post(GUEST, null, VALID).status());
    assertEquals(413, post(GUEST, JSON, " ".repeat(64 * 1024 + 1)).status());
    assertEquals(400, post("{\"hotelId\":").status());
    assertEquals(400, post("\"h1\"").status());
    assertEquals(400, post("{\"guests\":1,\"guests\":2}").status());
    assertTrue(fixture.sent.isEmpty());
  }
}
