package io.innkeeper.core.bus;

import static io.innkeeper.core.bus.BusFixture.batch;
import static io.innkeeper.core.bus.BusFixture.cancelled;
import static io.innkeeper.core.bus.BusFixture.placed;
import static io.innkeeper.core.bus.BusFixture.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelPublishing;
import io.innkeeper.events.hotel.published.HotelPublishedEvent;
import io.innkeeper.events.published.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class PublisherRuntimeTest {
  static final String SOURCE = CloudEvent.sourceOf("test", "hotel");

  /** A topic that records every call and fails the entries {@code failing} names. */
  static final class RecordingTopic implements TopicPort {
    final List<List<Entry>> calls = new ArrayList<>();
    BiFunction<Integer, Entry, String> failing = (call, e) -> null;
    RuntimeException throwing;

    @Override
    public Map<String, String> publishBatch(List<Entry> entries) {
      calls.add(List.copyOf(entries));
      if (throwing != null) {
        throw throwing;
      }
      Map<String, String> failed = new LinkedHashMap<>();
      for (Entry e : entries) {
        String reason = failing.apply(calls.size(), e);
        if (reason != null) {
          failed.put(e.id(), reason);
        }
      }
      return failed;
    }

    List<Entry> all() {
      return calls.stream().flatMap(List::stream).toList();
    }
  }

  private final RecordingTopic topic = new RecordingTopic();
  private final PublisherRuntime publisher =
      new PublisherRuntime(HotelPublishing.LANGUAGE, HotelDomainEvent.TYPES, topic, SOURCE);

  /** 3 reservations placed and then cancelled, interleaved: 6 records of 3 aggregates. */
  private static List<DynamodbEvent.DynamodbStreamRecord> mixed() {
    return List.of(
        record("reservation#R1", 1, placed("R1", "gus"), 1),
        record("reservation#R2", 1, placed("R2", "ann"), 2),
        record("reservation#R1", 2, cancelled("R1"), 3),
        record("reservation#R3", 1, placed("R3", "gus"), 4),
        record("reservation#R2", 2, cancelled("R2"), 5),
        record("reservation#R3", 2, cancelled("R3"), 6));
  }

  @Test
  void given_a_mixed_batch_when_published_then_every_event_goes_once_in_order_per_aggregate() {
    StreamsEventResponse response = publisher.handle(batch(mixed()));

    assertEquals(List.of(), response.getBatchItemFailures());
    List<TopicPort.Entry> all = topic.all();
    assertEquals(6, all.size());
    Map<String, List<Long>> sequences = new LinkedHashMap<>();
    for (TopicPort.Entry e : all) {
      CloudEvent event = CloudEvent.parse(e.body());
      assertEquals(event.subject(), e.groupId(), "the aggregate is the message group");
      assertEquals(event.id(), e.deduplicationId(), "the event id deduplicates");
      assertEquals(event.type(), e.type());
      assertEquals(CloudEvent.idOf(event.subject(), event.sequence()), event.id());
      sequences.computeIfAbsent(event.subject(), s -> new ArrayList<>()).add(event.sequence());
    }
    sequences.values().forEach(s -> assertEquals(List.of(1L, 2L), s));
    for (List<TopicPort.Entry> call : topic.calls) {
      Set<String> groups = new HashSet<>();
      call.forEach(e -> assertTrue(groups.add(e.groupId()), "one entry per aggregate per call"));
      assertTrue(call.size() <= TopicPort.MAX_ENTRIES);
    }
    assertEquals(HotelPublishedEvent.RESERVATION_PLACED, all.get(0).type());
  }

  @Test
  void given_a_redelivered_batch_when_published_again_then_the_ids_are_the_same() {
    publisher.handle(batch(mixed()));
    List<String> first = topic.all().stream().map(TopicPort.Entry::deduplicationId).toList();
    topic.calls.clear();
    publisher.handle(batch(mixed()));
    assertEquals(first, topic.all().stream().map(TopicPort.Entry::deduplicationId).toList());
  }

  @Test
  void given_a_failed_entry_when_published_then_the_batch_fails_from_its_record_and_stops() {
    // The first call holds R1@1, R2@1 (R1@2 waits for the next call); R2@1 fails.
    topic.failing =
        (call, e) ->
            call == 1 && e.groupId().equals("reservation#R2") ? "InternalError: try again" : null;

    StreamsEventResponse response = publisher.handle(batch(mixed()));

    assertEquals(
        List.of("00002"),
        response.getBatchItemFailures().stream()
            .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
            .toList());
    assertEquals(1, topic.calls.size(), "nothing after the failure is sent");
    assertEquals(List.of("reservation#R1", "reservation#R2"), groups(topic.calls.get(0)));
  }

  @Test
  void given_the_call_fails_when_published_then_the_batch_fails_from_its_first_event() {
    topic.throwing = new IllegalStateException("endpoint unreachable");
    var records = new ArrayList<DynamodbEvent.DynamodbStreamRecord>();
    records.add(nonEvent(1));
    records.addAll(mixed().subList(1, 3));
    StreamsEventResponse response = publisher.handle(batch(records));
    assertEquals(
        "00002", response.getBatchItemFailures().get(0).getItemIdentifier(), "the first event");
  }

  @Test
  void given_an_unreadable_record_when_published_then_what_precedes_it_goes_and_it_fails() {
    var records = new ArrayList<>(mixed().subList(0, 2));
    var bad = record("reservation#R9", 1, placed("R9", "gus"), 3);
    bad.getDynamodb().getNewImage().put("type", new AttributeValue().withS("NoSuchEvent"));
    records.add(bad);
    records.add(mixed().get(3));

    StreamsEventResponse response = publisher.handle(batch(records));

    assertEquals("00003", response.getBatchItemFailures().get(0).getItemIdentifier());
    assertEquals(List.of("reservation#R1", "reservation#R2"), groups(topic.all()));
  }

  @Test
  void given_an_aggregate_with_many_events_when_published_then_each_waits_for_the_one_before() {
    var records = new ArrayList<DynamodbEvent.DynamodbStreamRecord>();
    for (int v = 1; v <= 4; v++) {
      records.add(record("reservation#R1", v, v % 2 == 1 ? placed("R1", "g") : cancelled("R1"), v));
    }
    publisher.handle(batch(records));
    assertEquals(4, topic.calls.size(), "one call per event of one aggregate");
  }

  @Test
  void given_little_time_left_when_published_then_the_batch_is_handed_back_unsent() {
    StreamsEventResponse response =
        publisher.handle(
            batch(mixed()), () -> ProjectorRuntime.DEFAULT_RESERVE.minus(Duration.ofMillis(1)));
    assertEquals("00001", response.getBatchItemFailures().get(0).getItemIdentifier());
    assertEquals(0, topic.calls.size());
  }

  @Test
  void given_a_large_batch_of_distinct_aggregates_when_published_then_calls_hold_ten() {
    var records = new ArrayList<DynamodbEvent.DynamodbStreamRecord>();
    for (int i = 1; i <= 25; i++) {
      records.add(record("reservation#R" + i, 1, placed("R" + i, "g"), i));
    }
    publisher.handle(batch(records));
    assertEquals(List.of(10, 10, 5), topic.calls.stream().map(List::size).toList());
  }

  private static DynamodbEvent.DynamodbStreamRecord nonEvent(int seq) {
    var r = record("reservation#R0", 1, placed("R0", "g"), seq);
    r.getDynamodb().getNewImage().put("kind", new AttributeValue().withS("head"));
    return r;
  }

  private static List<String> groups(List<TopicPort.Entry> entries) {
    return entries.stream().map(TopicPort.Entry::groupId).toList();
  }

  @Test
  void given_a_parked_event_when_published_on_its_own_then_it_goes_with_its_id_and_group() {
    var stored = ProjectorRuntime.decode(mixed().get(2).getDynamodb().getNewImage());
    var event = publisher.publishOne(stored).orElseThrow();
    assertEquals(1, topic.calls.size());
    TopicPort.Entry entry = topic.calls.get(0).get(0);
    assertEquals(CloudEvent.idOf("reservation#R1", 2), entry.deduplicationId());
    assertEquals("reservation#R1", entry.groupId());
    assertEquals(HotelPublishedEvent.RESERVATION_CANCELLED, entry.type());
    assertEquals(event.toJson(), entry.body());

    // Refused: the caller hears of it, and nothing counts as published.
    topic.failing = (call, e) -> "InternalError";
    var refused = assertThrows(IllegalStateException.class, () -> publisher.publishOne(stored));
    assertTrue(refused.getMessage().contains("InternalError"), refused.getMessage());
  }
}
