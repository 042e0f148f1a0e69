package io.innkeeper.core.readmodel;

import java.util.Map;

/**
 * Puts a row with {@code attributes}, only if the row is still at {@code expectedRevision} ({@code
 * 0}: only if it does not exist). The written row is at {@code expectedRevision + 1}. Empty
 * attributes delete the row: a row with nothing in it and no row read the same.
 */
public record RowWrite(RowKey key, Map<String, Object> attributes, long expectedRevision) {

  public RowWrite {
    attributes = Map.copyOf(Row.checked(attributes));
  }

  public boolean deletes() {
    return attributes.isEmpty();
  }
}
