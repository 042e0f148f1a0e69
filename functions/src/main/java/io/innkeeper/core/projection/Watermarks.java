package io.innkeeper.core.projection;

import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;

/**
 * How far each stream has been projected: one row per stream holding the highest version whose
 * effects every projection has written. The projector advances it in the same write as the
 * projections' rows, so a query that sees version V also sees V's effects; this is what a
 * consistency token waits on.
 */
public final class Watermarks {
  /** The attribute holding a stream's version. */
  public static final String VERSION = "v";

  /** The sort key of every watermark row; its partition key is the stream's id. */
  public static final String SK = "projected";

  private final RowStore store;
  private final String table;

  public Watermarks(RowStore store, String table) {
    this.store = store;
    this.table = table;
  }

  public String table() {
    return table;
  }

  /** The row of one stream's watermark. */
  public RowKey key(String streamId) {
    return new RowKey(table, streamId, SK);
  }

  /** The highest projected version of a stream (a strongly consistent read), 0 if none. */
  public long projected(String streamId) {
    return store.get(key(streamId), true).map(r -> r.number(VERSION, 0)).orElse(0L);
  }
}
