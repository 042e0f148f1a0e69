package io.innkeeper.core.command;

import software.amazon.awssdk.services.sqs.SqsClient;

/** The command queue on SQS FIFO; the command id is the deduplication id. */
public final class SqsCommandQueue implements CommandQueue {
  private final SqsClient sqs;
  private final String queueUrl;

  public SqsCommandQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void send(CommandEnvelope command, String groupId) {
    sqs.sendMessage(
        b ->
            b.queueUrl(queueUrl)
                .messageBody(command.toJson())
                .messageGroupId(groupId)
                .messageDeduplicationId(command.commandId()));
  }

  /**
   * Makes received messages visible again after {@code seconds}, ten to a call ({@code
   * ChangeMessageVisibilityBatch}); an entry the queue refuses is changed on its own.
   */
  public void changeVisibility(java.util.List<String> receiptHandles, int seconds) {
    for (int from = 0; from < receiptHandles.size(); from += 10) {
      java.util.List<String> chunk =
          receiptHandles.subList(from, Math.min(receiptHandles.size(), from + 10));
      java.util.List<
              software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry>
          entries = new java.util.ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(
            software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry
                .builder()
                .id(Integer.toString(i))
                .receiptHandle(chunk.get(i))
                .visibilityTimeout(seconds)
                .build());
      }
      var result = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
      result.failed().forEach(f -> changeVisibility(chunk.get(Integer.parseInt(f.id())), seconds));
    }
  }

  /** Makes a received message visible again after {@code seconds}: the handler's redelivery. */
  public void changeVisibility(String receiptHandle, int seconds) {
    sqs.changeMessageVisibility(
        b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout(seconds));
  }
}
