package io.innkeeper.topology;

import java.util.Objects;

/**
 * An SQS queue.
 *
 * @param id logical id
 * @param fifo whether it is a FIFO queue (its physical name then ends in {@code .fifo})
 * @param visibilityTimeoutSeconds how long a received message stays invisible
 * @param retentionSeconds how long an unconsumed message is kept
 * @param deadLetter where messages go after {@code maxReceiveCount} receives, or {@code null}
 */
public record QueueSpec(
    String id,
    boolean fifo,
    int visibilityTimeoutSeconds,
    int retentionSeconds,
    DeadLetter deadLetter) {

  public QueueSpec {
    Objects.requireNonNull(id);
  }

  /** Redrive policy: after {@code maxReceiveCount} receives a message moves to {@code queueId}. */
  public record DeadLetter(String queueId, int maxReceiveCount) {}
}
