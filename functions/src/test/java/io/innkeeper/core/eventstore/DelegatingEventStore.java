package io.innkeeper.core.eventstore;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Passes every call on; tests override one method to inject a fault, a race or a stale read. */
public class DelegatingEventStore implements EventStore {
  private final EventStore inner;

  public DelegatingEventStore(EventStore inner) {
    this.inner = inner;
  }

  @Override
  public StreamHead load(String streamId) {
    return inner.load(streamId);
  }

  @Override
  public AppendOutcome append(Append a) {
    return inner.append(a);
  }

  @Override
  public Optional<AppliedCommand> findApplied(String commandId) {
    return inner.findApplied(commandId);
  }

  @Override
  public Optional<AppliedCommand> findAppliedOn(String streamId, String commandId) {
    return inner.findAppliedOn(streamId, commandId);
  }

  @Override
  public Map<String, StateRow> loadRows(Collection<String> keys) {
    return inner.loadRows(keys);
  }
}
