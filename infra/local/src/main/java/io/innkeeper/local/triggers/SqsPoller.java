package io.innkeeper.local.triggers;

import io.innkeeper.core.obs.Log;
import io.innkeeper.local.LocalRuntime;
import io.innkeeper.local.chaos.Chaos;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.local.lambda.FunctionInvoker;
import io.innkeeper.local.lambda.FunctionInvoker.FunctionError;
import io.innkeeper.topology.Trigger.SqsTrigger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * An SQS event source mapping: {@code maxConcurrency} pollers, each receiving up to {@code
 * batchSize} messages and invoking the function with them, with partial batch responses on.
 * Messages the function reports as failed, and every message of an invocation that throws, are left
 * alone: they become visible again after the visibility timeout, and the queue's redrive policy
 * moves them to the dead-letter queue after {@code maxReceiveCount} receives. FIFO ordering and
 * message-group blocking come from the queue itself.
 *
 * <p>Deviations from Lambda: batches hold at most 10 messages (one ReceiveMessage; there is no
 * batching window), and the number of pollers is fixed at {@code maxConcurrency} instead of
 * scaling.
 *
 * <p>With {@link Chaos}, the poller injects what an SQS event source mapping can do to a function:
 * a slow consumer ({@link Fault#SLOW_CONSUMER}: it waits before invoking); a duplicate delivery
 * ({@link Fault#DUPLICATE_DELIVERY}: the same batch is invoked a second time, as at-least-once
 * delivery allows, and a message counts as processed when either invocation processed it); and a
 * crash after the function returned but before the messages were deleted ({@link
 * Fault#CRASH_BEFORE_ACK}: the processed messages are made visible again at once instead of being
 * deleted, so they are received again with a higher receive count, as after a real crash once the
 * visibility timeout has passed).
 */
public final class SqsPoller implements AutoCloseable {

  /**
   * Lambda's long poll, where the queue server stops with the runtime: an idle poller costs one
   * request every 20 s, and a message that arrives or becomes visible ends the wait at once.
   */
  static final int LONG_POLL_SECONDS = 20;

  /**
   * Where the queues outlive the runtime (LocalStack, servers started by hand): a stopped runtime
   * waits for its receives to end, and a receive left open would take the next messages and hide
   * them for a visibility timeout with nobody to process them.
   */
  static final int SHORT_POLL_SECONDS = 1;

  private final String functionId;
  private final SqsTrigger trigger;
  private final String queueUrl;
  private final String queueArn;
  private final SqsClient sqs;
  private final FunctionInvoker invoker;
  private final Chaos chaos;
  private final Log.Named log;
  private final boolean ownsServer;
  private final List<Thread> threads = new ArrayList<>();

  /** The pollers holding a batch: all {@link #close()} waits for when it owns the server. */
  private final Set<Thread> handling = ConcurrentHashMap.newKeySet();

  private volatile boolean running;

  /**
   * @param chaos the faults to inject ({@link Chaos#off()}: none)
   * @param ownsServer whether the queue server stops with the runtime, ending every receive: then
   *     the pollers wait {@value #LONG_POLL_SECONDS} s per receive and {@link #close()} does not
   *     wait for a receive; otherwise {@value #SHORT_POLL_SECONDS} s, and it does
   */
  public SqsPoller(
      String functionId,
      SqsTrigger trigger,
      String queueUrl,
      String queueArn,
      SqsClient sqs,
      FunctionInvoker invoker,
      Chaos chaos,
      boolean ownsServer) {
    this.chaos = chaos;
    this.ownsServer = ownsServer;
    this.functionId = functionId;
    this.trigger = trigger;
    this.queueUrl = queueUrl;
    this.queueArn = queueArn;
    this.sqs = sqs;
    this.invoker = invoker;
    this.log =
        Log.named(LocalRuntime.LOG_FUNCTION, "sqs " + trigger.queueId() + " -> " + functionId);
  }

  /** The function this poller invokes and the trigger it was configured with. */
  public String functionId() {
    return functionId;
  }

  public SqsTrigger trigger() {
    return trigger;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    int pollers = Math.max(1, trigger.maxConcurrency());
    for (int i = 1; i <= pollers; i++) {
      Thread thread = new Thread(this::poll, "sqs-" + functionId + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void poll() {
    int batchSize = Math.max(1, Math.min(10, trigger.batchSize()));
    int waitSeconds = ownsServer ? LONG_POLL_SECONDS : SHORT_POLL_SECONDS;
    while (running) {
      List<Message> messages;
      try {
        messages =
            sqs.receiveMessage(
                    r ->
                        r.queueUrl(queueUrl)
                            .maxNumberOfMessages(batchSize)
                            .waitTimeSeconds(waitSeconds)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                            .messageAttributeNames("All"))
                .messages();
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("receive failed, retrying in 1 s", e);
        sleep(1000);
        continue;
      }
      if (messages.isEmpty()) {
        continue;
      }
      // Marked before running is read again, and close() clears running before it reads the
      // marks: either close() waits for this batch or the batch is left alone.
      handling.add(Thread.currentThread());
      try {
        if (!running && ownsServer) {
          // Received while stopping, and nobody waits for it: the messages come back after their
          // visibility timeout, as from a poller that died holding them.
          return;
        }
        handle(messages);
      } finally {
        handling.remove(Thread.currentThread());
      }
    }
  }

  private void handle(List<Message> messages) {
    Set<String> ids = new LinkedHashSet<>();
    messages.forEach(m -> ids.add(m.messageId()));
    if (chaos.strikes(Fault.SLOW_CONSUMER)) {
      sleep(chaos.config().slowMillis());
    }
    Set<String> failed = invoke(messages, ids);
    if (chaos.strikes(Fault.DUPLICATE_DELIVERY)) {
      log.info("chaos: delivering " + messages.size() + " message(s) a second time");
      Set<String> again = invoke(messages, ids);
      // Two deliveries, each acknowledging what it processed: only a message both failed stays.
      Set<String> both = new LinkedHashSet<>(failed);
      both.retainAll(again);
      failed = both;
    }
    if (failed.size() == ids.size()) {
      return;
    }
    if (chaos.strikes(Fault.CRASH_BEFORE_ACK)) {
      crashBeforeAck(messages, failed);
      return;
    }
    List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
    for (Message message : messages) {
      if (!failed.contains(message.messageId())) {
        deletes.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(String.valueOf(deletes.size()))
                .receiptHandle(message.receiptHandle())
                .build());
      }
    }
    if (deletes.isEmpty()) {
      return;
    }
    try {
      var result = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(deletes));
      // ElasticMQ refuses a receipt handle that is no longer the latest (AWS accepts it): the
      // message was received again after its visibility timeout, so it will be processed twice.
      result
          .failed()
          .forEach(
              f ->
                  log.warn(
                      "could not delete a processed message ("
                          + f.code()
                          + ": "
                          + f.message()
                          + "); it will be delivered again"));
    } catch (RuntimeException e) {
      log.warn("could not delete processed messages; they will be delivered again", e);
    }
  }

  /**
   * Invokes the function with the batch.
   *
   * @return the messages it did not process: all of them when it failed as a whole
   */
  private Set<String> invoke(List<Message> messages, Set<String> ids) {
    try {
      String answer = invoker.invoke(functionId, SqsEventJson.event(messages, queueArn));
      return BatchFailures.failed(answer, ids);
    } catch (FunctionError e) {
      // Nothing is deleted: the whole batch comes back after the visibility timeout.
      log.warn(messages.size() + " message(s) left for redelivery: " + e.getMessage());
      return ids;
    }
  }

  /**
   * The poller "crashed" after the function processed the messages and before it deleted them: they
   * come back. After a real crash they would stay invisible for the rest of their visibility
   * timeout; here they become visible at once, so the redelivery (and the receive count that grows
   * with it) comes soon.
   */
  private void crashBeforeAck(List<Message> messages, Set<String> failed) {
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
    for (Message message : messages) {
      if (!failed.contains(message.messageId())) {
        entries.add(
            ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(String.valueOf(entries.size()))
                .receiptHandle(message.receiptHandle())
                .visibilityTimeout(0)
                .build());
      }
    }
    log.info("chaos: crashed before deleting " + entries.size() + " processed message(s)");
    try {
      var result = sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
      if (!result.failed().isEmpty()) {
        log.warn(
            result.failed().size()
                + " message(s) keep their visibility timeout after the crash: "
                + result.failed().get(0).message());
      }
    } catch (RuntimeException e) {
      log.warn("the messages of the crash come back after their visibility timeout", e);
    }
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops polling; waits for the batches being handled to finish (at most a few seconds), and,
   * where the queue server outlives the runtime, for the receives in flight too.
   */
  @Override
  public void close() {
    running = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Thread thread : ownsServer ? List.copyOf(handling) : threads) {
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
