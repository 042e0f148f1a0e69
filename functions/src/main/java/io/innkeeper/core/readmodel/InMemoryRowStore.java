package io.innkeeper.core.readmodel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Query tables in memory, with the same revision conditions as {@link DynamoRowStore}: for tests,
 * and for {@code verify}, which projects every event from scratch here and compares.
 */
public final class InMemoryRowStore implements RowStore {
  private final TreeMap<RowKey, Row> rows = new TreeMap<>();

  @Override
  public synchronized Map<RowKey, Row> get(Collection<RowKey> keys, boolean consistent) {
    Map<RowKey, Row> found = new HashMap<>();
    for (RowKey key : keys) {
      Row row = rows.get(key);
      if (row != null) {
        found.put(key, row);
      }
    }
    return found;
  }

  @Override
  public synchronized void commit(List<RowWrite> writes) {
    for (RowWrite w : writes) {
      Row current = rows.get(w.key());
      long revision = current == null ? 0 : current.revision();
      if (revision != w.expectedRevision()) {
        throw new RowConflictException("row " + w.key() + " is at revision " + revision);
      }
    }
    for (RowWrite w : writes) {
      if (w.deletes()) {
        rows.remove(w.key());
      } else {
        rows.put(w.key(), new Row(w.key(), w.attributes(), w.expectedRevision() + 1));
      }
    }
  }

  @Override
  public synchronized RowPage query(RowQuery q) {
    NavigableMap<RowKey, Row> range =
        rows.subMap(
            new RowKey(q.table(), q.pk(), q.fromSk()), true,
            new RowKey(q.table(), q.pk(), q.toSk()), true);
    if (q.descending()) {
      range = range.descendingMap();
    }
    List<Row> page = new ArrayList<>();
    boolean more = false;
    for (Row row : range.values()) {
      String sk = row.key().sk();
      if (q.afterSk() != null
          && (q.descending() ? sk.compareTo(q.afterSk()) >= 0 : sk.compareTo(q.afterSk()) <= 0)) {
        continue;
      }
      if (page.size() == q.limit()) {
        more = true;
        break;
      }
      page.add(row);
    }
    return new RowPage(page, more);
  }

  @Override
  public synchronized void scan(String table, Consumer<Row> each) {
    List.copyOf(tableRows(table).values()).forEach(each);
  }

  @Override
  public synchronized void clear(String table) {
    tableRows(table).clear();
  }

  /** Every row, for tests that compare whole read models. */
  public synchronized Map<RowKey, Row> snapshot() {
    return Map.copyOf(rows);
  }

  private NavigableMap<RowKey, Row> tableRows(String table) {
    return rows.subMap(new RowKey(table, "", ""), true, new RowKey(table + "\0", "", ""), false);
  }
}
