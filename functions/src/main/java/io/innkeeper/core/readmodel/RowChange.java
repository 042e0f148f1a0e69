package io.innkeeper.core.readmodel;

import java.util.Map;

/** The complete new attributes of one row, as a projection decides them. */
public record RowChange(RowKey key, Map<String, Object> attributes) {

  public RowChange {
    attributes = Map.copyOf(Row.checked(attributes));
  }
}
