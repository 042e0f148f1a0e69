package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.command.CommandEnvelope;
import io.innkeeper.core.command.CommandQueue;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.events.Json;
import io.innkeeper.hotel.HotelDomain;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandApiHandlerTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  private final CountingStatusStore statuses = new CountingStatusStore();
  private final CountingRowStore reservations = new CountingRowStore();
  private final List<CommandEnvelope> sent = new ArrayList<>();
  private final CommandQueue queue = (command, group) -> sent.add(command);
  private final CommandApiHandler handler =
      new CommandApiHandler(
          new HotelDomain(),
          statuses,
          queue,
          reservations,
          Tables.byId(List.of(HotelDomain.RESERVATIONS)),
          CLOCK);

  @Test
  void primingRoutesARefusedBookingAndReadsAbsentIdsWithoutRecordingOrEnqueuing() {
    try (Stderr err = Stderr.capture()) {
      handler.priming().beforeCheckpoint(null);
      assertEquals("", err.text(), "every step answered as designed");
    }

    // The reads reached the commands table and the reservations read model ...
    assertEquals(List.of(ABSENT_ID), statuses.found);
    assertEquals(1, reservations.got.size());
    RowKey read = reservations.got.get(0);
    assertEquals("reservations", read.table());
    assertEquals(ABSENT_ID, read.pk());
    // ... and nothing was recorded, enqueued or written.
    assertEquals(0, statuses.writes);
    assertEquals(0, statuses.statuses.size());
    assertEquals(List.of(), sent);
    assertEquals(0, reservations.commits);
    assertTrue(reservations.rows.snapshot().isEmpty());
  }

  @Test
  void aFailingReadIsLoggedAndTheOtherStepsStillRun() {
    statuses.failReads = new IllegalStateException("commands table unreachable");
    List<String> failed;
    try (Stderr err = Stderr.capture()) {
      failed = handler.priming().run();

      List<Map<String, Object>> warnings = err.primingWarnings();
      assertEquals(1, warnings.size(), err.text());
      assertEquals("command-api", warnings.get(0).get("function"));
      assertEquals("commands table: absent command", warnings.get(0).get("step"));
      assertEquals(
          "IllegalStateException: commands table unreachable", warnings.get(0).get("error"));
    }
    assertEquals(List.of("commands table: absent command"), failed);
    assertEquals(1, reservations.got.size(), "the step after the failing one ran");
    assertEquals(List.of(), sent);
  }

  @Test
  void afterPrimingAValidBookingIsAcceptedAndEnqueuedOnce() {
    try (Stderr err = Stderr.capture()) {
      handler.priming().run();
    }
    var response =
        handler.handleRequest(
            PrimingEvents.request(
                "POST /reservations",
                Map.of(),
                Map.of("Content-Type", "application/json"),
                Json.write(
                    Json.obj(
                        "hotelId", "01JD0000000000000000000001",
                        "roomType", "DBL",
                        "checkIn", "2026-12-03",
                        "checkOut", "2026-12-05",
                        "guests", 2))),
            null);

    assertEquals(202, response.getStatusCode(), response.getBody());
    assertEquals(1, sent.size());
    assertEquals(1, statuses.statuses.size());
  }

  @Test
  void theLambdaConstructorBuildsWithoutTheNetworkAndAlsoPrimesTheQueue() {
    try (LambdaEnvironment env = new LambdaEnvironment()) {
      assertEquals(
          List.of(
              "POST /reservations: 400",
              "commands table: absent command",
              "reservations table: absent row",
              "command queue: attributes"),
          new CommandApiHandler().priming().steps());
    }
  }
}
