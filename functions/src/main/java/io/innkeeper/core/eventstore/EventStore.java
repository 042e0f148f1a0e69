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

  /**
   * The head of {@code streamId} and whether {@code commandId} was applied, read together: what a
   * command's processing reads first. A store that can read both in one round trip does.
   */
  default Start start(String streamId, String commandId) {
    return new Start(load(streamId), findApplied(commandId));
  }

  /**
   * The heads of {@code streams} (their snapshots, for the streams that exist) and the state rows
   * with {@code rowKeys} that exist, read strongly consistently, in one round trip where the store
   * can: what a decision reads besides its own stream.
   */
  default Snapshots loadMany(Collection<String> streams, Collection<String> rowKeys) {
    Map<String, String> snapshots = new java.util.HashMap<>();
    for (String stream : streams) {
      StreamHead head = load(stream);
      if (head.snapshot() != null) {
        snapshots.put(stream, head.snapshot());
      }
    }
    return new Snapshots(snapshots, rowKeys.isEmpty() ? Map.of() : loadRows(rowKeys));
  }

  /** A stream's head and the applied-command record, if any. */
  record Start(StreamHead head, Optional<AppliedCommand> applied) {}

  /** Snapshots of stream heads by stream id, and state rows by key. */
  record Snapshots(Map<String, String> snapshots, Map<String, StateRow> rows) {}

  /** A stream's head. */
  record StreamHead(String streamId, long version, String snapshot) {}

  /** An event ready to store: stable type name, schema version, JSON payload. */
  record NewEvent(String type, int schemaVersion, String json) {}

  /**
   * What to append, and the state rows that change with it.
   *
   * @param requestId the API request that sent the command, kept on each event for tracing; {@code
   *     null} when unknown
   */
  record Append(
      String streamId,
      long expectedVersion,
      List<NewEvent> events,
      String snapshot,
      String commandId,
      Instant at,
      List<RowUpdate> rows,
      String requestId) {
    public Append {
      events = List.copyOf(events);
      rows = List.copyOf(rows);
    }

    /** An append without a request id. */
    public Append(
        String streamId,
        long expectedVersion,
        List<NewEvent> events,
        String snapshot,
        String commandId,
        Instant at,
        List<RowUpdate> rows) {
      this(streamId, expectedVersion, events, snapshot, commandId, at, rows, null);
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
