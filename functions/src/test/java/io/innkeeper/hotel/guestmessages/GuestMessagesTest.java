package io.innkeeper.hotel.guestmessages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.bus.SubscriberRuntime;
import io.innkeeper.core.bus.SubscriberRuntime.Outcome;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.query.ConsistencyGate;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.events.ContractException;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.HotelPublishing;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.events.published.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The guest-messages service on its own: events from the bus become a guest's notices, once each,
 * whatever is repeated or replayed, and {@code GET /me/messages} reads them back newest first, page
 * by page, to their owner only.
 */
class GuestMessagesTest {
  private static final String TABLE = "guest-feed";
  private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
  private final InMemoryRowStore store = new InMemoryRowStore();
  private final SubscriberRuntime runtime =
      new SubscriberRuntime(
          GuestMessages.SERVICE, HotelPublishing.LANGUAGE, new GuestMessages(TABLE), store, TABLE);
  private final Cursors cursors = new Cursors("k".repeat(32).getBytes(StandardCharsets.UTF_8));
  private final MessagesQuery query = new MessagesQuery(store, TABLE, cursors);
  private final ConsistencyGate gate =
      new ConsistencyGate(new Watermarks(store, TABLE), Duration.ofMillis(200));

  static ReservationPlaced placed(String r, String guest, int minute) {
    return new ReservationPlaced(
        r,
        guest,
        "H1",
        "DBL",
        LocalDate.parse("2030-06-02"),
        LocalDate.parse("2030-06-04"),
        2,
        Money.of("240.00", "EUR"),
        T0.plusSeconds(60L * minute));
  }

  static ReservationCancelled cancelled(String r, int minute) {
    return new ReservationCancelled(
        r,
        "H1",
        "DBL",
        LocalDate.parse("2030-06-02"),
        LocalDate.parse("2030-06-04"),
        "gus",
        null,
        T0.plusSeconds(60L * minute));
  }

  static String event(String stream, long version, DomainEvent e, int minute) {
    return HotelPublishing.LANGUAGE
        .publish(
            CloudEvent.sourceOf("test", "hotel"), stream, version, T0.plusSeconds(60L * minute), e)
        .orElseThrow()
        .toJson();
  }

  private List<Map<String, Object>> feed(String guest, int limit, String cursor) {
    ApiResponse response = get(guest, limit, cursor, Map.of());
    assertEquals(200, response.status(), response.body());
    @SuppressWarnings("unchecked")
    var items = (List<Map<String, Object>>) Json.parseObject(response.body()).get("items");
    return items;
  }

  private ApiResponse get(String guest, int limit, String cursor, Map<String, String> headers) {
    Map<String, String> params = new java.util.HashMap<>(Map.of("limit", Integer.toString(limit)));
    if (cursor != null) {
      params.put("cursor", cursor);
    }
    var request =
        new ApiRequest(
            "GET /me/messages",
            headers,
            Map.of(),
            params,
            new byte[0],
            new Caller(guest, Set.of()),
            "req");
    try {
      return gate.route(query::mine).apply(request);
    } catch (io.innkeeper.core.http.Problem p) {
      return ApiResponse.problem(p);
    }
  }

  @Test
  void given_a_booking_and_its_cancellation_then_the_guest_has_two_notices_newest_first() {
    assertEquals(
        Outcome.APPLIED, runtime.accept(event("reservation#R1", 1, placed("R1", "gus", 0), 0)));
    assertEquals(
        Outcome.APPLIED, runtime.accept(event("reservation#R1", 2, cancelled("R1", 5), 5)));

    var items = feed("gus", 20, null);
    assertEquals(
        List.of("BOOKING_CANCELLED", "BOOKING_CONFIRMED"),
        items.stream().map(i -> i.get("kind")).toList());
    assertEquals("R1", items.get(1).get("reservationId"));
    assertEquals(Map.of("amount", "240.00", "currency", "EUR"), items.get(1).get("totalPrice"));
    assertEquals(CloudEvent.idOf("reservation#R1", 1), items.get(1).get("messageId"));
    assertTrue(((String) items.get(1).get("text")).contains("confirmed"));
    assertEquals(List.of(), feed("ann", 20, null), "only the caller's own feed");
  }

  @Test
  void given_repeated_and_replayed_events_then_each_notice_is_written_once() {
    String p = event("reservation#R1", 1, placed("R1", "gus", 0), 0);
    String c = event("reservation#R1", 2, cancelled("R1", 5), 5);
    runtime.accept(p);
    assertEquals(Outcome.DUPLICATE, runtime.accept(p));
    runtime.accept(c);
    assertEquals(Outcome.DUPLICATE, runtime.accept(p), "an older event after a newer one");
    assertEquals(Outcome.DUPLICATE, runtime.accept(c));
    assertEquals(2, feed("gus", 20, null).size());
  }

  @Test
  void given_events_of_no_interest_then_nothing_is_written_and_the_feed_stays_empty() {
    var hotel = new HotelRegistered("H1", "Seeblick", "Zurich", "zurich", List.of(), T0);
    assertEquals(Outcome.APPLIED, runtime.accept(event("hotel#H1", 1, hotel, 0)));
    assertEquals(List.of(), feed("gus", 20, null));
    String unknown =
        event("reservation#R1", 1, placed("R1", "gus", 0), 0)
            .replace("reservation.placed.v1", "reservation.placed.v9");
    assertEquals(Outcome.UNKNOWN_TYPE, runtime.accept(unknown));
  }

  @Test
  void given_a_cancellation_whose_booking_was_never_seen_then_no_one_is_notified() {
    runtime.accept(event("reservation#R7", 2, cancelled("R7", 5), 5));
    assertEquals(List.of(), feed("gus", 20, null));
  }

  @Test
  void given_a_poison_message_then_it_and_every_message_after_it_fail_in_order() {
    var batch = new SQSEvent();
    List<SQSEvent.SQSMessage> messages = new ArrayList<>();
    String[] bodies = {
      event("reservation#R1", 1, placed("R1", "gus", 0), 0),
      "{\"not\":\"a cloud event\"}",
      event("reservation#R2", 1, placed("R2", "gus", 1), 1)
    };
    for (int i = 0; i < bodies.length; i++) {
      var m = new SQSEvent.SQSMessage();
      m.setMessageId("m" + i);
      m.setBody(bodies[i]);
      messages.add(m);
    }
    batch.setRecords(messages);

    SQSBatchResponse response = runtime.handle(batch);

    assertEquals(
        List.of("m1", "m2"),
        response.getBatchItemFailures().stream()
            .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
            .toList());
    assertEquals(1, feed("gus", 20, null).size());
    assertThrows(ContractException.class, () -> runtime.accept("{}"));
  }

  @Test
  void given_many_notices_then_pages_follow_the_cursor_and_a_foreign_cursor_is_refused() {
    for (int i = 0; i < 25; i++) {
      runtime.accept(event("reservation#R" + i, 1, placed("R" + i, "gus", i), i));
    }
    List<Object> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      ApiResponse page = get("gus", 10, cursor, Map.of());
      var body = Json.parseObject(page.body());
      @SuppressWarnings("unchecked")
      var items = (List<Map<String, Object>>) body.get("items");
      items.forEach(i -> seen.add(i.get("reservationId")));
      cursor = (String) body.get("nextCursor");
      pages++;
      if (pages == 1) {
        assertEquals(400, get("ann", 10, cursor, Map.of()).status(), "another caller's cursor");
      }
    } while (cursor != null);
    assertEquals(3, pages);
    assertEquals(25, seen.size());
    assertEquals("R24", seen.get(0), "newest first");
    assertEquals("R0", seen.get(24));
  }

  @Test
  void given_a_consistency_token_then_the_feed_waits_for_that_event() {
    String token = new io.innkeeper.core.ConsistencyToken("reservation#R1", 1).encode();
    ApiResponse early = get("gus", 20, null, Map.of(ConsistencyGate.HEADER, token));
    assertEquals(503, early.status(), "not applied yet: the wait runs out");
    runtime.accept(event("reservation#R1", 1, placed("R1", "gus", 0), 0));
    assertEquals(200, get("gus", 20, null, Map.of(ConsistencyGate.HEADER, token)).status());
    assertEquals(400, get("gus", 20, null, Map.of(ConsistencyGate.HEADER, "ct1.x")).status());
  }
}
