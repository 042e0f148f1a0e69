package io.innkeeper.core.command;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Command statuses in memory, with the same conditional transitions as the DynamoDB store. */
public final class InMemoryCommandStatusStore implements CommandStatusStore {
  private final Map<String, CommandStatus> statuses = new HashMap<>();

  @Override
  public synchronized void accept(CommandStatus pending) {
    if (statuses.putIfAbsent(pending.commandId(), pending) != null) {
      throw new IllegalStateException("command " + pending.commandId() + " exists");
    }
  }

  @Override
  public synchronized Optional<CommandStatus> find(String commandId) {
    return Optional.ofNullable(statuses.get(commandId));
  }

  @Override
  public synchronized boolean complete(
      String commandId, CommandStatus.State state, String reason, String token, Instant at) {
    CommandStatus s = statuses.get(commandId);
    if (s == null || !CommandStatus.canMove(s.status(), state)) {
      return false;
    }
    statuses.put(
        commandId,
        new CommandStatus(
            commandId, s.type(), s.callerId(), state, reason, s.acceptedAt(), at, token));
    return true;
  }
}
