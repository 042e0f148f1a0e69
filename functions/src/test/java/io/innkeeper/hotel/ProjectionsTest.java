package io.innkeeper.hotel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.events.hotel.RoomType;
import io.innkeeper.hotel.inventory.NightLedger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every projection of the hotel domain, fed the same history in order, shuffled and with
 * duplicates: the rows must come out identical, and right.
 */
class ProjectionsTest {
  private static final HotelDomain DOMAIN = new HotelDomain();
  private static final Tables TABLES = Tables.byId(DOMAIN.queryTables());
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
  private static final LocalDate DEC_1 = LocalDate.parse("2026-12-01");
  private static final Money EUR_100 = Money.of("100.00", "EUR");

  /**
   * A hotel with two room types; two overlapping allotments for DBL (the later one lowers the
   * rooms); a month-crossing allotment for FAM; six reservations, two of them cancelled.
   */
  private static List<StoredEvent> history() {
    List<StoredEvent> h = new ArrayList<>();
    h.add(
        event(
            "hotel#h1",
            1,
            new HotelRegistered(
                "h1",
                "Seeblick",
                "Zurich",
                "zurich",
                List.of(new RoomType("DBL", "Double", 2), new RoomType("FAM", "Family", 4)),
                T)));
    h.add(
        event(
            "hotel#h1",
            2,
            new AllotmentSet("h1", "DBL", DEC_1, DEC_1.plusDays(10), 5, EUR_100, T)));
    h.add(
        event(
            "hotel#h1",
            3,
            new AllotmentSet(
                "h1",
                "DBL",
                DEC_1.plusDays(3),
                DEC_1.plusDays(6),
                4,
                Money.of("120.00", "EUR"),
                T)));
    h.add(
        event(
            "hotel#h1",
            4,
            new AllotmentSet(
                "h1",
                "FAM",
                DEC_1.plusDays(28),
                DEC_1.plusDays(35),
                2,
                Money.of("200.00", "EUR"),
                T)));
    placeAndMaybeCancel(h, "r1", "gus", "DBL", 0, 2, false);
    placeAndMaybeCancel(h, "r2", "gus", "DBL", 1, 5, true);
    placeAndMaybeCancel(h, "r3", "olga", "DBL", 4, 6, false);
    placeAndMaybeCancel(h, "r4", "olga", "FAM", 29, 33, false);
    placeAndMaybeCancel(h, "r5", "ida", "FAM", 30, 32, true);
    placeAndMaybeCancel(h, "r6", "ida", "DBL", 3, 4, false);
    return h;
  }

  private static void placeAndMaybeCancel(
      List<StoredEvent> h, String id, String guest, String type, int in, int out, boolean cancel) {
    LocalDate checkIn = DEC_1.plusDays(in);
    LocalDate checkOut = DEC_1.plusDays(out);
    h.add(
        event(
            "reservation#" + id,
            1,
            new ReservationPlaced(
                id, guest, "h1", type, checkIn, checkOut, 2, Money.of("300.00", "EUR"), T)));
    if (cancel) {
      h.add(
          event(
              "reservation#" + id,
              2,
              new ReservationCancelled(id, "h1", type, checkIn, checkOut, guest, null, T)));
    }
  }

  private static StoredEvent event(String stream, long version, DomainEvent e) {
    TypeRegistry.Encoded encoded = HotelDomainEvent.TYPES.encode(e);
    return new StoredEvent(
        stream,
        version,
        encoded.type(),
        encoded.version(),
        encoded.json(),
        "c-" + stream + version,
        T);
  }

  /** The rows of every table, without the store's revisions (they count writes, not content). */
  private static Map<RowKey, Map<String, Object>> project(List<StoredEvent> events) {
    InMemoryRowStore store = new InMemoryRowStore();
    var runtime =
        new ProjectorRuntime(
            DOMAIN.projections(TABLES),
            store,
            new Watermarks(store, "watermarks"),
            DOMAIN.eventTypes());
    events.forEach(runtime::project);
    return store.snapshot().values().stream()
        .collect(Collectors.toMap(Row::key, Row::attributes, (a, b) -> a, TreeMap::new));
  }

  @Test
  void in_order_the_rows_show_the_latest_allotment_and_every_live_booking() {
    Map<RowKey, Map<String, Object>> rows = project(history());

    Map<String, Object> dec = rows.get(new RowKey("occupancy", "hotel#h1", "2026-12#DBL"));
    // Dec 1..10 has 5 rooms except Dec 4..6 (the later allotment: 4).
    assertEquals(5L, dec.get("r01"));
    assertEquals(4L, dec.get("r04"));
    assertEquals(4L, dec.get("r06"));
    assertEquals(5L, dec.get("r07"));
    // Live DBL bookings: r1 Dec 1-2, r3 Dec 5-6, r6 Dec 4; r2 is cancelled.
    assertEquals(1L, dec.get("b01"));
    assertEquals(1L, dec.get("b02"));
    assertFalse(dec.containsKey("b03"), "no bookings reads as absent, whatever the order");
    assertEquals(1L, dec.get("b04"));
    assertEquals(1L, dec.get("b05"));
    assertFalse(dec.containsKey("p01"), "occupancy keeps no rates");
    Map<String, Object> avail = rows.get(new RowKey("availability", "hotel#h1", "2026-12#DBL"));
    assertEquals("120.00", avail.get("p05"));
    assertEquals("EUR", avail.get("c05"));
    // FAM crosses into January: r4 holds Dec 30 .. Jan 2.
    Map<String, Object> jan = rows.get(new RowKey("occupancy", "hotel#h1", "2027-01#FAM"));
    assertEquals(1L, jan.get("b01"));
    assertEquals(1L, jan.get("b02"));
    assertFalse(jan.containsKey("b03"));

    Map<String, Object> r2 = rows.get(new RowKey("reservations", "reservation#r2", "reservation"));
    assertEquals("gus", r2.get("guestId"));
    assertEquals(T.toString(), r2.get("cancelledAt"));
    assertEquals(r2, rows.get(new RowKey("reservations", "guest#gus", "2026-12-02#r2")));
    assertTrue(rows.containsKey(new RowKey("hotels", "city#zurich", "h1")));
    assertEquals(2L, rows.get(new RowKey("watermarks", "reservation#r5", "projected")).get("v"));
    assertEquals(4L, rows.get(new RowKey("watermarks", "hotel#h1", "projected")).get("v"));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void shuffled_and_duplicated_records_give_the_same_rows_as_in_order(long seed) {
    List<StoredEvent> inOrder = history();
    Random random = new Random(seed);
    List<StoredEvent> messy = new ArrayList<>();
    for (StoredEvent e : inOrder) {
      int copies = 1 + random.nextInt(3);
      for (int i = 0; i < copies; i++) {
        messy.add(e);
      }
    }
    Collections.shuffle(messy, random);

    assertEquals(project(inOrder), project(messy));
  }

  /** The rows after delivering {@code events} as stream batches of 1..40 records. */
  private static Map<RowKey, Map<String, Object>> projectInBatches(
      List<StoredEvent> events, Random random) {
    InMemoryRowStore store = new InMemoryRowStore();
    var runtime =
        new ProjectorRuntime(
            DOMAIN.projections(TABLES),
            store,
            new Watermarks(store, "watermarks"),
            DOMAIN.eventTypes());
    int seq = 100;
    for (int from = 0; from < events.size(); ) {
      int size = Math.min(events.size() - from, 1 + random.nextInt(40));
      List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
      for (StoredEvent e : events.subList(from, from + size)) {
        records.add(streamRecord(e, seq++));
      }
      DynamodbEvent batch = new DynamodbEvent();
      batch.setRecords(records);
      assertEquals(List.of(), runtime.handle(batch).getBatchItemFailures());
      from += size;
    }
    return store.snapshot().values().stream()
        .collect(Collectors.toMap(Row::key, Row::attributes, (a, b) -> a, TreeMap::new));
  }

  private static DynamodbEvent.DynamodbStreamRecord streamRecord(StoredEvent e, int seq) {
    Map<String, AttributeValue> image = new java.util.HashMap<>();
    image.put("pk", new AttributeValue().withS(e.streamId()));
    image.put("sk", new AttributeValue().withN(Long.toString(e.version())));
    image.put("kind", new AttributeValue().withS("event"));
    image.put("type", new AttributeValue().withS(e.type()));
    image.put("schemaVersion", new AttributeValue().withN(Integer.toString(e.schemaVersion())));
    image.put("data", new AttributeValue().withS(e.data()));
    image.put("commandId", new AttributeValue().withS(e.commandId()));
    image.put("occurredAt", new AttributeValue().withS(e.occurredAt().toString()));
    var change = new StreamRecord();
    change.setNewImage(image);
    change.setSequenceNumber(Integer.toString(seq));
    var record = new DynamodbEvent.DynamodbStreamRecord();
    record.setDynamodb(change);
    return record;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void stream_batches_applied_in_chunks_give_the_same_rows_as_event_by_event(long seed) {
    List<StoredEvent> inOrder = history();
    Random random = new Random(seed);
    assertEquals(project(inOrder), projectInBatches(inOrder, random));
    List<StoredEvent> messy = new ArrayList<>();
    for (StoredEvent e : inOrder) {
      for (int i = 0, copies = 1 + random.nextInt(3); i < copies; i++) {
        messy.add(e);
      }
    }
    Collections.shuffle(messy, random);
    assertEquals(project(inOrder), projectInBatches(messy, random));
  }

  /** A store whose process dies after {@code writes} writes: every later write fails. */
  private static final class DyingStore implements RowStore {
    private final InMemoryRowStore inner;
    private final int writes;
    private int done;

    DyingStore(InMemoryRowStore inner, int writes) {
      this.inner = inner;
      this.writes = writes;
    }

    @Override
    public Map<RowKey, Row> get(java.util.Collection<RowKey> keys, boolean consistent) {
      return inner.get(keys, consistent);
    }

    @Override
    public synchronized void commit(List<RowWrite> batch) {
      if (batch.isEmpty()) {
        return;
      }
      if (done >= writes) {
        throw new IllegalStateException("the process died");
      }
      inner.commit(batch);
      done++;
    }

    @Override
    public RowPage query(RowQuery query) {
      return inner.query(query);
    }

    @Override
    public void scan(String table, java.util.function.Consumer<Row> each) {
      inner.scan(table, each);
    }

    @Override
    public void clear(String table) {
      inner.clear(table);
    }
  }

  private static ProjectorRuntime runtime(RowStore store) {
    return new ProjectorRuntime(
        DOMAIN.projections(TABLES),
        store,
        new Watermarks(store, "watermarks"),
        DOMAIN.eventTypes());
  }

  /** Delivers {@code events} as stream batches of 1..8 records, stopping at the first failure. */
  private static boolean deliver(
      ProjectorRuntime runtime, List<StoredEvent> events, Random random) {
    int seq = 100;
    for (int from = 0; from < events.size(); ) {
      int size = Math.min(events.size() - from, 1 + random.nextInt(8));
      List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
      for (StoredEvent e : events.subList(from, from + size)) {
        records.add(streamRecord(e, seq++));
      }
      DynamodbEvent batch = new DynamodbEvent();
      batch.setRecords(records);
      if (!runtime.handle(batch).getBatchItemFailures().isEmpty()) {
        return false;
      }
      from += size;
    }
    return true;
  }

  private static Map<RowKey, Map<String, Object>> rows(InMemoryRowStore store) {
    return store.snapshot().values().stream()
        .collect(Collectors.toMap(Row::key, Row::attributes, (a, b) -> a, TreeMap::new));
  }

  /**
   * Per-row writes without a transaction around them (reservations, hotels, watermarks) and one
   * transaction per chunk for the ledgers: a process that dies after any single write of a history
   * (whatever the batches) leaves rows that the redelivered records turn into exactly the rows of
   * an uninterrupted run, and at the moment it died no watermark claimed a reservation version
   * whose rows were not all written.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void a_crash_after_any_write_of_a_chunk_converges_on_redelivery(long seed) {
    List<StoredEvent> events = history();
    Map<RowKey, Map<String, Object>> expected = project(events);
    InMemoryRowStore counting = new InMemoryRowStore();
    DyingStore never = new DyingStore(counting, Integer.MAX_VALUE);
    assertTrue(deliver(runtime(never), events, new Random(seed)));
    int total = never.done;
    assertTrue(total > events.size(), "more than one write per event: " + total);

    for (int crashAfter = 0; crashAfter < total; crashAfter++) {
      InMemoryRowStore store = new InMemoryRowStore();
      assertFalse(
          deliver(runtime(new DyingStore(store, crashAfter)), events, new Random(seed)),
          "the process died after write " + crashAfter);
      assertWatermarksNeverAhead(rows(store), "crash after write " + crashAfter);

      // Lambda delivers the batch again, and the rest after it; here simply everything again.
      assertTrue(deliver(runtime(store), events, new Random(seed + crashAfter)));
      assertEquals(expected, rows(store), "crash after write " + crashAfter);
    }
  }

  /** A reservation stream's watermark at V means every row of its events up to V is written. */
  private static void assertWatermarksNeverAhead(Map<RowKey, Map<String, Object>> rows, String at) {
    rows.forEach(
        (key, mark) -> {
          if (!key.table().equals("watermarks") || !key.pk().startsWith("reservation#")) {
            return;
          }
          String id = key.pk().substring("reservation#".length());
          long v = (Long) mark.get("v");
          Map<String, Object> byId =
              rows.get(new RowKey("reservations", "reservation#" + id, "reservation"));
          assertTrue(byId != null && (v < 1 || byId.containsKey("placed")), at + ": " + id);
          assertTrue(v < 2 || byId.containsKey("cancelled"), at + ": " + id);
          String guestSk = byId.get("checkIn") + "#" + id;
          Map<String, Object> guests =
              rows.get(new RowKey("reservations", "guest#" + byId.get("guestId"), guestSk));
          assertTrue(guests != null && (v < 2 || guests.containsKey("cancelled")), at + ": " + id);
          for (String ledger : List.of("availability", "occupancy")) {
            Map<String, Object> hold = rows.get(new RowKey(ledger, "hold#" + id, "hold"));
            assertTrue(hold != null && (Long) hold.get("v") >= v, at + ": " + ledger + " " + id);
          }
        });
  }

  @Test
  void a_cancellation_seen_before_its_booking_never_counts_below_zero_and_shows_cancelled() {
    List<StoredEvent> h = new ArrayList<>();
    placeAndMaybeCancel(h, "r9", "gus", "DBL", 0, 2, true);
    List<StoredEvent> reversed = List.of(h.get(1), h.get(0));

    Map<RowKey, Map<String, Object>> rows = project(reversed);

    Map<String, Object> month = rows.get(new RowKey("availability", "hotel#h1", "2026-12#DBL"));
    assertTrue(month == null || month.get("b01") == null || (Long) month.get("b01") == 0L);
    assertEquals(
        T.toString(),
        rows.get(new RowKey("reservations", "guest#gus", "2026-12-01#r9")).get("cancelledAt"));
    assertEquals(project(h), rows);
  }

  @Test
  void availability_and_occupancy_are_separate_projections_with_their_own_tables() {
    var projections = DOMAIN.projections(TABLES);
    List<String> names = projections.stream().map(p -> p.name()).toList();
    assertTrue(names.containsAll(List.of("availability", "occupancy")), names.toString());
    List<String> tables = projections.stream().flatMap(p -> p.tables().stream()).toList();
    assertEquals(tables.size(), new java.util.HashSet<>(tables).size(), "a table per projection");
    assertEquals(List.of("availability"), NightLedger.availability("availability").tables());
  }
}
