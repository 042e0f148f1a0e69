package io.innkeeper.core.command;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.obs.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Processes an SQS FIFO batch in order. When a message fails, it and every later message of its
 * message group are reported as failures, so FIFO order holds within the group; messages of other
 * groups in the batch are still processed, as they would be had they come in another batch. A
 * message without a group (not FIFO) holds back everything after it. {@link Redelivery} decides
 * when they come back.
 *
 * <p>On the last delivery before the dead-letter queue a failing command is marked FAILED, and so
 * is a command held back behind it on its own last delivery: SQS counts every delivery, processed
 * or not, and moves the message to the dead-letter queue at the next one, so its status would
 * otherwise stay PENDING while it sits there.
 *
 * <p>It watches the invocation's time: before each message it checks that more than its reserve is
 * left, and when it is not, it stops and hands the message and the rest of the batch back at once
 * (reported as failures and made visible again), instead of letting Lambda end the invocation at
 * its timeout, after which the whole batch, done or not, would wait out the queue's visibility
 * timeout and count a receive.
 */
public final class CommandConsumer {
  /**
   * The time kept in hand by default: a message is started only while more than this is left. Two
   * SDK calls' worth ({@code SdkSettings}): processing a command takes milliseconds, and only calls
   * that stall past their attempt timeouts make it take seconds.
   */
  public static final java.time.Duration DEFAULT_RESERVE =
      io.innkeeper.core.aws.SdkSettings.DEFAULT.callTimeout().multipliedBy(2);

  private final CommandProcessor processor;
  private final CommandStatusStore statuses;
  private final int maxReceiveCount;
  private final Clock clock;
  private final Redelivery redelivery;
  private final java.time.Duration reserve;

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
    this(processor, statuses, maxReceiveCount, clock, redelivery, DEFAULT_RESERVE);
  }

  /**
   * @param reserve a message is started only while more than this is left of the invocation
   */
  public CommandConsumer(
      CommandProcessor processor,
      CommandStatusStore statuses,
      int maxReceiveCount,
      Clock clock,
      Redelivery redelivery,
      java.time.Duration reserve) {
    this.processor = processor;
    this.statuses = statuses;
    this.maxReceiveCount = maxReceiveCount;
    this.clock = clock;
    this.redelivery = redelivery;
    this.reserve = reserve;
  }

  /** A batch without a deadline (tests, tools). */
  public SQSBatchResponse handle(SQSEvent batch) {
    return handle(batch, io.innkeeper.core.aws.Deadline.none());
  }

  /** A batch within the invocation's {@code deadline}. */
  public SQSBatchResponse handle(SQSEvent batch, io.innkeeper.core.aws.Deadline deadline) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<SQSEvent.SQSMessage> messages = batch.getRecords();
    // Groups with a failed message in this batch, and their held-back messages per failure.
    java.util.Map<String, List<SQSEvent.SQSMessage>> heldBehind = new java.util.LinkedHashMap<>();
    java.util.Map<String, SQSEvent.SQSMessage> failedOf = new java.util.HashMap<>();
    boolean holdAll = false;
    List<SQSEvent.SQSMessage> handedBack = new ArrayList<>();
    for (SQSEvent.SQSMessage message : messages) {
      if (!handedBack.isEmpty() || deadline.within(reserve)) {
        // Out of time: this message and every later one go back untouched, all of them now.
        handedBack.add(message);
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        try (Log.Scope scope = Log.with("messageId", message.getMessageId())) {
          markFailedOnLastAttempt(message, "handed back: the invocation was running out of time");
        }
        continue;
      }
      String group = group(message);
      if (holdAll || (group != null && heldBehind.containsKey(group))) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        heldBehind.get(holdAll ? ALL : group).add(message);
        try (Log.Scope scope = Log.with("messageId", message.getMessageId())) {
          markFailedOnLastAttempt(message, "held back behind a failed command of its group");
        }
        continue;
      }
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
          markFailedOnLastAttempt(message, null);
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
          String key = group == null ? ALL : group;
          holdAll |= group == null;
          heldBehind.put(key, new ArrayList<>());
          failedOf.put(key, message);
        }
      }
    }
    // After the last delivery too: SQS moves a message to the dead-letter queue when it is
    // received once more, so the sooner it is visible, the sooner it is parked.
    heldBehind.forEach(
        (key, held) -> {
          SQSEvent.SQSMessage failed = failedOf.get(key);
          redelivery.afterFailure(failed, receiveCount(failed), held);
        });
    if (!handedBack.isEmpty()) {
      Log.warn(
          "batch handed back",
          null,
          "handedBack",
          handedBack.size(),
          "batchSize",
          messages.size(),
          "remainingMs",
          Math.max(0, deadline.remaining().toMillis()),
          "reserveMs",
          reserve.toMillis());
      redelivery.handBack(handedBack);
    }
    return new SQSBatchResponse(failures);
  }

  /** Stands for "every group" when a message without a group failed. */
  private static final String ALL = "\u0000all";

  private static String group(SQSEvent.SQSMessage message) {
    return message.getAttributes() == null ? null : message.getAttributes().get("MessageGroupId");
  }

  /**
   * @param heldBack why the message was not processed, or {@code null} when it was and failed
   */
  private void markFailedOnLastAttempt(SQSEvent.SQSMessage message, String heldBack) {
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
          receives,
          "heldBack",
          heldBack);
      Metrics.count(MetricCatalog.COMMANDS_FAILED);
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
