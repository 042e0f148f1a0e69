package io.innkeeper.ops;

import io.innkeeper.core.eventstore.DynamoEventStore;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowConflictException;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Rebuild and verify the read models from the events table, with the same projections the projector
 * runs.
 *
 * <p>{@code rebuild} replays every event into the query tables. The projections' guards make a
 * replay idempotent and order-free, so it is safe while the projector and commands keep running: it
 * fills in what is missing and never moves a row backwards. {@code --reset} first deletes every row
 * of the query tables; use it only with the projector stopped (rows deleted under a running
 * projector can lose the projector's concurrent write).
 *
 * <p>{@code verify} projects every event from scratch in memory and compares row by row with the
 * query tables. Under load it can see events the projector has not applied yet; run it when
 * commands are quiet, or run it twice.
 */
public final class ReadModelOps {
  private static final int MAX_LINES = 50;

  private final DynamoDbClient ddb;
  private final ReadModelTables tables;

  public ReadModelOps(DynamoDbClient ddb, ReadModelTables tables) {
    this.ddb = ddb;
    this.tables = tables;
  }

  /** What a rebuild did. */
  public record Rebuilt(int events, int streams, long millis) {}

  /** Replays every event into the query tables, streams in parallel, each stream in order. */
  public Rebuilt rebuild(boolean reset, int threads) throws InterruptedException {
    long started = System.nanoTime();
    RowStore store = new DynamoRowStore(ddb);
    if (reset) {
      tables.queryTables().forEach(store::clear);
    }
    Map<String, List<StoredEvent>> streams = events();
    ProjectorRuntime runtime = runtime(store);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<StoredEvent> stream : streams.values()) {
        done.add(pool.submit(() -> stream.forEach(e -> projectPatiently(runtime, e))));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("rebuild failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    int events = streams.values().stream().mapToInt(List::size).sum();
    return new Rebuilt(events, streams.size(), (System.nanoTime() - started) / 1_000_000);
  }

  /** What verify found: one line per row that differs, and the counts. */
  public record Drift(int events, int rowsExpected, int rowsFound, List<String> lines) {
    public boolean none() {
      return lines.isEmpty();
    }
  }

  /** Projects every event from scratch and compares with the query tables. */
  public Drift verify() {
    InMemoryRowStore expected = new InMemoryRowStore();
    ProjectorRuntime scratch = runtime(expected);
    Map<String, List<StoredEvent>> streams = events();
    streams.values().forEach(stream -> stream.forEach(scratch::project));
    RowStore live = new DynamoRowStore(ddb);
    List<String> lines = new ArrayList<>();
    int expectedRows = 0;
    int foundRows = 0;
    for (String table : tables.queryTables()) {
      Map<RowKey, Map<String, Object>> want = rows(expected, table);
      Map<RowKey, Map<String, Object>> have = rows(live, table);
      expectedRows += want.size();
      foundRows += have.size();
      TreeSet<RowKey> keys = new TreeSet<>(want.keySet());
      keys.addAll(have.keySet());
      for (RowKey key : keys) {
        Map<String, Object> w = want.get(key);
        Map<String, Object> h = have.get(key);
        if (h == null) {
          lines.add("missing    " + where(key) + " " + w);
        } else if (w == null) {
          lines.add("unexpected " + where(key) + " " + h);
        } else if (!w.equals(h)) {
          lines.add("differs    " + where(key) + " " + differences(w, h));
        }
      }
    }
    int events = streams.values().stream().mapToInt(List::size).sum();
    return new Drift(events, expectedRows, foundRows, lines);
  }

  /** Prints a verify result; at most {@value #MAX_LINES} drift lines. */
  public static void print(Drift drift, PrintStream out) {
    out.printf(
        "verify: %d events projected from scratch: %d rows expected, %d rows found%n",
        drift.events(), drift.rowsExpected(), drift.rowsFound());
    drift.lines().stream().limit(MAX_LINES).forEach(l -> out.println("  " + l));
    if (drift.lines().size() > MAX_LINES) {
      out.printf("  ... and %d more%n", drift.lines().size() - MAX_LINES);
    }
    out.println(drift.none() ? "drift: none" : "drift: " + drift.lines().size() + " rows differ");
  }

  /**
   * Projects one event, outlasting contention. Replaying streams in parallel makes the rebuild its
   * own competition: an allotment over a year rewrites 13 month rows that every booking of that
   * room type touches too, and can lose the race for as long as other threads keep booking. The
   * runtime's own retries are sized for the live projector; here a conflict is waited out with a
   * growing pause until the other streams let the row go, which they do once they finish.
   */
  static void projectPatiently(ProjectorRuntime runtime, StoredEvent event) {
    for (int attempt = 1; ; attempt++) {
      try {
        runtime.project(event);
        return;
      } catch (RowConflictException e) {
        if (attempt >= PATIENCE) {
          throw e;
        }
        try {
          Thread.sleep(
              ThreadLocalRandom.current().nextLong(10, Math.min(1000, 20L * attempt) + 11));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("rebuild interrupted", interrupted);
        }
      }
    }
  }

  /** Conflicts one event may meet in a rebuild before it gives up (minutes of contention). */
  private static final int PATIENCE = 500;

  private ProjectorRuntime runtime(RowStore store) {
    return tables.projector(store);
  }

  private Map<String, List<StoredEvent>> events() {
    Map<String, List<StoredEvent>> streams = new TreeMap<>();
    new DynamoEventStore(ddb, tables.events())
        .scanEvents(e -> streams.computeIfAbsent(e.streamId(), s -> new ArrayList<>()).add(e));
    streams.values().forEach(s -> s.sort(Comparator.comparingLong(StoredEvent::version)));
    return streams;
  }

  private static Map<RowKey, Map<String, Object>> rows(RowStore store, String table) {
    Map<RowKey, Map<String, Object>> rows = new TreeMap<>();
    store.scan(table, (Row row) -> rows.put(row.key(), row.attributes()));
    return rows;
  }

  private static String where(RowKey key) {
    return key.table() + " " + key.pk() + " | " + key.sk() + ":";
  }

  private static String differences(Map<String, Object> want, Map<String, Object> have) {
    TreeSet<String> names = new TreeSet<>(want.keySet());
    names.addAll(have.keySet());
    return names.stream()
        .filter(n -> !Objects.equals(want.get(n), have.get(n)))
        .map(n -> n + " expected " + want.get(n) + ", found " + have.get(n))
        .collect(Collectors.joining("; "));
  }
}
