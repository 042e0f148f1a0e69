package io.innkeeper.local.console;

import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import io.innkeeper.events.Json;
import io.innkeeper.ops.ReadModelTables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An aggregate's history: the events of one stream in order, each with the read-model rows it
 * changed. The rows are worked out as {@code verify} works out the read models: the domain's own
 * projections run over the record from scratch, in memory, here in the order the events occurred,
 * and every row an event of the stream wrote is noted with what it was before and after. Nothing is
 * read from the query tables and nothing is written anywhere.
 */
final class History {

  /** Records of more events than this are not replayed for one history (it would take long). */
  static final int MAX_EVENTS = 200_000;

  private History() {}

  /**
   * @param stream the aggregate's stream, e.g. {@code reservation#01K...}
   * @param record every event of the record, in any order
   */
  static Map<String, Object> of(String stream, Collection<StoredEvent> record, ReadModelTables t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stream", stream);
    if (record.size() > MAX_EVENTS) {
      out.put(
          "error",
          "the record holds " + record.size() + " events; replaying them all is too slow here");
      out.put("events", List.of());
      return out;
    }
    List<StoredEvent> ordered = new ArrayList<>(record);
    ordered.sort(
        Comparator.comparing(StoredEvent::occurredAt)
            .thenComparing(StoredEvent::streamId)
            .thenComparingLong(StoredEvent::version));
    int last = -1;
    for (int i = 0; i < ordered.size(); i++) {
      if (ordered.get(i).streamId().equals(stream)) {
        last = i;
      }
    }
    Recording store = new Recording();
    ProjectorRuntime projector = t.projector(store);
    Map<String, String> owners = owners(projector, t);
    Map<String, String> ids = new HashMap<>();
    t.query().names().forEach((id, physical) -> ids.put(physical, id));
    ids.put(t.watermarks(), "watermarks");
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i <= last; i++) {
      StoredEvent e = ordered.get(i);
      boolean ours = e.streamId().equals(stream);
      List<Map<String, Object>> rows = new ArrayList<>();
      store.onChange = ours ? rows::add : null;
      String error = null;
      try {
        projector.project(e);
      } catch (RuntimeException failed) {
        error = failed.toString();
      }
      if (!ours) {
        continue;
      }
      for (Map<String, Object> r : rows) {
        String physical = (String) r.get("table");
        r.put("projection", owners.getOrDefault(physical, "?"));
        r.put("table", ids.getOrDefault(physical, physical));
      }
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("version", e.version());
      event.put("type", e.type());
      event.put("schemaVersion", e.schemaVersion());
      event.put("occurredAt", e.occurredAt().toString());
      event.put("commandId", e.commandId());
      if (e.requestId() != null) {
        event.put("requestId", e.requestId());
      }
      event.put("data", parsed(e.data()));
      event.put("rows", rows);
      if (error != null) {
        event.put("error", "its projection failed: " + error);
      }
      events.add(event);
    }
    out.put("events", events);
    out.put("replayed", last + 1);
    return out;
  }

  /** Which projection owns each table (the watermarks are the projector's own). */
  private static Map<String, String> owners(ProjectorRuntime projector, ReadModelTables t) {
    Map<String, String> owners = new HashMap<>();
    for (Projection p : projector.projections()) {
      p.tables().forEach(table -> owners.put(table, p.name()));
    }
    owners.put(t.watermarks(), "watermark");
    return owners;
  }

  private static Object parsed(String data) {
    try {
      return Json.parseObject(data);
    } catch (RuntimeException e) {
      return data;
    }
  }

  /** The in-memory store, telling what each successful write changed. */
  private static final class Recording implements RowStore {
    private final InMemoryRowStore rows = new InMemoryRowStore();
    Consumer<Map<String, Object>> onChange;

    @Override
    public Map<RowKey, Row> get(Collection<RowKey> keys, boolean consistent) {
      return rows.get(keys, consistent);
    }

    @Override
    public void commit(List<RowWrite> writes) {
      List<RowKey> keys = writes.stream().map(RowWrite::key).toList();
      Map<RowKey, Row> before = rows.get(keys, true);
      rows.commit(writes);
      if (onChange == null) {
        return;
      }
      for (RowWrite w : writes) {
        Row was = before.get(w.key());
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("table", w.key().table());
        change.put("pk", w.key().pk());
        change.put("sk", w.key().sk());
        change.put("change", w.deletes() ? "deleted" : was == null ? "created" : "updated");
        Map<String, Object> old = was == null ? Map.of() : was.attributes();
        change.put("before", old);
        change.put("after", w.attributes());
        TreeSet<String> changed = new TreeSet<>(old.keySet());
        changed.addAll(w.attributes().keySet());
        changed.removeIf(n -> java.util.Objects.equals(old.get(n), w.attributes().get(n)));
        change.put("changed", List.copyOf(changed));
        onChange.accept(change);
      }
    }

    @Override
    public RowPage query(RowQuery query) {
      return rows.query(query);
    }

    @Override
    public void scan(String table, Consumer<Row> each) {
      rows.scan(table, each);
    }

    @Override
    public void clear(String table) {
      rows.clear(table);
    }
  }
}
