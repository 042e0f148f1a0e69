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

  /** Makes a received message visible again after {@code seconds}: the handler's redelivery. */
  public void changeVisibility(String receiptHandle, int seconds) {
    sqs.changeMessageVisibility(
        b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout(seconds));
  }
}
