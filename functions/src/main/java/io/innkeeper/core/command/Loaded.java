package io.innkeeper.core.command;

import io.innkeeper.core.eventstore.StateRow;
import java.util.Map;
import java.util.Optional;

/** What was read for a decision: snapshots of other streams and state rows, by key. */
public record Loaded(Map<String, String> snapshots, Map<String, StateRow> rows) {

  public static final Loaded NOTHING = new Loaded(Map.of(), Map.of());

  public Loaded {
    snapshots = Map.copyOf(snapshots);
    rows = Map.copyOf(rows);
  }

  /** The snapshot of a stream's head, empty when the stream does not exist. */
  public Optional<String> snapshot(String streamId) {
    return Optional.ofNullable(snapshots.get(streamId));
  }

  /** A state row, empty when it does not exist. */
  public Optional<StateRow> row(String key) {
    return Optional.ofNullable(rows.get(key));
  }
}
