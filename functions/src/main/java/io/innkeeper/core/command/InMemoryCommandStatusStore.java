package io.innkeeper.core.command;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Command statuses and idempotency records in memory, with the same conditional transitions and the
 * same all-or-nothing acceptance as the DynamoDB store. Thread-safe.
 */
public final class InMemoryCommandStatusStore implements CommandStatusStore {
  private final Map<String, CommandStatus> statuses = new HashMap<>();
  private final Map<String, IdempotencyRecord> records = new HashMap<>();

  @Override
  public synchronized void accept(CommandStatus pending) {
    if (statuses.putIfAbsent(pending.commandId(), pending) != null) {
      throw new IllegalStateException("command " + pending.commandId() + " exists");
    }
  }

  @Override
  public synchronized Optional<IdempotencyRecord> accept(
      CommandStatus pending, IdempotencyRecord record) {
    String key = record.callerId() + "#" + record.key();
    IdempotencyRecord existing = records.get(key);
    if (existing != null && !existing.expiredAt(record.createdAt())) {
      return Optional.of(existing);
    }
    accept(pending);
    records.put(key, record);
    return Optional.empty();
  }

  /** Forgets a command's status, as TTL deletes it after its retention; for tests. */
  public synchronized void expire(String commandId) {
    statuses.remove(commandId);
  }

  /** How many commands are recorded; for tests. */
  public synchronized int size() {
    return statuses.size();
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
