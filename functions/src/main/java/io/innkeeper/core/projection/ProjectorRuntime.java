package io.innkeeper.core.projection;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.innkeeper.core.aws.Backoff;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.obs.Metrics;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowConflictException;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.TypeRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Feeds every projection, in order. A batch of records is applied in chunks of consecutive events:
 * the chunk reads every row its projections ask for (one batched read per round), applies each
 * projection event after event, and writes their changes, then the streams' watermarks, every write
 * conditional on the revision it read; the chunk is retried from the read when a row moved
 * meanwhile. On the first record that fails it stops and reports that record, so Lambda retries
 * from there (and bisects, and finally parks it) while the records before it stay done. {@link
 * #project} applies one event the same way, alone.
 *
 * <p>How a chunk writes ({@link #commit}): the rows of {@link Projection.Writes#ATOMIC} projections
 * in one transaction, the rows of {@link Projection.Writes#PER_ROW} projections each in a single
 * conditional write (half the write units of a transaction's), and the watermarks last, each in a
 * single conditional write, only once every row of the chunk is written. Why this converges and why
 * a token never sees a version before its rows:
 *
 * <ul>
 *   <li>A crash (or a failed write) anywhere in between leaves some rows written and the watermarks
 *       where they were; Lambda delivers the records again. An atomic projection's rows are all
 *       written or none, and its own guards (versions kept in its rows) make the event a no-op
 *       where they were. A per-row projection computes each row from that row alone, so the written
 *       rows come out the same (and are not written again) and the missing ones are written.
 *   <li>Every write is conditional on the revision the chunk read, so a row another writer (a
 *       rebuild, a second shard's projector) moved in between is never overwritten: the chunk reads
 *       again and applies again, which the projections' own guards make safe.
 *   <li>A watermark is written after every row of its events and only moves forward, so a reader
 *       that sees a stream projected to version V (a consistency token) finds every row of V's
 *       events written.
 * </ul>
 *
 * {@code ProjectionsTest} proves it for the hotel's projections with a crash after every single
 * write of a history ({@code a_crash_after_any_write_of_a_chunk_converges_on_redelivery}).
 *
 * <p>It watches the invocation's time: a chunk is started only while more than {@link
 * #DEFAULT_RESERVE} is left, and when it is not, the first record not applied is reported as failed
 * so the trigger delivers it and the rest again, with everything before it done. Otherwise Lambda
 * would end the invocation at its timeout and the whole batch would count as failed.
 */
public final class ProjectorRuntime {
  private static final int MAX_ATTEMPTS = 10;
  private static final int MAX_READ_ROUNDS = 4;

  /** Between attempts of a write whose rows moved: another projector wrote them a moment ago. */
  private static final Backoff CONFLICT_BACKOFF =
      new Backoff(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(200));

  /** Rows one chunk writes at most: DynamoDB takes 100 items in a transaction. */
  static final int MAX_CHUNK_ITEMS = 90;

  /** Events one chunk applies at most. */
  static final int MAX_CHUNK_EVENTS = 25;

  /** A chunk is started only while more than this is left: two SDK calls' worth. */
  public static final java.time.Duration DEFAULT_RESERVE =
      io.innkeeper.core.aws.SdkSettings.DEFAULT.callTimeout().multipliedBy(2);

  private final List<Projection> projections;
  private final RowStore store;
  private final Watermarks watermarks;
  private final TypeRegistry<DomainEvent> types;

  /**
   * @param types the domain's event registry, which reads the stored events
   */
  public ProjectorRuntime(
      List<Projection> projections,
      RowStore store,
      Watermarks watermarks,
      TypeRegistry<DomainEvent> types) {
    this.projections = List.copyOf(projections);
    this.store = store;
    this.watermarks = watermarks;
    this.types = types;
  }

  public List<Projection> projections() {
    return projections;
  }

  /** Every table the projections write, the watermark table included. */
  public List<String> tables() {
    Set<String> tables = new LinkedHashSet<>();
    projections.forEach(p -> tables.addAll(p.tables()));
    tables.add(watermarks.table());
    return List.copyOf(tables);
  }

  /** A batch without a deadline (tests, tools). */
  public StreamsEventResponse handle(DynamodbEvent batch) {
    return handle(batch, io.innkeeper.core.aws.Deadline.none());
  }

  /** A batch within the invocation's {@code deadline}. */
  public StreamsEventResponse handle(DynamodbEvent batch, io.innkeeper.core.aws.Deadline deadline) {
    List<DynamodbEvent.DynamodbStreamRecord> records = batch.getRecords();
    int next = 0;
    while (next < records.size()) {
      if (deadline.within(DEFAULT_RESERVE)) {
        String seq = records.get(next).getDynamodb().getSequenceNumber();
        Log.warn(
            "batch handed back",
            null,
            "sequenceNumber",
            seq,
            "handedBack",
            records.size() - next,
            "batchSize",
            records.size(),
            "remainingMs",
            Math.max(0, deadline.remaining().toMillis()));
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        failures.add(new StreamsEventResponse.BatchItemFailure(seq));
        return new StreamsEventResponse(failures);
      }
      int applied;
      try {
        applied = projectChunk(records, next);
      } catch (RuntimeException e) {
        // The chunk's first record failed: apply it alone, which reports exactly that record.
        applied = 0;
      }
      if (applied > 0) {
        next += applied;
        continue;
      }
      DynamodbEvent.DynamodbStreamRecord record = records.get(next);
      try {
        StoredEvent stored = storedEvent(record);
        if (stored != null) {
          projectAndReport(stored);
        }
        next++;
      } catch (RuntimeException e) {
        String seq = record.getDynamodb().getSequenceNumber();
        Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
        Log.error(
            "projection failed",
            e,
            "sequenceNumber",
            seq,
            "stream",
            image == null || image.get("pk") == null ? null : image.get("pk").getS(),
            "commandId",
            image == null || image.get("commandId") == null ? null : image.get("commandId").getS());
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        failures.add(new StreamsEventResponse.BatchItemFailure(seq));
        return new StreamsEventResponse(failures);
      }
    }
    return new StreamsEventResponse(new ArrayList<>());
  }

  /**
   * The event a stream record carries; {@code null} for other items (the filter keeps them out).
   */
  private static StoredEvent storedEvent(DynamodbEvent.DynamodbStreamRecord record) {
    Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
    if (image != null && image.get("kind") != null && "event".equals(image.get("kind").getS())) {
      return decode(image);
    }
    return null;
  }

  /**
   * Applies consecutive records from {@code from} in one write: their rows read together (one
   * batched read for the chunk, more only for rows an event finds it needs), every projection
   * applied event after event to the rows as the earlier events left them, and each row written
   * once, then every stream's watermark (see {@link #commit}). A busy stream then costs a few round
   * trips per batch instead of several per event, and a row many events change (a month of
   * availability) is written once.
   *
   * <p>The chunk ends before an event that would take the write past {@link #MAX_CHUNK_ITEMS} rows,
   * after {@link #MAX_CHUNK_EVENTS} events, and before an event that fails: the events before it
   * are written, and that event is left to be applied alone, which reports it.
   *
   * @return how many records were applied (non-event records count), 0 never
   * @throws RuntimeException when the first record of the chunk cannot be applied
   */
  private int projectChunk(List<DynamodbEvent.DynamodbStreamRecord> records, int from) {
    return retryingConflicts(() -> chunkOnce(records, from));
  }

  /** Runs {@code write} again, after a pause, while a row it read moved before it wrote. */
  private static <T> T retryingConflicts(java.util.function.Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (RowConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        CONFLICT_BACKOFF.pause(attempt);
      }
    }
  }

  /** A stored event and its domain event, decoded once. */
  private record Decoded(StoredEvent stored, DomainEvent event) {}

  private Decoded decoded(StoredEvent stored) {
    return new Decoded(stored, types.decode(stored.type(), stored.schemaVersion(), stored.data()));
  }

  private int chunkOnce(List<DynamodbEvent.DynamodbStreamRecord> records, int from) {
    // Each record decoded once; null for records that are not events. The list ends before a
    // record that cannot be decoded, which is then applied alone and reported.
    List<Decoded> decoded = new ArrayList<>();
    for (int j = from; j < Math.min(records.size(), from + MAX_CHUNK_EVENTS); j++) {
      try {
        StoredEvent stored = storedEvent(records.get(j));
        decoded.add(stored == null ? null : decoded(stored));
      } catch (RuntimeException e) {
        if (decoded.isEmpty()) {
          throw e;
        }
        break;
      }
    }
    Chunk chunk = new Chunk();
    // The first round of every event's reads, in one batch.
    Set<RowKey> first = new LinkedHashSet<>();
    Rows nothing = new Rows(Map.of());
    for (Decoded d : decoded) {
      if (d != null) {
        first.add(watermarks.key(d.stored().streamId()));
        for (Projection p : projections) {
          first.addAll(p.reads(d.stored(), d.event(), nothing));
        }
      }
    }
    chunk.fetch(first);

    List<StoredEvent> applied = new ArrayList<>();
    List<List<String>> concernedByEvent = new ArrayList<>();
    int count = 0;
    for (Decoded d : decoded) {
      if (d == null) {
        count++;
        continue;
      }
      List<String> concerned;
      try {
        concerned = chunk.apply(d);
      } catch (ChunkFull full) {
        break;
      } catch (RowConflictException e) {
        throw e;
      } catch (RuntimeException e) {
        if (count == 0) {
          throw e;
        }
        break;
      }
      applied.add(d.stored());
      concernedByEvent.add(concerned);
      count++;
    }
    commit(chunk.writes());
    for (int k = 0; k < applied.size(); k++) {
      report(applied.get(k), concernedByEvent.get(k));
    }
    return count;
  }

  /** Thrown when an event would take a chunk's write past its size; the chunk ends before it. */
  private static final class ChunkFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChunkFull() {
      super(null, null, false, false);
    }
  }

  /**
   * One write's worth of events: rows as read, rows as the events so far have changed them, and the
   * streams' watermarks. A batch fills chunks; {@link #project} uses a chunk of one.
   */
  private final class Chunk {
    private final Map<RowKey, Row> base = new HashMap<>();
    private final Set<RowKey> fetched = new LinkedHashSet<>();
    private final Map<RowKey, Map<String, Object>> changed = new java.util.LinkedHashMap<>();
    private final Map<RowKey, Projection.Writes> how = new HashMap<>();
    private final Map<RowKey, Long> marks = new java.util.LinkedHashMap<>();

    void fetch(Set<RowKey> keys) {
      Set<RowKey> missing = new LinkedHashSet<>(keys);
      missing.removeAll(fetched);
      if (missing.isEmpty()) {
        return;
      }
      base.putAll(store.get(missing, true));
      fetched.addAll(missing);
    }

    /** The rows as the events so far left them: what the next event's projections see. */
    Rows view() {
      Map<RowKey, Row> rows = new HashMap<>(base);
      changed.forEach(
          (key, attributes) -> {
            Row before = base.get(key);
            if (attributes.isEmpty()) {
              rows.remove(key);
            } else {
              rows.put(key, new Row(key, attributes, before == null ? 0 : before.revision()));
            }
          });
      return new Rows(rows);
    }

    /** Applies one event to the chunk's rows; returns the projections it concerns. */
    List<String> apply(Decoded decoded) {
      StoredEvent stored = decoded.stored();
      DomainEvent event = decoded.event();
      Map<Projection, Set<RowKey>> asked = new HashMap<>();
      RowKey mark = watermarks.key(stored.streamId());
      Set<RowKey> wanted = new LinkedHashSet<>(List.of(mark));
      for (int round = 0; round < MAX_READ_ROUNDS; round++) {
        Rows known = view();
        for (Projection p : projections) {
          Set<RowKey> mine = asked.computeIfAbsent(p, x -> new LinkedHashSet<>());
          for (RowKey key : p.reads(stored, event, known)) {
            if (mine.add(key)) {
              wanted.add(key);
            }
          }
        }
        wanted.removeAll(fetched);
        if (wanted.isEmpty()) {
          break;
        }
        fetch(wanted);
        wanted.clear();
      }
      Rows current = view();
      Map<RowKey, Map<String, Object>> mine = new java.util.LinkedHashMap<>();
      Map<RowKey, Projection.Writes> kinds = new HashMap<>();
      for (Projection p : projections) {
        Set<RowKey> read = asked.getOrDefault(p, Set.of());
        for (RowChange change : p.apply(stored, event, current)) {
          if (!read.contains(change.key()) || mine.put(change.key(), change.attributes()) != null) {
            throw new IllegalStateException(
                p.name() + " wrote " + change.key() + ", which it did not read or wrote twice");
          }
          kinds.put(change.key(), p.writes());
        }
      }
      int added = 0;
      for (RowKey key : mine.keySet()) {
        if (!changed.containsKey(key)) {
          added++;
        }
      }
      if (!marks.containsKey(mark)) {
        added++;
      }
      if (!changed.isEmpty() && changed.size() + marks.size() + added > MAX_CHUNK_ITEMS) {
        throw new ChunkFull();
      }
      changed.putAll(mine);
      how.putAll(kinds);
      marks.merge(mark, stored.version(), Math::max);
      List<String> concerned = new ArrayList<>();
      for (Projection p : projections) {
        if (!asked.getOrDefault(p, Set.of()).isEmpty()) {
          concerned.add(p.name());
        }
      }
      return concerned;
    }

    /**
     * One write per changed row (none for a row back where it was) and per moved watermark, sorted
     * by how they are written.
     */
    Plan writes() {
      List<RowWrite> atomic = new ArrayList<>();
      List<RowWrite> single = new ArrayList<>();
      changed.forEach(
          (key, attributes) -> {
            Row before = base.get(key);
            boolean same =
                before == null ? attributes.isEmpty() : before.attributes().equals(attributes);
            if (!same) {
              RowWrite w = new RowWrite(key, attributes, before == null ? 0 : before.revision());
              (how.get(key) == Projection.Writes.PER_ROW ? single : atomic).add(w);
            }
          });
      List<RowWrite> watermarks = new ArrayList<>();
      marks.forEach(
          (mark, version) -> {
            Row row = base.get(mark);
            if (row == null || row.number(Watermarks.VERSION, 0) < version) {
              watermarks.add(
                  new RowWrite(
                      mark, Map.of(Watermarks.VERSION, version), row == null ? 0 : row.revision()));
            }
          });
      return new Plan(atomic, single, watermarks);
    }
  }

  /**
   * A chunk's writes: the atomic projections' rows (one transaction), the per-row projections' rows
   * and the watermarks (single writes each).
   */
  record Plan(List<RowWrite> atomic, List<RowWrite> single, List<RowWrite> watermarks) {}

  /**
   * Writes a chunk: the atomic rows' transaction and each per-row row side by side, then, once all
   * of them are written, the watermarks, side by side too (see the class comment for why in this
   * order). Side by side because each is a round trip of its own: one after the other, a chunk of
   * two bookings would wait for eight of them instead of two.
   *
   * @throws RowConflictException when a row moved since it was read; what was written stays, and
   *     the chunk applied again finds it
   */
  private void commit(Plan plan) {
    List<Runnable> rows = new ArrayList<>();
    if (!plan.atomic().isEmpty()) {
      rows.add(() -> store.commit(plan.atomic()));
    }
    for (RowWrite w : plan.single()) {
      rows.add(() -> store.commit(List.of(w)));
    }
    sideBySide(rows);
    List<Runnable> marks = new ArrayList<>();
    for (RowWrite w : plan.watermarks()) {
      marks.add(() -> store.commit(List.of(w)));
    }
    sideBySide(marks);
  }

  /**
   * Runs every write, the first on this thread and each other one on a thread of its own, and
   * returns when all have ended. A fresh thread per write, not a pool: they are few per chunk, and
   * a new thread inherits what the caller's thread carries (a local runtime's metering and chaos).
   *
   * @throws RuntimeException the first failure once all have ended, one that is not a {@link
   *     RowConflictException} before a conflict (a conflict means "read again", anything else must
   *     not be retried as one)
   */
  private static void sideBySide(List<Runnable> writes) {
    if (writes.size() <= 1) {
      writes.forEach(Runnable::run);
      return;
    }
    RuntimeException[] failures = new RuntimeException[writes.size()];
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i < writes.size(); i++) {
      int k = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  writes.get(k).run();
                } catch (RuntimeException e) {
                  failures[k] = e;
                }
              },
              "projector-write");
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    try {
      writes.get(0).run();
    } catch (RuntimeException e) {
      failures[0] = e;
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the writes are in flight: wait for them all the same
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    RuntimeException chosen = null;
    for (RuntimeException f : failures) {
      if (f != null
          && (chosen == null
              || (chosen instanceof RowConflictException
                  && !(f instanceof RowConflictException)))) {
        chosen = f;
      }
    }
    if (chosen != null) {
      throw chosen;
    }
  }

  /**
   * Projects one event from the stream and says so: one line with the command and request that
   * caused it and its lag, and the lag metric of each projection the event concerns. Lag is from
   * the event's {@code occurredAt} (when the command handler wrote it) to now, when every read
   * model reflects it.
   */
  private void projectAndReport(StoredEvent stored) {
    try (Log.Scope scope =
        Log.with("commandId", stored.commandId(), "requestId", stored.requestId())) {
      report(stored, apply(stored));
    }
  }

  /** The line and the lag metrics of one event applied now. */
  private void report(StoredEvent stored, List<String> concerned) {
    try (Log.Scope scope =
        Log.with("commandId", stored.commandId(), "requestId", stored.requestId())) {
      long lag = Math.max(0, System.currentTimeMillis() - stored.occurredAt().toEpochMilli());
      Log.info(
          "event projected",
          "stream",
          stored.streamId(),
          "version",
          stored.version(),
          "eventType",
          stored.type(),
          "occurredAt",
          stored.occurredAt().toString(),
          "lagMs",
          lag,
          "projections",
          concerned);
      for (String projection : concerned) {
        Metrics.put(MetricCatalog.PROJECTION_LAG, lag, projection);
      }
    }
  }

  /**
   * Applies one stored event to every projection and advances its stream's watermark once its rows
   * are written. Safe to call for an event already applied, out of order, and beside another
   * projector.
   */
  public void project(StoredEvent stored) {
    apply(stored);
  }

  /** {@link #project}; returns the names of the projections the event concerns. */
  private List<String> apply(StoredEvent stored) {
    Decoded decoded = decoded(stored);
    return retryingConflicts(
        () -> {
          // A chunk of one: never full, so it holds the event whatever its size.
          Chunk chunk = new Chunk();
          List<String> concerned = chunk.apply(decoded);
          commit(chunk.writes());
          return concerned;
        });
  }

  /** Reads an event item of the events table as the stream delivers it. */
  public static StoredEvent decode(Map<String, AttributeValue> image) {
    return new StoredEvent(
        image.get("pk").getS(),
        Long.parseLong(image.get("sk").getN()),
        image.get("type").getS(),
        Integer.parseInt(image.get("schemaVersion").getN()),
        image.get("data").getS(),
        Objects.requireNonNull(image.get("commandId"), "commandId").getS(),
        Instant.parse(image.get("occurredAt").getS()),
        image.get("requestId") == null ? null : image.get("requestId").getS());
  }
}
