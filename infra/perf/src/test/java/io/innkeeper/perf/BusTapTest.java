package io.innkeeper.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.innkeeper.events.published.CloudEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a tap received against the record: missing, doubled and out-of-order events counted. */
class BusTapTest {

  private static CloudEvent event(String subject, long sequence) {
    return new CloudEvent(
        CloudEvent.idOf(subject, sequence),
        "urn:test",
        "io.innkeeper.test.thing.happened.v1",
        Instant.parse("2026-12-07T10:00:00Z"),
        subject,
        sequence,
        Map.of());
  }

  private static final Map<String, List<CloudEvent>> RECORD =
      Map.of(
          "a", List.of(event("a", 1), event("a", 2), event("a", 3)),
          "b", List.of(event("b", 1), event("b", 2)));

  @Test
  void every_event_once_in_order_per_aggregate_interleaved_is_clean() {
    var c =
        BusTap.compare(
            List.of(event("a", 1), event("b", 1), event("a", 2), event("b", 2), event("a", 3)),
            RECORD);
    assertEquals(0, c.problems(), c.examples().toString());
  }

  @Test
  void a_missing_a_doubled_and_an_overtaking_event_each_count() {
    var c =
        BusTap.compare(
            List.of(event("a", 2), event("a", 1), event("a", 1), event("b", 1), event("a", 3)),
            RECORD);
    assertEquals(List.of("b@2"), c.missing());
    assertEquals(List.of("a x2"), c.doubled());
    assertEquals(List.of("a 2 then 1"), c.outOfOrder());
    assertEquals(3, c.problems());
  }
}
