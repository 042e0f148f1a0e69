package io.innkeeper.core.command;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Processes an SQS FIFO batch in order. When a message fails, it and every message after it are
 * reported as failures: the later ones may be in the same message group, and FIFO order must hold.
 * {@link Redelivery} decides when they come back. On the last delivery before the dead-letter queue
 * a failing command is marked FAILED.
 */
public final class CommandConsumer {
  private final CommandProcessor processor;
  private final CommandStatusStore statuses;
  private final int maxReceiveCount;
  private final Clock clock;
  private final Redelivery redelivery;

  public CommandConsumer(
      CommandProcessor processor, CommandStatusStore statuses, int maxReceiveCount, Clock clock) {
    this(processor, statuses, maxReceiveCount, clock, Redelivery.queueDefault());
  }

  public CommandConsumer(
      CommandProcessor processor,
      CommandStatusStore statuses,
      int maxReceiveCount,
      Clock clock,
      Redelivery redelivery) {
    this.processor = processor;
    this.statuses = statuses;
    this.maxReceiveCount = maxReceiveCount;
    this.clock = clock;
    this.redelivery = redelivery;
  }

  public SQSBatchResponse handle(SQSEvent batch) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<SQSEvent.SQSMessage> messages = batch.getRecords();
    for (int i = 0; i < messages.size(); i++) {
      SQSEvent.SQSMessage message = messages.get(i);
      CommandEnvelope envelope = null;
      try (Log.Scope scope = Log.with("messageId", message.getMessageId())) {
        try {
          envelope = CommandEnvelope.fromJson(message.getBody());
          try (Log.Scope command =
              Log.with("commandId", envelope.commandId(), "requestId", envelope.requestId())) {
            processor.process(envelope);
          }
        } catch (RuntimeException e) {
          log(message, envelope, e);
          markFailedOnLastAttempt(message);
          for (int j = i; j < messages.size(); j++) {
            failures.add(new SQSBatchResponse.BatchItemFailure(messages.get(j).getMessageId()));
          }
          // After the last delivery too: SQS moves a message to the dead-letter queue when it is
          // received once more, so the sooner it is visible, the sooner it is parked.
          redelivery.afterFailure(
              message, receiveCount(message), messages.subList(i + 1, messages.size()));
          break;
        }
      }
    }
    return new SQSBatchResponse(failures);
  }

  private void markFailedOnLastAttempt(SQSEvent.SQSMessage message) {
    int receives = receiveCount(message);
    if (receives < maxReceiveCount) {
      return;
    }
    try {
      CommandEnvelope envelope = CommandEnvelope.fromJson(message.getBody());
      statuses.complete(
          envelope.commandId(),
          CommandStatus.State.FAILED,
          "PROCESSING_FAILED",
          null,
          clock.instant());
      Log.error(
          "command failed",
          null,
          "commandId",
          envelope.commandId(),
          "requestId",
          envelope.requestId(),
          "commandType",
          envelope.type(),
          "status",
          CommandStatus.State.FAILED.name(),
          "reason",
          "PROCESSING_FAILED",
          "receiveCount",
          receives);
      Metrics.count(Metrics.COMMANDS_FAILED);
    } catch (RuntimeException e) {
      // The message still goes to the dead-letter queue, where an operator finds it.
      log(message, null, e);
    }
  }

  private static int receiveCount(SQSEvent.SQSMessage message) {
    try {
      return Integer.parseInt(message.getAttributes().getOrDefault("ApproximateReceiveCount", "1"));
    } catch (RuntimeException e) {
      return 1;
    }
  }

  /** One failed attempt; SQS retries it, so a warning, unless it was the last. */
  private static void log(
      SQSEvent.SQSMessage message, CommandEnvelope envelope, RuntimeException e) {
    Log.warn(
        "command attempt failed",
        e,
        "commandId",
        envelope == null ? null : envelope.commandId(),
        "requestId",
        envelope == null ? null : envelope.requestId(),
        "receiveCount",
        receiveCount(message));
  }
}
