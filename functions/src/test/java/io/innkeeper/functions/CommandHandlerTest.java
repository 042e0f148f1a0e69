package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.eventstore.DelegatingEventStore;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.InMemoryEventStore;
import io.innkeeper.core.eventstore.StateRow;
import io.innkeeper.hotel.HotelDomain;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {
  private static final String HOTEL = "hotel#" + ABSENT_ID;
  private static final String RESERVATION = "reservation#" + ABSENT_ID;

  /** Records what the pipeline asked of the event store. */
  private static final class CountingEventStore extends DelegatingEventStore {
    final List<String> loaded = new ArrayList<>();
    final List<String> appliedLookups = new ArrayList<>();
    final List<String> rowsRead = new ArrayList<>();
    int appends;
    RuntimeException failLoads;

    CountingEventStore(EventStore inner) {
      super(inner);
    }

    @Override
    public StreamHead load(String streamId) {
      if (failLoads != null) {
        throw failLoads;
      }
      loaded.add(streamId);
      return super.load(streamId);
    }

    @Override
    public AppendOutcome append(Append a) {
      appends++;
      return super.append(a);
    }

    @Override
    public Optional<AppliedCommand> findApplied(String commandId) {
      appliedLookups.add(commandId);
      return super.findApplied(commandId);
    }

    @Override
    public Optional<AppliedCommand> findAppliedOn(String streamId, String commandId) {
      appliedLookups.add(commandId);
      return super.findAppliedOn(streamId, commandId);
    }

    @Override
    public Map<String, StateRow> loadRows(Collection<String> keys) {
      rowsRead.addAll(keys);
      return super.loadRows(keys);
    }
  }

  private final CountingStatusStore statuses = new CountingStatusStore();
  private final InMemoryEventStore events = new InMemoryEventStore(statuses.statuses);
  private final CountingEventStore store = new CountingEventStore(events);
  private final CommandHandler handler =
      new CommandHandler(
          new HotelDomain(),
          store,
          statuses,
          5,
          Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));

  @Test
  void primingDecidesSampleCommandsWithRealReadsAndWritesNothing() {
    try (Stderr err = Stderr.capture()) {
      handler.priming().beforeCheckpoint(null);
      assertEquals("", err.text(), "both samples reached their first write");
    }

    // Both commands were looked up as a delivery would be (a status, or else the stream) ...
    assertEquals(List.of(ABSENT_ID, ABSENT_ID), statuses.found);
    assertEquals(List.of(ABSENT_ID, ABSENT_ID), store.appliedLookups);
    // ... RegisterHotel loaded its stream; BookRoom its own, the hotel's and the hotel's
    // inventory rows, which a decision only asks for once the command was decoded.
    assertEquals(List.of(HOTEL, RESERVATION, HOTEL), store.loaded);
    assertEquals(List.of("inventory#" + ABSENT_ID + "#DBL#2026-01"), store.rowsRead);
    // Neither the append nor the rejection reached a store.
    assertEquals(0, store.appends);
    assertEquals(0, statuses.writes);
    assertEquals(0, events.load(HOTEL).version());
    assertEquals(0, events.load(RESERVATION).version());
    assertTrue(events.events(HOTEL).isEmpty());
    assertTrue(events.findApplied(ABSENT_ID).isEmpty());
    assertEquals(0, statuses.statuses.size());
  }

  @Test
  void aFailingStoreIsLoggedPerStepAndNothingIsThrown() {
    store.failLoads = new IllegalStateException("ProvisionedThroughputExceeded");
    List<String> failed;
    try (Stderr err = Stderr.capture()) {
      failed = handler.priming().run();

      List<Map<String, Object>> warnings = err.primingWarnings();
      assertEquals(2, warnings.size(), err.text());
      warnings.forEach(
          w -> {
            assertEquals("command-handler", w.get("function"));
            assertEquals("IllegalStateException: ProvisionedThroughputExceeded", w.get("error"));
          });
    }
    assertEquals(handler.priming().steps(), failed);
    assertEquals(0, store.appends);
    assertEquals(0, statuses.writes);
  }

  @Test
  void theLambdaConstructorBuildsWithoutTheNetwork() {
    try (LambdaEnvironment env = new LambdaEnvironment()) {
      assertEquals(2, new CommandHandler().priming().steps().size());
    }
  }
}
