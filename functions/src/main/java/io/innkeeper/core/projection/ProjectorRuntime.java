package io.innkeeper.core.projection;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.Metrics;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowConflictException;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.EventTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Feeds every projection, record by record, in order. For one event it reads every row the
 * projections ask for (one batched read per round), applies each projection, and writes all their
 * changes with the stream's watermark in one conditional write, retried from the read when a row
 * moved meanwhile. On the first record that fails it stops and reports that record, so Lambda
 * retries from there (and bisects, and finally parks it) while the records before it stay done.
 */
public final class ProjectorRuntime {
  private static final int MAX_ATTEMPTS = 10;
  private static final int MAX_READ_ROUNDS = 4;

  private final List<Projection> projections;
  private final RowStore store;
  private final Watermarks watermarks;

  public ProjectorRuntime(List<Projection> projections, RowStore store, Watermarks watermarks) {
    this.projections = List.copyOf(projections);
    this.store = store;
    this.watermarks = watermarks;
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

  public StreamsEventResponse handle(DynamodbEvent batch) {
    for (DynamodbEvent.DynamodbStreamRecord record : batch.getRecords()) {
      try {
        Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
        if (image != null
            && image.get("kind") != null
            && "event".equals(image.get("kind").getS())) {
          projectAndReport(decode(image));
        } // heads, state rows and command markers: the filter normally keeps them out
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
   * Projects one event from the stream and says so: one line with the command and request that
   * caused it and its lag, and the lag metric of each projection the event concerns. Lag is from
   * the event's {@code occurredAt} (when the command handler wrote it) to now, when every read
   * model reflects it.
   */
  private void projectAndReport(StoredEvent stored) {
    try (Log.Scope scope =
        Log.with("commandId", stored.commandId(), "requestId", stored.requestId())) {
      List<String> concerned = apply(stored);
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
        Metrics.put(Metrics.PROJECTION_LAG, lag, projection);
      }
    }
  }

  /**
   * Applies one stored event to every projection and advances its stream's watermark, all in one
   * write. Safe to call for an event already applied, out of order, and beside another projector.
   */
  public void project(StoredEvent stored) {
    apply(stored);
  }

  /** {@link #project}; returns the names of the projections the event concerns. */
  private List<String> apply(StoredEvent stored) {
    DomainEvent event =
        EventTypes.REGISTRY.decode(stored.type(), stored.schemaVersion(), stored.data());
    for (int attempt = 1; ; attempt++) {
      try {
        return projectOnce(stored, event);
      } catch (RowConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        backOff(attempt);
      }
    }
  }

  private List<String> projectOnce(StoredEvent stored, DomainEvent event) {
    Map<RowKey, Row> read = new HashMap<>();
    Map<Projection, Set<RowKey>> asked = new HashMap<>();
    RowKey mark = watermarks.key(stored.streamId());
    Set<RowKey> wanted = new LinkedHashSet<>(List.of(mark));
    for (int round = 0; round < MAX_READ_ROUNDS; round++) {
      Rows known = new Rows(read);
      for (Projection p : projections) {
        Set<RowKey> mine = asked.computeIfAbsent(p, x -> new LinkedHashSet<>());
        for (RowKey key : p.reads(stored, event, known)) {
          if (mine.add(key)) {
            wanted.add(key);
          }
        }
      }
      wanted.removeAll(read.keySet());
      if (wanted.isEmpty()) {
        break;
      }
      // Absent rows are remembered as revision 0 so they are not asked for again.
      Map<RowKey, Row> got = store.get(wanted, true);
      read.putAll(got);
      for (RowKey key : wanted) {
        read.putIfAbsent(key, null);
      }
      wanted.clear();
    }
    Map<RowKey, Row> present = new HashMap<>();
    read.forEach(
        (k, v) -> {
          if (v != null) {
            present.put(k, v);
          }
        });
    Rows current = new Rows(present);

    List<RowWrite> writes = new ArrayList<>();
    Set<RowKey> written = new LinkedHashSet<>();
    for (Projection p : projections) {
      Set<RowKey> mine = asked.getOrDefault(p, Set.of());
      for (RowChange change : p.apply(stored, event, current)) {
        if (!mine.contains(change.key()) || !written.add(change.key())) {
          throw new IllegalStateException(
              p.name() + " wrote " + change.key() + ", which it did not read or wrote twice");
        }
        Row before = present.get(change.key());
        boolean same =
            before == null
                ? change.attributes().isEmpty()
                : before.attributes().equals(change.attributes());
        if (same) {
          continue;
        }
        writes.add(
            new RowWrite(
                change.key(), change.attributes(), before == null ? 0 : before.revision()));
      }
    }
    Row markRow = present.get(mark);
    if (markRow == null || markRow.number(Watermarks.VERSION, 0) < stored.version()) {
      writes.add(
          new RowWrite(
              mark,
              Map.of(Watermarks.VERSION, stored.version()),
              markRow == null ? 0 : markRow.revision()));
    }
    store.commit(writes);
    List<String> concerned = new ArrayList<>();
    for (Projection p : projections) {
      if (!asked.getOrDefault(p, Set.of()).isEmpty()) {
        concerned.add(p.name());
      }
    }
    return concerned;
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

  private static void backOff(int attempt) {
    long cap = Math.min(200, 5L << attempt);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
