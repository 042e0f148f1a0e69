package io.innkeeper.core.readmodel;

import java.util.Map;
import java.util.Optional;

/** The rows a projection has read, by key. */
public final class Rows {
  private final Map<RowKey, Row> rows;

  public Rows(Map<RowKey, Row> rows) {
    this.rows = rows;
  }

  public Optional<Row> get(RowKey key) {
    return Optional.ofNullable(rows.get(key));
  }

  /** The row's attributes, empty when the row does not exist. */
  public Map<String, Object> attributes(RowKey key) {
    Row row = rows.get(key);
    return row == null ? Map.of() : row.attributes();
  }
}
