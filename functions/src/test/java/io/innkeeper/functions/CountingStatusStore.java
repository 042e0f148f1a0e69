package io.innkeeper.functions;

import io.innkeeper.core.command.CommandStatus;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.IdempotencyRecord;
import io.innkeeper.core.command.InMemoryCommandStatusStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An in-memory commands table that records reads and writes, and can be told to fail reads. */
final class CountingStatusStore implements CommandStatusStore {
  final InMemoryCommandStatusStore statuses = new InMemoryCommandStatusStore();
  final List<String> found = new ArrayList<>();
  int writes;
  RuntimeException failReads;

  @Override
  public void accept(CommandStatus pending) {
    writes++;
    statuses.accept(pending);
  }

  @Override
  public Optional<IdempotencyRecord> accept(CommandStatus pending, IdempotencyRecord record) {
    writes++;
    return statuses.accept(pending, record);
  }

  @Override
  public Optional<CommandStatus> find(String commandId) {
    if (failReads != null) {
      throw failReads;
    }
    found.add(commandId);
    return statuses.find(commandId);
  }

  @Override
  public boolean complete(
      String commandId, CommandStatus.State state, String reason, String token, Instant at) {
    writes++;
    return statuses.complete(commandId, state, reason, token, at);
  }
}
