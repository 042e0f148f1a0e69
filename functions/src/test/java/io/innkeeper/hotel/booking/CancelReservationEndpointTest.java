package io.innkeeper.hotel.booking;

import static io.innkeeper.hotel.CommandEndpointFixture.ADMIN;
import static io.innkeeper.hotel.CommandEndpointFixture.GUEST;
import static io.innkeeper.hotel.CommandEndpointFixture.JSON;
import static io.innkeeper.hotel.CommandEndpointFixture.fieldsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.ReservationCommand.CancelReservation;
import io.innkeeper.hotel.CommandEndpointFixture;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CancelReservationEndpointTest {
  /** What the reservations read model shows; empty unless a test projects something. */
  private final Map<String, ReservationQueries.Visible> readModel = new HashMap<>();

  private final CommandEndpointFixture fixture =
      new CommandEndpointFixture(
          "POST /reservations/{reservationId}/cancel",
          Instant.parse("2026-11-23T10:00:00Z"),
          intake ->
              new CancelReservationEndpoint(intake, id -> Optional.ofNullable(readModel.get(id)))
                  ::handle);

  private ApiResponse post(String reservationId, Caller caller, String contentType, String body) {
    return fixture.post(Map.of("reservationId", reservationId), caller, contentType, body);
  }

  private ApiResponse post(String body) {
    return post("r1", GUEST, JSON, body);
  }

  private CancelReservation lastCommand() {
    return (CancelReservation)
        CommandEndpointFixture.command(fixture.sent.get(fixture.sent.size() - 1).envelope());
  }

  @Test
  void an_empty_body_is_a_cancellation_without_reason_on_the_reservations_group() {
    Map<String, Object> body = fixture.accepted(post("r1", GUEST, null, ""));

    assertEquals(Set.of("commandId"), body.keySet());
    var envelope = fixture.onlyMessage("reservation#r1");
    assertEquals("CancelReservation", envelope.type());
    assertEquals("gus", envelope.callerId());
    assertEquals(
        new CancelReservation("r1", "gus", false, null), CommandEndpointFixture.command(envelope));
  }

  @Test
  void an_empty_object_or_a_null_reason_is_the_same_as_no_reason() {
    fixture.accepted(post("{}"));
    assertEquals(new CancelReservation("r1", "gus", false, null), lastCommand());
    fixture.accepted(post("{\"reason\":null}"));
    assertEquals(new CancelReservation("r1", "gus", false, null), lastCommand());
  }

  @Test
  void a_reason_is_kept_as_sent_and_an_admin_is_marked_as_such() {
    fixture.accepted(post("r1", ADMIN, JSON, "{\"reason\":\"Guest called the front desk\"}"));
    assertEquals(
        new CancelReservation("r1", "ada", true, "Guest called the front desk"), lastCommand());
    String longest = "é".repeat(500);
    fixture.accepted(post(Json.write(Json.obj("reason", longest))));
    assertEquals(new CancelReservation("r1", "gus", false, longest), lastCommand());
    fixture.accepted(post("{\"reason\":\"  \"}"));
    assertEquals("  ", lastCommand().reason());
    assertEquals(3, fixture.sent.size());
  }

  @Test
  void every_failing_field_of_the_path_and_body_is_listed_and_nothing_is_enqueued() {
    String body = Json.write(Json.obj("reason", "x".repeat(501), "refund", true));

    assertEquals(
        Set.of("reservationId", "reason", "refund"), fieldsOf(post("bad/id", GUEST, JSON, body)));
    assertEquals(Set.of("reason"), fieldsOf(post("{\"reason\":7}")));
    assertEquals(Set.of("reason"), fieldsOf(post("{\"reason\":\"line\\nbreak\"}")));
    assertEquals(Set.of("reservationId"), fieldsOf(post("r".repeat(65), GUEST, JSON, "{}")));
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void a_reservation_the_read_model_shows_as_someone_elses_is_forbidden_and_nothing_is_enqueued() {
    readModel.put("r1", new ReservationQueries.Visible("olga", "h1", "DBL"));

    ApiResponse r = post("{}");

    assertEquals(403, r.status());
    assertTrue(fixture.sent.isEmpty());
    assertEquals(0, fixture.statuses.size(), "no command status recorded for a refusal");
  }

  @Test
  void a_visible_reservation_is_cancelled_on_its_room_types_inventory_group() {
    readModel.put("r1", new ReservationQueries.Visible("gus", "h1", "DBL"));

    fixture.accepted(post("{}"));

    var envelope = fixture.onlyMessage("inventory#h1#DBL");
    assertEquals(
        new CancelReservation("r1", "gus", false, null), CommandEndpointFixture.command(envelope));
  }

  @Test
  void an_admin_may_cancel_a_reservation_the_read_model_shows_as_someone_elses() {
    readModel.put("r1", new ReservationQueries.Visible("olga", "h1", "DBL"));

    fixture.accepted(post("r1", ADMIN, JSON, "{}"));

    assertEquals(
        new CancelReservation("r1", "ada", true, null),
        CommandEndpointFixture.command(fixture.onlyMessage("inventory#h1#DBL")));
  }

  @Test
  void an_anonymous_caller_is_unauthorized() {
    assertEquals(401, post("r1", null, JSON, "{}").status());
    assertTrue(fixture.sent.isEmpty());
  }

  @Test
  void bodies_that_are_not_json_too_large_or_malformed_are_refused() {
    assertEquals(415, post("r1", GUEST, "text/plain", "{}").status());
    assertEquals(413, post("r1", GUEST, JSON, " ".repeat(64 * 1024 + 1)).status());
    assertEquals(400, post("{\"reason\":").status());
    assertEquals(400, post("[]").status());
    assertTrue(fixture.sent.isEmpty());
  }
}
