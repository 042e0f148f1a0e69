package io.innkeeper.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.console.Journal.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The journal keeps each command's steps in time order, merges a step that may happen once, tells
 * its listeners of every change, and stays within its bounds however much the runtime does: the
 * newest journeys, steps, notes and seconds of lag are kept, what falls off is counted.
 */
class JournalTest {

  private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

  private final Journal journal = new Journal();

  @Test
  void steps_come_back_in_time_order_with_their_offset_from_the_first() {
    journal.step("C1", step(T0.plusMillis(30), "decided"), "decision");
    journal.step("C1", step(T0, "accepted"), "accepted");
    journal.step("C1", step(T0.plusMillis(12), "received"), null);

    Map<String, Object> journey = journal.journey("C1").orElseThrow();
    List<?> steps = (List<?>) journey.get("journey");
    assertEquals(List.of("accepted", "received", "decided"), kinds(steps));
    assertEquals(List.of(0L, 12L, 30L), offsets(steps));
    assertEquals(T0.toString(), journey.get("firstAt"));
  }

  @Test
  void a_step_of_a_write_seen_before_the_write_is_held_until_its_writer_is_known() {
    // The bus delivered the event, and a subscriber handled it, before the stream's reader
    // reported the write.
    journal.stepOfWrite(
        "reservation#R1", 1L, T0.plusMillis(40), step(T0.plusMillis(40), "subscriber"), "s");
    journal.stepOfWrite(
        "reservation#R1", null, T0.plusMillis(30), step(T0.plusMillis(30), "published"), "p");
    assertTrue(journal.journey("C1").isEmpty(), "no journey before the write is known");

    journal.wrote("reservation#R1", 1, "C1", T0.plusMillis(20));
    List<?> steps = (List<?>) journal.journey("C1").orElseThrow().get("journey");
    assertEquals(List.of("published", "subscriber"), kinds(steps));

    // A later version goes to its own writer, not the last one remembered.
    journal.stepOfWrite(
        "reservation#R1", 2L, T0.plusMillis(90), step(T0.plusMillis(90), "subscriber"), "s2");
    journal.wrote("reservation#R1", 2, "C2", T0.plusMillis(80));
    assertEquals(1, ((List<?>) journal.journey("C2").orElseThrow().get("journey")).size());
    assertEquals(2, ((List<?>) journal.journey("C1").orElseThrow().get("journey")).size());
  }

  @Test
  void a_step_that_happens_once_is_merged_keeping_the_earlier_time_and_both_details() {
    journal.step(
        "C1",
        new Step(T0.plusMillis(5), "accepted", "api", "a", Map.of("x", 1), false),
        "accepted");
    journal.step("C1", new Step(T0, "accepted", "log", "b", Map.of("y", 2), false), "accepted");
    journal.step("C1", step(T0.plusMillis(9), "received"), null);
    journal.step("C1", step(T0.plusMillis(19), "received"), null);

    List<?> steps = (List<?>) journal.journey("C1").orElseThrow().get("journey");
    assertEquals(List.of("accepted", "received", "received"), kinds(steps));
    Map<?, ?> accepted = (Map<?, ?>) steps.get(0);
    assertEquals(T0.toString(), accepted.get("at"));
    assertEquals(Map.of("x", 1, "y", 2), accepted.get("detail"));
  }

  @Test
  void listeners_hear_each_step_and_each_change_of_a_summary_but_not_a_repeat() {
    List<Map<String, Object>> heard = new ArrayList<>();
    Runnable stop = journal.subscribe(heard::add);
    journal.describe("C1", Map.of("status", "PENDING"));
    journal.describe("C1", Map.of("status", "PENDING"));
    journal.step("C1", step(T0, "accepted"), "accepted");
    journal.describe("C1", Map.of("status", "SUCCEEDED"));
    stop.run();
    journal.describe("C1", Map.of("status", "FAILED"));

    assertEquals(
        List.of("journey", "step", "journey"), heard.stream().map(m -> m.get("type")).toList());
    Map<?, ?> last = (Map<?, ?>) heard.get(2).get("journey");
    assertEquals("SUCCEEDED", last.get("status"));
  }

  @Test
  void memory_is_bounded_and_what_falls_off_is_counted() {
    for (int i = 0; i < Journal.MAX_JOURNEYS + 25; i++) {
      journal.step("C" + i, step(T0.plusMillis(i), "accepted"), "accepted");
    }
    assertEquals(Journal.MAX_JOURNEYS, journal.recent().size());
    assertFalse(journal.knows("C0"), "the oldest journey is forgotten");
    assertTrue(journal.knows("C" + (Journal.MAX_JOURNEYS + 24)));
    assertEquals(25L, journal.stats().get("forgottenJourneys"));

    for (int i = 0; i < Journal.MAX_STEPS + 10; i++) {
      journal.step("long", step(T0.plusMillis(i), "received"), null);
    }
    Map<String, Object> longOne = journal.journey("long").orElseThrow();
    assertEquals(Journal.MAX_STEPS, ((List<?>) longOne.get("journey")).size());
    assertEquals(10, longOne.get("droppedSteps"));
    assertEquals(Journal.MAX_STEPS + 10, longOne.get("steps"));

    for (int i = 0; i < Journal.MAX_NOTES + 7; i++) {
      journal.note("chaos", T0.plusMillis(i), "n" + i, Map.of());
    }
    List<Map<String, Object>> notes = journal.notes("chaos");
    assertEquals(Journal.MAX_NOTES, notes.size());
    assertEquals("n" + (Journal.MAX_NOTES + 6), notes.get(0).get("title"), "newest first");
    assertEquals(7L, journal.stats().get("forgottenNotes"));
  }

  @Test
  void a_lag_series_keeps_the_highest_lag_of_each_second_and_gaps_where_nothing_was_applied() {
    journal.lag("projection:a", T0, 40);
    journal.lag("projection:a", T0.plusMillis(500), 90);
    journal.lag("projection:a", T0.plusSeconds(3), 15);

    Map<String, Object> lag = journal.lagSeries(T0.plusSeconds(4));
    assertEquals(T0.plusSeconds(4).getEpochSecond(), lag.get("to"));
    List<?> a = (List<?>) ((Map<?, ?>) lag.get("series")).get("projection:a");
    assertEquals(Journal.SERIES_SECONDS, a.size());
    int n = a.size();
    // ..., T0: 90, T0+1: -, T0+2: -, T0+3: 15, T0+4 (now): -
    assertEquals(90L, a.get(n - 5));
    assertNull(a.get(n - 4));
    assertNull(a.get(n - 3));
    assertEquals(15L, a.get(n - 2));
    assertNull(a.get(n - 1));

    // Past the window, the old seconds are gone, not wrapped around.
    journal.lag("projection:a", T0.plusSeconds(Journal.SERIES_SECONDS + 5), 7);
    List<?> later =
        (List<?>)
            ((Map<?, ?>)
                    journal.lagSeries(T0.plusSeconds(Journal.SERIES_SECONDS + 5)).get("series"))
                .get("projection:a");
    assertEquals(7L, later.get(later.size() - 1));
    assertEquals(1, later.stream().filter(v -> v != null).count(), later.toString());
  }

  @Test
  void the_writer_of_a_streams_version_ties_later_sightings_to_their_command() {
    journal.wrote("thing#1", 1, "C1", T0);
    journal.wrote("thing#1", 2, "C2", T0.plusMillis(10));
    assertEquals("C2", journal.writer("thing#1", 2).orElseThrow());
    assertEquals("C1", journal.lastWriter("thing#1", T0.plusMillis(5)).orElseThrow());
    assertEquals("C2", journal.lastWriter("thing#1", T0.plusMillis(50)).orElseThrow());
    assertTrue(journal.writer("thing#2", 1).isEmpty());
  }

  private static Step step(Instant at, String kind) {
    return new Step(at, kind, "somewhere", kind, Map.of(), false);
  }

  private static List<Object> kinds(List<?> steps) {
    return steps.stream().map(s -> ((Map<?, ?>) s).get("kind")).map(Object.class::cast).toList();
  }

  private static List<Object> offsets(List<?> steps) {
    return steps.stream()
        .map(s -> ((Map<?, ?>) s).get("offsetMs"))
        .map(Object.class::cast)
        .toList();
  }
}
