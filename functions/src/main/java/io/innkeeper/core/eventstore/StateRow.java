package io.innkeeper.core.eventstore;

import java.util.Map;

/**
 * A row of write-side state beside the streams, keyed by {@code key} (e.g. one month of a room
 * type's inventory). Its attributes are numbers ({@code Long}) or strings. Rows are changed only
 * together with a stream's events, through guarded {@link RowUpdate}s, so invariants that span
 * aggregates (no night sold twice) hold however many handlers run at once.
 */
public record StateRow(String key, Map<String, Object> attributes) {

  public StateRow {
    attributes = Map.copyOf(attributes);
  }

  /** A number attribute, or {@code null} when absent. */
  public Long number(String name) {
    Object v = attributes.get(name);
    return v instanceof Long l ? l : null;
  }

  /** A string attribute, or {@code null} when absent. */
  public String string(String name) {
    Object v = attributes.get(name);
    return v instanceof String s ? s : null;
  }
}
