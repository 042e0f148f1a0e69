package io.innkeeper.core.command;

import java.time.Instant;
import java.util.Optional;

/** Where command statuses and idempotency records live (the commands table). */
public interface CommandStatusStore {

  /** Records a newly accepted command as PENDING. */
  void accept(CommandStatus pending);

  /**
   * Records a newly accepted command's idempotency record and then the command as PENDING, unless
   * the record's caller and key are already taken: of concurrent first requests with one key
   * exactly one gets its command recorded. A crash between the two writes can leave the key without
   * its status (the command was never sent); the next request with the key restores it ({@link
   * CommandIntake}).
   *
   * @return empty when both were written; otherwise the record that already holds the key (and
   *     nothing was written)
   */
  Optional<IdempotencyRecord> accept(CommandStatus pending, IdempotencyRecord record);

  /** The status, read strongly consistently. */
  Optional<CommandStatus> find(String commandId);

  /**
   * Moves a command to a final state: from PENDING, or from FAILED when a redriven command now
   * succeeds or is rejected (see {@link CommandStatus#canMove}).
   *
   * @return false when the move is not allowed (a duplicate delivery); nothing is changed then
   */
  boolean complete(
      String commandId,
      CommandStatus.State state,
      String reason,
      String consistencyToken,
      Instant at);
}
