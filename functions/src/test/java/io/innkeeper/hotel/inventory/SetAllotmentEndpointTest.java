package io.innkeeper.hotel.inventory;

import static io.innkeeper.hotel.CommandEndpointFixture.ADMIN;
import static io.innkeeper.hotel.CommandEndpointFixture.GUEST;
import static io.innkeeper.hotel.CommandEndpointFixture.JSON;
import static io.innkeeper.hotel.CommandEndpointFixture.fieldsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.HotelCommand.SetAllotment;
import io.innkeeper.hotel.CommandEndpointFixture;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetAllotmentEndpointTest {
  private static final String VALID =
      "{\"roomType\":\"DBL\",\"from\":\"2026-12-01\",\"to\":\"2026-12-05\",\"rooms\":12,"
          + "\"nightlyRate\":{\"amount\":\"129.50\",\"currency\":\"EUR\"}}";

  private final CommandEndpointFixture fixture =
      new CommandEndpointFixture(
          "POST /hotels/{hotelId}/allotments",
          Instant.parse("2026-11-23T10:00:00Z"),
          intake -> new SetAllotmentEndpoint(intake)::handle);

  private ApiResponse post(String hotelId, Caller caller, String contentType, String body) {
    return fixture.post(Map.of("hotelId", hotelId), caller, contentType, body);
  }

  private ApiResponse post(String body) {
    return post("h1", ADMIN, JSON, body);
  }

  /** The valid body with {@code field} replaced by the raw JSON {@code value}. */
  private static String with(String field, String value) {
    return VALID.replaceFirst(
        "\"" + field + "\":(\\{[^}]*\\}|\"[^\"]*\"|[0-9.]+)", "\"" + field + "\":" + value);
  }

  @Test
  void a_valid_allotment_is_accepted_pending_and_enqueued_on_the_room_types_inventory_group() {
    Map<String, Object> body = fixture.accepted(post(VALID));

    assertEquals(Set.of("commandId"), body.keySet());
    var envelope = fixture.onlyMessage("inventory#h1#DBL");
    assertEquals("SetAllotment", envelope.type());
    assertEquals("ada", envelope.callerId());
    assertTrue(envelope.callerAdmin());
    assertEquals(
        new SetAllotment(
            "h1",
            "DBL",
            LocalDate.parse("2026-12-01"),
            LocalDate.parse("2026-12-05"),
            12,
            Money.of("129.50", "EUR")),
        CommandEndpointFixture.command(envelope));
  }

  @Test
  void the_bounds_themselves_are_accepted() {
    // 366 nights, no rooms, the largest and the smallest amounts.
    fixture.accepted(
        post(
            "{\"roomType\":\"A_1\",\"from\":\"2027-01-01\",\"to\":\"2028-01-02\",\"rooms\":0,"
                + "\"nightlyRate\":{\"amount\":\"99999999.99\",\"currency\":\"CHF\"}}"));
    fixture.accepted(post(with("rooms", "10000")));
    fixture.accepted(post(with("nightlyRate", "{\"currency\":\"EUR\",\"amount\":\"0\"}")));
    assertEquals(3, fixture.sent.size());
    assertEquals(
        new SetAllotment(
            "h1",
            "A_1",
            LocalDate.parse("2027-01-01"),
            LocalDate.parse("2028-01-02"),
            0,
            Money.of("99999999.99", "CHF")),
        CommandEndpointFixture.command(fixture.sent.get(0).envelope()));
  }

  @Test
  void every_failing_field_of_the_path_and_body_is_listed_and_nothing_is_enqueued() {
    String body =
        "{\"roomType\":\"dbl\",\"from\":\"2026-02-30\",\"to\":\"2026-12-5\",\"rooms\":2.0,"
            + "\"nightlyRate\":{\"amount\":12.5,\"currency\":\"eur\",\"tax\":\"1.00\"},\"extra\":1}";

    assertEquals(
        Set.of(
            "hotelId",
            "roomType",
            "from",
            "to",
            "rooms",
            "nightlyRate.amount",
            "nightlyRate.currency",
            "nightlyRate.tax",
            "extra"),
        fieldsOf(post("bad id!", ADMIN, JSON, body)));
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void the_period_must_hold_one_to_366_nights() {
    assertEquals(Set.of("to"), fieldsOf(post(with("to", "\"2026-12-01\""))));
    assertEquals(Set.of("to"), fieldsOf(post(with("to", "\"2026-11-30\""))));
    // 2026-12-01 + 367 nights.
    assertEquals(Set.of("to"), fieldsOf(post(with("to", "\"2027-12-03\""))));
    fixture.accepted(post(with("to", "\"2027-12-02\"")));
    assertEquals(1, fixture.sent.size());
  }

  @Test
  void rooms_and_money_are_checked_exactly() {
    assertEquals(Set.of("rooms"), fieldsOf(post(with("rooms", "-1"))));
    assertEquals(Set.of("rooms"), fieldsOf(post(with("rooms", "10001"))));
    assertEquals(Set.of("rooms"), fieldsOf(post(with("rooms", "\"12\""))));
    assertEquals(
        Set.of("nightlyRate.amount"),
        fieldsOf(post(with("nightlyRate", "{\"amount\":\"12.345\",\"currency\":\"EUR\"}"))));
    assertEquals(
        Set.of("nightlyRate.amount"),
        fieldsOf(post(with("nightlyRate", "{\"amount\":\"123456789\",\"currency\":\"EUR\"}"))));
    assertEquals(
        Set.of("nightlyRate.amount"),
        fieldsOf(post(with("nightlyRate", "{\"amount\":\"-1.00\",\"currency\":\"EUR\"}"))));
    assertEquals(
        Set.of("nightlyRate.amount"),
        fieldsOf(post(with("nightlyRate", "{\"amount\":129,\"currency\":\"EUR\"}"))));
    assertEquals(
        Set.of("nightlyRate.amount", "nightlyRate.currency"),
        fieldsOf(post(with("nightlyRate", "{}"))));
    assertEquals(Set.of("nightlyRate"), fieldsOf(post(with("nightlyRate", "\"129.50 EUR\""))));
    assertEquals(Set.of("nightlyRate"), fieldsOf(post(with("nightlyRate", "null"))));
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void missing_fields_are_listed() {
    assertEquals(Set.of("roomType", "from", "to", "rooms", "nightlyRate"), fieldsOf(post("{}")));
    assertEquals(Set.of("roomType", "from", "to", "rooms", "nightlyRate"), fieldsOf(post("")));
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void a_guest_is_forbidden_and_an_anonymous_caller_unauthorized() {
    assertEquals(403, post("h1", GUEST, JSON, VALID).status());
    assertEquals(401, post("h1", null, JSON, VALID).status());
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void bodies_that_are_not_json_too_large_or_malformed_are_refused() {
    assertEquals(415, post("h1", ADMIN, "text/plain", VALID).status());
    assertEquals(413, post("h1", ADMIN, JSON, " ".repeat(64 * 1024 + 1)).status());
    assertEquals(400, post("{\"rooms\":").status());
    assertEquals(400, post("[]").status());
    assertTrue(fixture.sent.isEmpty());
  }
}
