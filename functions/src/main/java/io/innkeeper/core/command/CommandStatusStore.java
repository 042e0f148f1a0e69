package io.innkeeper.core.command;

import java.time.Instant;
import java.util.Optional;

/** Where command statuses live (the commands table). */
public interface CommandStatusStore {

  /** Records a newly accepted command as PENDING. */
  void accept(CommandStatus pending);

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
