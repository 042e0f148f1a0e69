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
   * version, the events land at the versions after it, and the command's status becomes SUCCEEDED
   * with its consistency token ({@link Completion}), which is what marks the command applied. Fails
   * as a whole if the head moved (conflict) or the command's status already left PENDING and FAILED
   * (duplicate: applied, or rejected, by another delivery).
   */
  AppendOutcome append(Append append);

  /** The state rows with these keys that exist, read strongly consistently. */
  Map<String, StateRow> loadRows(Collection<String> keys);

  /** Where a command was applied, if its status says it was (read strongly consistently). */
  Optional<AppliedCommand> findApplied(String commandId);

  /**
   * Where a command was applied, from the record itself: the events of {@code streamId} that carry
   * its id. For a command whose status is gone (it expired by TTL before a late redelivery), so a
   * duplicate still changes nothing; it reads the stream, so it is not for every delivery.
   */
  default Optional<AppliedCommand> findAppliedOn(String streamId, String commandId) {
    return findApplied(commandId);
  }

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
   * @param completion the command's SUCCEEDED status, written in the same atomic write
   */
  record Append(
      String streamId,
      long expectedVersion,
      List<NewEvent> events,
      String snapshot,
      String commandId,
      Instant at,
      List<RowUpdate> rows,
      String requestId,
      Completion completion) {
    public Append {
      events = List.copyOf(events);
      rows = List.copyOf(rows);
      java.util.Objects.requireNonNull(completion, "completion");
    }

    public long newVersion() {
      return expectedVersion + events.size();
    }
  }

  /**
   * The command's status as the append leaves it: SUCCEEDED, with the token of the new version. It
   * is the command's exactly-once marker: the append only happens if the status can still move
   * there, so a second delivery (or a concurrent one) fails the append as a duplicate.
   *
   * @param recorded whether the command has a status to complete; {@code false} when it expired by
   *     TTL before this (late) delivery, in which case the status is written afresh, conditional on
   *     no other delivery having done so
   */
  record Completion(
      String type,
      String callerId,
      Instant acceptedAt,
      String consistencyToken,
      Instant completedAt,
      boolean recorded) {}

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
