package io.innkeeper.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.fixture.RecordChecks;
import io.innkeeper.core.eventstore.StateRow;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.hotel.HotelDomain;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The soak's checks, the core's and the hotel domain's, fail on what they must catch, and only on
 * that (no DynamoDB needed).
 */
class RecordCheckTest {

  private static final RecordChecks HOTEL = new HotelDomain().fixtures().recordChecks();
  private static final RecordCheck CHECK = new RecordCheck(null, "events", "commands", HOTEL);
  private static final Instant AT = Instant.parse("2029-12-01T00:00:00Z");

  private final Map<String, RecordCheck.Status> statuses = new HashMap<>();
  private final List<RecordCheck.Event> events = new ArrayList<>();
  private final Map<String, RecordCheck.Marker> markers = new HashMap<>();
  private final Map<String, StateRow> rows = new HashMap<>();

  private RecordCheck.Snapshot snapshot() {
    return new RecordCheck.Snapshot(statuses, events, markers, rows);
  }

  private void status(String id, String type, String status, String reason) {
    statuses.put(id, new RecordCheck.Status(id, type, status, reason));
  }

  /** A command that SUCCEEDED with one event and its marker. */
  private void applied(String id, String type, String stream, long version, HotelDomainEvent e) {
    status(id, type, "SUCCEEDED", null);
    events.add(event(stream, version, id, e));
    markers.put(id, new RecordCheck.Marker(id, stream, version));
  }

  private static RecordCheck.Event event(
      String stream, long version, String commandId, HotelDomainEvent e) {
    TypeRegistry.Encoded encoded = HotelDomainEvent.TYPES.encode(e);
    return new RecordCheck.Event(
        stream, version, encoded.type(), encoded.version(), commandId, encoded.json());
  }

  private static LocalDate jan(int day) {
    return LocalDate.of(2030, 1, day);
  }

  private static AllotmentSet allotment(int from, int to, int rooms) {
    return new AllotmentSet("h1", "DBL", jan(from), jan(to), rooms, Money.of("100.00", "EUR"), AT);
  }

  private static ReservationPlaced stay(String reservationId, int in, int out) {
    return new ReservationPlaced(
        reservationId, "gus", "h1", "DBL", jan(in), jan(out), 1, Money.of("100.00", "EUR"), AT);
  }

  private static ReservationCancelled cancel(String reservationId, int in, int out) {
    return new ReservationCancelled(reservationId, "h1", "DBL", jan(in), jan(out), "gus", null, AT);
  }

  private void row(Map<String, Long> numbers) {
    rows.put(
        "inventory#h1#DBL#2030-01",
        new StateRow("inventory#h1#DBL#2030-01", new HashMap<>(numbers)));
  }

  private RecordChecks.Check overbooked() {
    return CHECK.domain(snapshot()).get(0);
  }

  private RecordChecks.Check twice() {
    return CHECK.domain(snapshot()).get(1);
  }

  /** One hotel, one night on sale with one room, booked by r1; the row agrees. */
  private void consistentRecord() {
    applied("a1", "SetAllotment", "hotel#h1", 2, allotment(1, 2, 1));
    applied("b1", "BookRoom", "reservation#r1", 1, stay("r1", 1, 2));
    status("b2", "BookRoom", "REJECTED", "SOLD_OUT");
    row(Map.of("r01", 1L, "b01", 1L));
  }

  @Test
  void a_consistent_record_passes_every_check() {
    consistentRecord();
    var s = snapshot();

    assertEquals(
        List.of("overbooked nights", "reservations placed or cancelled twice"),
        CHECK.domain(s).stream().map(RecordChecks.Check::name).toList());
    CHECK.domain(s).forEach(c -> assertEquals(0, c.count(), c.toString()));
    assertEquals(0, CHECK.effects(s, List.of(), 0).count());
    assertEquals(0, CHECK.traces(s).count());
    assertEquals(0, CHECK.pending(s, List.of("a1", "b1", "b2")).count());
  }

  @Test
  void a_row_booked_beyond_its_rooms_is_an_overbooked_night() {
    consistentRecord();
    row(Map.of("r01", 1L, "b01", 2L));

    var check = overbooked();

    assertEquals(1, check.count(), check.toString());
    assertEquals(1L, check.parts().get("rows with bDD > rDD"));
  }

  @Test
  void more_live_reservations_than_rooms_in_the_record_is_an_overbooked_night() {
    consistentRecord();
    applied("b3", "BookRoom", "reservation#r3", 1, stay("r3", 1, 2));

    var check = overbooked();

    assertEquals(1, check.count(), check.toString());
    assertEquals(1L, check.parts().get("record: live reservations > rooms"));
  }

  @Test
  void a_row_that_lost_a_cancellation_disagrees_with_the_record() {
    consistentRecord();
    applied("c1", "CancelReservation", "reservation#r1", 2, cancel("r1", 1, 2));

    var check = overbooked();

    assertEquals(1, check.count(), check.toString());
    assertEquals(1L, check.parts().get("rows disagreeing with the record"));
  }

  @Test
  void a_succeeded_command_without_events_or_marker_misses_its_effect() {
    consistentRecord();
    status("b4", "BookRoom", "SUCCEEDED", null);
    applied("b5", "BookRoom", "reservation#r5", 1, stay("r5", 1, 2));
    markers.remove("b5");

    var check = CHECK.effects(snapshot(), List.of(), 0);

    assertEquals(2, check.count(), check.toString());
    assertEquals(2L, check.parts().get("missing"));
  }

  @Test
  void an_effect_on_another_stream_than_the_202_named_is_missing_where_it_belongs() {
    consistentRecord();

    var check =
        CHECK.effects(
            snapshot(),
            List.of(new RecordCheck.Expected("b1", "BookRoom", "reservation#elsewhere")),
            0);

    assertEquals(1, check.count(), check.toString());
  }

  @Test
  void a_command_id_on_two_sets_of_events_is_doubled() {
    consistentRecord();
    events.add(event("reservation#r1", 2, "b1", stay("r1", 1, 2)));
    markers.put("b1", new RecordCheck.Marker("b1", "reservation#r1", 2));

    var check = CHECK.effects(snapshot(), List.of(), 0);

    assertTrue(check.parts().get("doubled") >= 1, check.toString());
  }

  @Test
  void a_reservation_cancelled_by_two_commands_is_doubled() {
    consistentRecord();
    applied("c1", "CancelReservation", "reservation#r1", 2, cancel("r1", 1, 2));
    applied("c2", "CancelReservation", "reservation#r1", 3, cancel("r1", 1, 2));

    var check = twice();

    assertEquals(1, check.count(), check.toString());
    assertEquals(1L, check.parts().get("placed or cancelled again"));
  }

  @Test
  void an_idempotent_repeat_given_a_second_command_id_is_doubled() {
    consistentRecord();

    assertEquals(2, CHECK.effects(snapshot(), List.of(), 2).count());
  }

  @Test
  void a_rejected_command_with_an_event_or_a_marker_left_a_trace() {
    consistentRecord();
    events.add(event("reservation#r2", 1, "b2", stay("r2", 1, 2)));
    status("a2", "SetAllotment", "FAILED", "PROCESSING_FAILED");
    markers.put("a2", new RecordCheck.Marker("a2", "hotel#h1", 3));

    var check = CHECK.traces(snapshot());

    assertEquals(2, check.count(), check.toString());
  }

  @Test
  void events_of_a_command_without_a_status_are_a_trace() {
    consistentRecord();
    events.add(event("hotel#h1", 3, "ghost", allotment(1, 2, 1)));

    assertEquals(1, CHECK.traces(snapshot()).count());
  }

  @Test
  void pending_statuses_and_accepted_commands_without_a_status_are_pending() {
    consistentRecord();
    status("p1", "BookRoom", "PENDING", null);

    var check = CHECK.pending(snapshot(), List.of("a1", "b1", "p1", "lost"));

    assertEquals(2, check.count(), check.toString());
    assertEquals(1L, check.parts().get("accepted without a status"));
  }
}
