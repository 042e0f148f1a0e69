package io.innkeeper.core.eventstore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The event store in memory, with the same atomicity and conditions as the DynamoDB one: an append
 * records its command SUCCEEDED in the status store it was given, in the same step, and only from
 * PENDING or FAILED.
 */
public final class InMemoryEventStore implements EventStore {
  private final io.innkeeper.core.command.CommandStatusStore statuses;
  private final Map<String, StreamHead> heads = new HashMap<>();
  private final Map<String, List<StoredEvent>> events = new HashMap<>();
  private final Map<String, AppliedCommand> applied = new HashMap<>();
  private final Map<String, Map<String, Object>> rows = new HashMap<>();

  /** A store with statuses of its own (tests that never look at them). */
  public InMemoryEventStore() {
    this(new io.innkeeper.core.command.InMemoryCommandStatusStore());
  }

  /**
   * @param statuses where appends record their commands SUCCEEDED
   */
  public InMemoryEventStore(io.innkeeper.core.command.CommandStatusStore statuses) {
    this.statuses = statuses;
  }

  @Override
  public synchronized StreamHead load(String streamId) {
    return heads.getOrDefault(streamId, new StreamHead(streamId, 0, null));
  }

  @Override
  public synchronized AppendOutcome append(Append a) {
    var status = statuses.find(a.commandId());
    boolean settled =
        a.completion().recorded()
            ? status.isPresent() && status.get().status().isSettled()
            : status.isPresent();
    if (applied.containsKey(a.commandId()) || settled) {
      return new AppendOutcome.Duplicate();
    }
    if (load(a.streamId()).version() != a.expectedVersion()) {
      return new AppendOutcome.Conflict();
    }
    for (RowUpdate row : a.rows()) {
      Map<String, Object> current = rows.getOrDefault(row.key(), Map.of());
      for (RowUpdate.Guard g : row.guards()) {
        if (!holds(g, current)) {
          return new AppendOutcome.Conflict();
        }
      }
    }
    for (RowUpdate row : a.rows()) {
      Map<String, Object> current = rows.computeIfAbsent(row.key(), k -> new HashMap<>());
      current.putAll(row.set());
      row.add().forEach((name, delta) -> current.merge(name, delta, (x, y) -> (Long) x + (Long) y));
    }
    List<StoredEvent> stream = events.computeIfAbsent(a.streamId(), k -> new ArrayList<>());
    long version = a.expectedVersion();
    for (NewEvent e : a.events()) {
      version++;
      stream.add(
          new StoredEvent(
              a.streamId(),
              version,
              e.type(),
              e.schemaVersion(),
              e.json(),
              a.commandId(),
              a.at(),
              a.requestId()));
    }
    heads.put(a.streamId(), new StreamHead(a.streamId(), version, a.snapshot()));
    applied.put(a.commandId(), new AppliedCommand(a.commandId(), a.streamId(), version));
    var c = a.completion();
    if (status.isEmpty()) {
      statuses.accept(
          io.innkeeper.core.command.CommandStatus.pending(
              a.commandId(), c.type(), c.callerId(), c.acceptedAt()));
    }
    statuses.complete(
        a.commandId(),
        io.innkeeper.core.command.CommandStatus.State.SUCCEEDED,
        null,
        c.consistencyToken(),
        c.completedAt());
    return new AppendOutcome.Appended(version);
  }

  @Override
  public synchronized Map<String, StateRow> loadRows(Collection<String> keys) {
    Map<String, StateRow> out = new HashMap<>();
    for (String k : keys) {
      if (rows.containsKey(k)) {
        out.put(k, new StateRow(k, rows.get(k)));
      }
    }
    return out;
  }

  private static boolean holds(RowUpdate.Guard g, Map<String, Object> row) {
    if (g instanceof RowUpdate.Guard.Less less) {
      Object a = row.get(less.attribute());
      Object b = row.get(less.other());
      return a instanceof Long x && b instanceof Long y && x < y;
    }
    if (g instanceof RowUpdate.Guard.AbsentOrAtMost most) {
      Object a = row.get(most.attribute());
      return a == null || (a instanceof Long x && x <= most.value());
    }
    RowUpdate.Guard.AtLeast least = (RowUpdate.Guard.AtLeast) g;
    return row.get(least.attribute()) instanceof Long x && x >= least.value();
  }

  @Override
  public synchronized Optional<AppliedCommand> findApplied(String commandId) {
    return Optional.ofNullable(applied.get(commandId));
  }

  @Override
  public synchronized Optional<AppliedCommand> findAppliedOn(String streamId, String commandId) {
    List<StoredEvent> stream = events.getOrDefault(streamId, List.of());
    for (int i = stream.size() - 1; i >= 0; i--) {
      if (stream.get(i).commandId().equals(commandId)) {
        return Optional.of(new AppliedCommand(commandId, streamId, stream.get(i).version()));
      }
    }
    return Optional.empty();
  }

  /** Every stored event of a stream, in order. */
  public synchronized List<StoredEvent> events(String streamId) {
    return List.copyOf(events.getOrDefault(streamId, List.of()));
  }
}
