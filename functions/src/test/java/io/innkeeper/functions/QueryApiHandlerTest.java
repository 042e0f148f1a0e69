package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.hotel.HotelDomain;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryApiHandlerTest {
  private static final QueryApiHandler.Settings SETTINGS =
      new QueryApiHandler.Settings(
          Tables.byId(new HotelDomain().queryTables()),
          "watermarks",
          Duration.ofMillis(200),
          "query-api-test-cursor-key-32-byte".getBytes(StandardCharsets.UTF_8));

  private final CountingRowStore store = new CountingRowStore();
  private final CountingStatusStore statuses = new CountingStatusStore();
  private final QueryApiHandler handler =
      new QueryApiHandler(
          new HotelDomain(),
          store,
          statuses,
          SETTINGS,
          Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));

  @Test
  void primingAnswersMissesThroughTheRoutesAndChangesNothing() {
    try (Stderr err = Stderr.capture()) {
      handler.priming().beforeCheckpoint(null);
      assertEquals("", err.text(), "every request got the answer it was designed for");
    }

    // The absent hotel was read once: the request with the malformed token was refused first.
    assertEquals(List.of(new RowKey("hotels", "hotel#" + ABSENT_ID, "hotel")), store.got);
    assertEquals(1, store.queried.size());
    assertEquals("reservations", store.queried.get(0).table());
    assertTrue(store.queried.get(0).pk().endsWith(ABSENT_ID), store.queried.get(0).pk());
    assertEquals(List.of(ABSENT_ID), statuses.found);
    assertEquals(0, store.commits);
    assertTrue(store.rows.snapshot().isEmpty());
    assertEquals(0, statuses.writes);
  }

  @Test
  void aRouteThatAnswersOtherwiseIsLoggedNotThrown() {
    store.failReads = new IllegalStateException("AccessDenied");
    List<String> failed;
    try (Stderr err = Stderr.capture()) {
      failed = handler.priming().run();

      List<Map<String, Object>> warnings = err.primingWarnings();
      assertEquals(2, warnings.size(), err.text());
      assertEquals("query-api", warnings.get(0).get("function"));
      assertTrue(
          ((String) warnings.get(0).get("error"))
              .startsWith("IllegalStateException: answered 500, not 404"),
          warnings.get(0).toString());
    }
    // The malformed token is refused before any read, and command status reads another store.
    assertEquals(List.of("GET /hotels/{hotelId}: 404", "GET /me/reservations: 200"), failed);
    assertEquals(List.of(ABSENT_ID), statuses.found);
  }

  @Test
  void theLambdaConstructorBuildsWithoutTheNetwork() {
    try (LambdaEnvironment env = new LambdaEnvironment()) {
      assertEquals(4, new QueryApiHandler().priming().steps().size());
    }
  }
}
