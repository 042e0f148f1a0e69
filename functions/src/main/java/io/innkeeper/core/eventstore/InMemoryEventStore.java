package io.innkeeper.core.eventstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The event store in memory, with the same atomicity and conditions as the DynamoDB one. */
public final class InMemoryEventStore implements EventStore {
  private final Map<String, StreamHead> heads = new HashMap<>();
  private final Map<String, List<StoredEvent>> events = new HashMap<>();
  private final Map<String, AppliedCommand> applied = new HashMap<>();

  @Override
  public synchronized StreamHead load(String streamId) {
    return heads.getOrDefault(streamId, new StreamHead(streamId, 0, null));
  }

  @Override
  public synchronized AppendOutcome append(Append a) {
    if (applied.containsKey(a.commandId())) {
      return new AppendOutcome.Duplicate();
    }
    if (load(a.streamId()).version() != a.expectedVersion()) {
      return new AppendOutcome.Conflict();
    }
    List<StoredEvent> stream = events.computeIfAbsent(a.streamId(), k -> new ArrayList<>());
    long version = a.expectedVersion();
    for (NewEvent e : a.events()) {
      version++;
      stream.add(
          new StoredEvent(
              a.streamId(), version, e.type(), e.schemaVersion(), e.json(), a.commandId(), a.at()));
    }
    heads.put(a.streamId(), new StreamHead(a.streamId(), version, a.snapshot()));
    applied.put(a.commandId(), new AppliedCommand(a.commandId(), a.streamId(), version));
    return new AppendOutcome.Appended(version);
  }

  @Override
  public synchronized Optional<AppliedCommand> findApplied(String commandId) {
    return Optional.ofNullable(applied.get(commandId));
  }

  /** Every stored event of a stream, in order. */
  public synchronized List<StoredEvent> events(String streamId) {
    return List.copyOf(events.getOrDefault(streamId, List.of()));
  }
}
