package io.innkeeper.core.eventstore;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The system of record: one stream of events per aggregate, each with a head item that holds the
 * current version and a snapshot of the state, so deciding never reads history.
 */
public interface EventStore {

  /** The head of a stream, read strongly consistently; version 0 and no snapshot when new. */
  StreamHead load(String streamId);

  /**
   * Appends events in one atomic write: the head moves from {@code expectedVersion} to the new
   * version, the events land at the versions after it, and the command is marked applied. Fails as
   * a whole if the head moved (conflict) or the command was already applied (duplicate).
   */
  AppendOutcome append(Append append);

  /** The state rows with these keys that exist, read strongly consistently. */
  Map<String, StateRow> loadRows(Collection<String> keys);

  /** The record that a command was applied, if it was. */
  Optional<AppliedCommand> findApplied(String commandId);

  /** A stream's head. */
  record StreamHead(String streamId, long version, String snapshot) {}

  /** An event ready to store: stable type name, schema version, JSON payload. */
  record NewEvent(String type, int schemaVersion, String json) {}

  /** What to append, and the state rows that change with it. */
  record Append(
      String streamId,
      long expectedVersion,
      List<NewEvent> events,
      String snapshot,
      String commandId,
      Instant at,
      List<RowUpdate> rows) {
    public Append {
      events = List.copyOf(events);
      rows = List.copyOf(rows);
    }

    public long newVersion() {
      return expectedVersion + events.size();
    }
  }

  /** A command that took effect, and where. */
  record AppliedCommand(String commandId, String streamId, long version) {}

  /** How an append ended. */
  sealed interface AppendOutcome {
    /** The events are stored; the stream is at {@code version}. */
    record Appended(long version) implements AppendOutcome {}

    /** The stream moved since it was loaded: reload and decide again. */
    record Conflict() implements AppendOutcome {}

    /** This command was applied before: nothing was written. */
    record Duplicate() implements AppendOutcome {}
  }
}
