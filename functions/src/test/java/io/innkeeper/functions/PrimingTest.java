package io.innkeeper.functions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.Priming;
import io.innkeeper.core.ReadOnly;
import io.innkeeper.core.command.CommandStatus;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.InMemoryEventStore;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimingTest {

  @Test
  void runsEveryStepInOrderAndAFailureNeitherStopsTheOthersNorEscapes() {
    List<String> ran = new ArrayList<>();
    Priming priming =
        new Priming("test-fn")
            .step("first", () -> ran.add("first"))
            .step(
                "second",
                () -> {
                  ran.add("second");
                  throw new IllegalStateException("table \"t\" is gone\nfor good \\ really");
                })
            .step("third", () -> ran.add("third"));

    try (Stderr err = Stderr.capture()) {
      assertDoesNotThrow(() -> priming.beforeCheckpoint(null));

      assertEquals(List.of("first", "second", "third"), ran);
      assertEquals(1, err.text().lines().count(), err.text());
      Map<String, Object> line = err.primingWarnings().get(0);
      assertEquals("WARN", line.get("level"));
      assertEquals("test-fn", line.get("function"));
      assertEquals("second", line.get("step"));
      assertEquals(
          "IllegalStateException: table \"t\" is gone\nfor good \\ really", line.get("error"));
    }
  }

  @Test
  void runReportsTheFailedSteps() {
    Priming priming =
        new Priming("test-fn")
            .step("ok", () -> {})
            .step(
                "checked",
                () -> {
                  throw new java.io.IOException("connection reset");
                })
            .step(
                "missing class",
                () -> {
                  throw new NoClassDefFoundError("software/amazon/Gone");
                });

    try (Stderr err = Stderr.capture()) {
      assertEquals(List.of("checked", "missing class"), priming.run());
      assertEquals(2, err.primingWarnings().size());
      assertEquals(
          "NoClassDefFoundError: software/amazon/Gone", err.primingWarnings().get(1).get("error"));
    }
  }

  @Test
  void anInterruptedStepKeepsTheInterruptAndTheRestStillRun() {
    List<String> ran = new ArrayList<>();
    Priming priming =
        new Priming("test-fn")
            .step(
                "sleeps",
                () -> {
                  throw new InterruptedException("stop");
                })
            .step("after", () -> ran.add("after"));
    try (Stderr err = Stderr.capture()) {
      assertEquals(List.of("sleeps"), priming.run());
      assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
      assertEquals(List.of("after"), ran);
    }
  }

  @Test
  void restoreHasNothingToDoAndStepNamesAreUnique() {
    List<String> ran = new ArrayList<>();
    Priming priming = new Priming("test-fn").step("once", () -> ran.add("once"));
    priming.afterRestore(null);
    assertEquals(List.of(), ran);
    assertEquals(List.of("once"), priming.steps());
    assertThrows(IllegalArgumentException.class, () -> priming.step("once", () -> {}));
    // Off a CRaC runtime registering is a no-op, which the local runtime relies on.
    assertDoesNotThrow(priming::register);
  }

  @Test
  void readOnlyViewsPassReadsThroughAndRefuseEveryWrite() {
    InMemoryEventStore events = new InMemoryEventStore();
    EventStore eventView = ReadOnly.events(events);
    assertEquals(0, eventView.load("s#1").version());
    assertTrue(eventView.findApplied("c1").isEmpty());
    assertEquals(Map.of(), eventView.loadRows(List.of("row#1")));
    var append =
        new EventStore.Append(
            "s#1",
            0,
            List.of(new EventStore.NewEvent("T", 1, "{}")),
            "{}",
            "c1",
            Instant.EPOCH,
            List.of(),
            null,
            new EventStore.Completion("T", "gus", Instant.EPOCH, "t", Instant.EPOCH, true));
    assertThrows(ReadOnly.WriteRefused.class, () -> eventView.append(append));
    assertTrue(events.events("s#1").isEmpty());
    assertTrue(events.findApplied("c1").isEmpty());

    CountingStatusStore statuses = new CountingStatusStore();
    var statusView = ReadOnly.statuses(statuses);
    assertTrue(statusView.find("c1").isEmpty());
    assertEquals(List.of("c1"), statuses.found);
    var pending = CommandStatus.pending("c1", "T", "gus", Instant.EPOCH);
    assertThrows(ReadOnly.WriteRefused.class, () -> statusView.accept(pending));
    assertThrows(ReadOnly.WriteRefused.class, () -> statusView.accept(pending, null));
    assertThrows(
        ReadOnly.WriteRefused.class,
        () -> statusView.complete("c1", CommandStatus.State.REJECTED, "NO", null, Instant.EPOCH));
    assertEquals(0, statuses.writes);

    CountingRowStore rows = new CountingRowStore();
    RowStore rowView = ReadOnly.rows(rows);
    RowKey key = new RowKey("t", "p", "s");
    assertFalse(rowView.get(key, true).isPresent());
    assertEquals(List.of(key), rows.got);
    assertTrue(
        rowView
            .query(new RowStore.RowQuery("t", "p", "a", "z", false, 5, null, true))
            .rows()
            .isEmpty());
    assertThrows(
        ReadOnly.WriteRefused.class,
        () -> rowView.commit(List.of(new RowWrite(key, Map.of("a", "b"), 0))));
    assertThrows(ReadOnly.WriteRefused.class, () -> rowView.clear("t"));
    assertEquals(0, rows.commits);
    assertTrue(rows.rows.snapshot().isEmpty());
  }

  @Test
  void untilFirstWriteStopsQuietlyAtARefusedWriteAndOnlyThere() {
    RowStore view = ReadOnly.rows(new CountingRowStore());
    assertDoesNotThrow(() -> ReadOnly.untilFirstWrite(() -> view.clear("t")));
    List<String> ran = new ArrayList<>();
    ReadOnly.untilFirstWrite(() -> ran.add("no write at all"));
    assertEquals(List.of("no write at all"), ran);
    assertThrows(
        IllegalStateException.class,
        () ->
            ReadOnly.untilFirstWrite(
                () -> {
                  throw new IllegalStateException("a real failure");
                }));
  }
}
