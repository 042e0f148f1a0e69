package io.innkeeper.local.sns;

import java.util.List;

/**
 * What {@code Publish} answers.
 *
 * @param messageId the message's id (the first one's id when this was a duplicate)
 * @param sequenceNumber the FIFO topic's sequence number, {@code null} on a standard topic
 * @param duplicate whether the deduplication window dropped this message as a duplicate (SNS
 *     accepts a duplicate without saying so; this is for the runtime's own observers)
 */
public record PublishResult(String messageId, String sequenceNumber, boolean duplicate) {

  /** One entry of a batch, as its id in the request and its outcome. */
  public record BatchSuccess(String id, String messageId, String sequenceNumber) {}

  /** A batch entry that was not published. */
  public record BatchFailure(String id, String code, String message, boolean senderFault) {}

  /** What {@code PublishBatch} answers: each entry either succeeded or failed. */
  public record Batch(List<BatchSuccess> successful, List<BatchFailure> failed) {
    public Batch {
      successful = List.copyOf(successful);
      failed = List.copyOf(failed);
    }
  }

  /** One entry of a {@code PublishBatch} request. */
  public record BatchEntry(String id, Publication publication) {}
}
