package io.innkeeper.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ProjectorRuntimeTest {
  private static final String WATERMARKS = "watermarks";
  private static final RowKey COUNTER = new RowKey("counts", "cities", "all");

  private final InMemoryRowStore store = new InMemoryRowStore();

  private static DynamodbEvent fixture() throws Exception {
    try (InputStream in =
        ProjectorRuntimeTest.class.getResourceAsStream("/events/projector-batch.json")) {
      return LambdaEventSerializers.serializerFor(
              DynamodbEvent.class, ProjectorRuntimeTest.class.getClassLoader())
          .fromJson(in);
    }
  }

  /**
   * Counts hotels per city key, guarded by a per-hotel row so each hotel counts once; records what
   * it saw and fails on one stream if told to.
   */
  private static class CityCount implements Projection {
    final List<String> seen = new ArrayList<>();
    final String failOn;

    CityCount(String failOn) {
      this.failOn = failOn;
    }

    @Override
    public String name() {
      return "city-count";
    }

    @Override
    public List<String> tables() {
      return List.of("counts");
    }

    @Override
    public List<RowKey> reads(StoredEvent source, DomainEvent event, Rows known) {
      return List.of(COUNTER, new RowKey("counts", "seen", source.streamId()));
    }

    @Override
    public List<RowChange> apply(StoredEvent source, DomainEvent event, Rows current) {
      if (source.streamId().equals(failOn)) {
        throw new IllegalStateException("cannot apply");
      }
      HotelRegistered e = (HotelRegistered) event;
      seen.add(source.streamId() + "@" + source.version() + " " + e.cityKey());
      RowKey guard = new RowKey("counts", "seen", source.streamId());
      if (current.get(guard).isPresent()) {
        return List.of();
      }
      long count = current.get(COUNTER).map(r -> r.number("n", 0)).orElse(0L);
      return List.of(
          new RowChange(COUNTER, Map.of("n", count + 1)), new RowChange(guard, Map.of("v", 1L)));
    }
  }

  private ProjectorRuntime runtime(Projection... projections) {
    return new ProjectorRuntime(
        List.of(projections), store, new Watermarks(store, WATERMARKS), HotelDomainEvent.TYPES);
  }

  private long count() {
    return store.get(COUNTER, true).map(r -> r.number("n", 0)).orElse(0L);
  }

  @Test
  void every_event_record_reaches_every_projection_in_order_upcast_and_other_items_are_skipped()
      throws Exception {
    var p = new CityCount(null);

    var response = runtime(p).handle(fixture());

    assertTrue(response.getBatchItemFailures().isEmpty());
    // The fixture holds v1 HotelRegistered payloads: the projection sees them upcast to v2.
    assertEquals(List.of("hotel#h1@1 zurich", "hotel#h2@1 zurich"), p.seen);
    assertEquals(2, count());
    var watermarks = new Watermarks(store, WATERMARKS);
    assertEquals(1, watermarks.projected("hotel#h1"));
    assertEquals(0, watermarks.projected("hotel#h9"));
  }

  @Test
  void short_of_time_the_runtime_hands_the_batch_back_from_the_first_record_not_applied()
      throws Exception {
    var p = new CityCount(null);

    // Only a second left of the invocation: less than the reserve a chunk needs.
    var response = runtime(p).handle(fixture(), () -> java.time.Duration.ofSeconds(1));

    assertEquals(1, response.getBatchItemFailures().size());
    assertEquals("100", response.getBatchItemFailures().get(0).getItemIdentifier());
    assertTrue(p.seen.isEmpty());
    assertTrue(store.snapshot().isEmpty(), "nothing applied, nothing half-applied");

    // With time enough the same batch goes through.
    assertTrue(runtime(p).handle(fixture()).getBatchItemFailures().isEmpty());
    assertEquals(2, count());
  }

  @Test
  void a_batch_delivered_twice_changes_nothing_the_second_time() throws Exception {
    var runtime = runtime(new CityCount(null));
    runtime.handle(fixture());
    Map<RowKey, Row> once = store.snapshot();

    runtime.handle(fixture());

    assertEquals(once, store.snapshot(), "same rows at the same revisions");
  }

  @Test
  void a_failing_record_is_reported_by_sequence_number_and_nothing_after_it_is_applied()
      throws Exception {
    var p = new CityCount("hotel#h1");

    var response = runtime(p).handle(fixture());

    assertEquals(1, response.getBatchItemFailures().size());
    assertEquals("100", response.getBatchItemFailures().get(0).getItemIdentifier());
    assertTrue(p.seen.isEmpty());
    assertTrue(store.snapshot().isEmpty(), "not even the watermark moved");
  }

  @Test
  void a_row_changed_by_another_writer_between_read_and_write_is_read_again_and_counted_once() {
    AtomicBoolean interfered = new AtomicBoolean();
    InMemoryRowStore racing = new InMemoryRowStore();
    RowStore interfering =
        new RowStore() {
          @Override
          public Map<RowKey, Row> get(Collection<RowKey> keys, boolean consistent) {
            return racing.get(keys, consistent);
          }

          @Override
          public void commit(List<RowWrite> writes) {
            if (interfered.compareAndSet(false, true)) {
              // Another projector (a rebuild) counts a different hotel first.
              racing.commit(List.of(new RowWrite(COUNTER, Map.of("n", 1L), 0)));
            }
            racing.commit(writes);
          }

          @Override
          public RowPage query(RowQuery query) {
            return racing.query(query);
          }

          @Override
          public void scan(String table, Consumer<Row> each) {
            racing.scan(table, each);
          }

          @Override
          public void clear(String table) {
            racing.clear(table);
          }
        };
    var runtime =
        new ProjectorRuntime(
            List.of(new CityCount(null)),
            interfering,
            new Watermarks(interfering, WATERMARKS),
            HotelDomainEvent.TYPES);

    runtime.project(hotel("h1", 1));

    assertEquals(2L, racing.get(COUNTER, true).orElseThrow().number("n", 0));
  }

  @Test
  void a_projection_that_writes_a_row_it_did_not_read_is_a_bug_and_writes_nothing() {
    Projection sloppy =
        new CityCount(null) {
          @Override
          public List<RowKey> reads(StoredEvent source, DomainEvent event, Rows known) {
            return List.of(COUNTER);
          }
        };

    assertThrows(IllegalStateException.class, () -> runtime(sloppy).project(hotel("h1", 1)));
    assertTrue(store.snapshot().isEmpty());
  }

  private static StoredEvent hotel(String id, long version) {
    return new StoredEvent(
        "hotel#" + id,
        version,
        "HotelRegistered",
        2,
        "{\"hotelId\":\""
            + id
            + "\",\"name\":\"Seeblick\",\"city\":\"Zurich\",\"cityKey\":\"zurich\","
            + "\"roomTypes\":[{\"code\":\"DBL\",\"name\":\"Double room\",\"maxGuests\":2}],"
            + "\"registeredAt\":\"2026-11-23T10:15:30Z\"}",
        "c-" + id,
        Instant.parse("2026-11-23T10:15:30Z"));
  }
}
