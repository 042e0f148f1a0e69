package io.innkeeper.core.command;

/** The command queue (SQS FIFO). */
public interface CommandQueue {

  /**
   * Enqueues a command.
   *
   * @param groupId the FIFO message group: commands on one contended aggregate share it and are
   *     processed one at a time, in order
   */
  void send(CommandEnvelope command, String groupId);
}
