package io.innkeeper.core.eventstore;

import java.util.List;
import java.util.Map;

/**
 * A change to a {@link StateRow}, committed atomically with an append: attributes to set, numbers
 * to add to (an absent number counts as 0), and guards that must all hold on the row as it is at
 * commit time — otherwise the whole append fails as a conflict and the command is decided again.
 */
public record RowUpdate(
    String key, Map<String, Object> set, Map<String, Long> add, List<Guard> guards) {

  public RowUpdate {
    // Numbers are stored as Long whatever integral type the caller used.
    Map<String, Object> normalized = new java.util.HashMap<>();
    set.forEach((k, v) -> normalized.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
    set = Map.copyOf(normalized);
    add = Map.copyOf(add);
    guards = List.copyOf(guards);
  }

  /** A condition on the row at commit time. */
  public sealed interface Guard {
    /** {@code attribute < other}; fails when either is absent. */
    record Less(String attribute, String other) implements Guard {}

    /** The attribute is absent or at most {@code value}. */
    record AbsentOrAtMost(String attribute, long value) implements Guard {}

    /** The attribute is present and at least {@code value}. */
    record AtLeast(String attribute, long value) implements Guard {}
  }
}
