package io.innkeeper.functions;

import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An in-memory row store that records what was asked of it, and can be told to fail its reads the
 * way DynamoDB does when it is unreachable or the role may not read.
 */
final class CountingRowStore implements RowStore {
  final InMemoryRowStore rows = new InMemoryRowStore();
  final List<RowKey> got = new ArrayList<>();
  final List<Boolean> consistency = new ArrayList<>();
  final List<RowQuery> queried = new ArrayList<>();
  int commits;
  RuntimeException failReads;

  @Override
  public Map<RowKey, Row> get(Collection<RowKey> keys, boolean consistent) {
    if (failReads != null) {
      throw failReads;
    }
    got.addAll(keys);
    consistency.add(consistent);
    return rows.get(keys, consistent);
  }

  @Override
  public synchronized void commit(List<RowWrite> writes) {
    commits++;
    rows.commit(writes);
  }

  @Override
  public RowPage query(RowQuery query) {
    if (failReads != null) {
      throw failReads;
    }
    queried.add(query);
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
