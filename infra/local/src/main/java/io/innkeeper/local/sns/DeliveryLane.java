package io.innkeeper.local.sns;

import io.innkeeper.core.obs.Log;
import io.innkeeper.local.LocalRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * One subscription's way into its queue: the messages for it in the order the topic accepted them,
 * sent by one thread, so each queue receives a FIFO topic's messages in sequence order however many
 * publishers there are. Messages that are waiting together go in one {@code SendMessageBatch} (in
 * order); a slow or failing queue holds up only its own lane.
 *
 * <p>Failures are sorted as SNS sorts them. A client-side error (the queue is gone, SQS refuses the
 * message) is not retried: the message goes to the subscription's dead-letter queue if it has one,
 * else it is dropped. A server-side error (SQS answers 5xx or throttles, or cannot be reached) is
 * retried with backoff until the retry budget runs out; then the message has FAILED and the publish
 * that waits for it fails.
 */
final class DeliveryLane implements AutoCloseable {

  /** SQS's limits on one {@code SendMessageBatch}. */
  private static final int BATCH_ENTRIES = 10;

  private static final int BATCH_BYTES = 256 * 1024;

  private static final int IMMEDIATE_RETRIES = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final Set<String> THROTTLING =
      Set.of("Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequestsException");
  private static final Log.Named LOG = Log.named(LocalRuntime.LOG_FUNCTION, "sns");

  /** One message on its way to this lane's queue. */
  static final class Job {
    final String topicArn;
    final String messageId;
    final String groupId;
    final String sequenceNumber;
    final Instant publishedAt;
    final String body;
    final Map<String, MessageAttributeValue> attributes;
    final String sqsGroupId;
    final String sqsDeduplicationId;
    final CompletableFuture<Delivery.Outcome> result = new CompletableFuture<>();

    Job(
        String topicArn,
        String messageId,
        String groupId,
        String sequenceNumber,
        Instant publishedAt,
        String body,
        Map<String, MessageAttributeValue> attributes,
        String sqsGroupId,
        String sqsDeduplicationId) {
      this.topicArn = topicArn;
      this.messageId = messageId;
      this.groupId = groupId;
      this.sequenceNumber = sequenceNumber;
      this.publishedAt = publishedAt;
      this.body = body;
      this.attributes = attributes;
      this.sqsGroupId = sqsGroupId;
      this.sqsDeduplicationId = sqsDeduplicationId;
    }

    int size() {
      int size = body.getBytes(StandardCharsets.UTF_8).length;
      for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
        MessageAttributeValue v = a.getValue();
        size += a.getKey().length() + v.dataType().length();
        size +=
            v.stringValue() != null
                ? v.stringValue().getBytes(StandardCharsets.UTF_8).length
                : v.binaryValue() == null ? 0 : v.binaryValue().asByteArray().length;
      }
      return size;
    }

    SendMessageBatchRequestEntry entry(String id, boolean toFifoQueue) {
      SendMessageBatchRequestEntry.Builder b =
          SendMessageBatchRequestEntry.builder()
              .id(id)
              .messageBody(body)
              .messageAttributes(attributes);
      if (sqsGroupId != null) {
        b.messageGroupId(sqsGroupId);
      }
      if (toFifoQueue && sqsDeduplicationId != null) {
        b.messageDeduplicationId(sqsDeduplicationId);
      }
      return b.build();
    }
  }

  private final SqsClient sqs;
  private final String subscriptionArn;
  private final String queueArn;
  private final Arns.Queue queue;
  private final Clock clock;
  private final Duration retryBudget;
  private final Consumer<Delivery> observer;
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final Thread worker;
  private volatile String deadLetterArn;
  private volatile boolean retiring;
  private volatile boolean closed;
  private String queueUrl;

  DeliveryLane(
      SqsClient sqs,
      String subscriptionArn,
      String queueArn,
      Clock clock,
      Duration retryBudget,
      Consumer<Delivery> observer) {
    this.sqs = sqs;
    this.subscriptionArn = subscriptionArn;
    this.queueArn = queueArn;
    this.queue = Arns.queue(queueArn);
    this.clock = clock;
    this.retryBudget = retryBudget;
    this.observer = observer;
    this.worker = new Thread(this::run, "sns-delivery-" + queue.name());
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** Where messages go that SQS refuses for good, or {@code null} to drop them. */
  void deadLetterQueue(String arn) {
    this.deadLetterArn = arn;
  }

  void submit(Job job) {
    if (closed || retiring) {
      complete(job, Delivery.Outcome.FAILED, "the subscription's delivery lane is stopped");
      return;
    }
    jobs.add(job);
  }

  /** The queue's URL, resolved now if it was not yet; {@code null} when the queue is not there. */
  String queueUrl() {
    synchronized (this) {
      if (queueUrl != null) {
        return queueUrl;
      }
    }
    try {
      return resolve();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Messages waiting for this lane (not counting the ones being sent). */
  int backlog() {
    return jobs.size();
  }

  /** Delivers what is already waiting, then stops (an unsubscribed subscription). */
  void retire() {
    retiring = true;
  }

  /** Stops now; whatever still waits fails (the bus is shutting down). */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Job job; (job = jobs.poll()) != null; ) {
      complete(job, Delivery.Outcome.FAILED, "the local bus stopped");
    }
  }

  private void run() {
    while (!closed) {
      Job first;
      try {
        first = jobs.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        if (retiring) {
          return;
        }
        continue;
      }
      List<Job> chunk = new ArrayList<>();
      chunk.add(first);
      int bytes = first.size();
      for (Job next; chunk.size() < BATCH_ENTRIES && (next = jobs.peek()) != null; ) {
        if (bytes + next.size() > BATCH_BYTES) {
          break;
        }
        chunk.add(jobs.poll());
        bytes += next.size();
      }
      try {
        deliver(chunk);
      } catch (RuntimeException e) {
        // Never leave a publisher waiting: whatever went wrong, the chunk has an outcome.
        LOG.error("delivery to " + queueArn + " failed unexpectedly", e);
        chunk.forEach(job -> complete(job, Delivery.Outcome.FAILED, e.toString()));
      }
    }
  }

  private void deliver(List<Job> chunk) {
    long started = System.nanoTime();
    List<Job> pending = chunk;
    for (int attempt = 1; ; attempt++) {
      String failure;
      try {
        pending = send(pending);
        if (pending.isEmpty()) {
          return;
        }
        failure = "SQS failed some entries of the batch";
      } catch (RuntimeException e) {
        if (clientSide(e)) {
          forgetUrl();
          pending.forEach(job -> refused(job, describe(e)));
          return;
        }
        failure = describe(e);
      }
      if (closed) {
        pending.forEach(job -> complete(job, Delivery.Outcome.FAILED, "the local bus stopped"));
        return;
      }
      Duration backoff = backoff(attempt);
      boolean budgetLeft =
          Duration.ofNanos(System.nanoTime() - started).plus(backoff).compareTo(retryBudget) < 0;
      if (!budgetLeft) {
        String reason = failure + " (gave up after " + attempt + " attempts)";
        LOG.warn("delivery to " + queueArn + " failed: " + reason);
        pending.forEach(job -> complete(job, Delivery.Outcome.FAILED, reason));
        return;
      }
      sleep(backoff);
    }
  }

  /** Sends the chunk in order; returns the jobs to try again (server-side failures). */
  private List<Job> send(List<Job> chunk) {
    String url = resolve();
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
    Map<String, Job> byId = new HashMap<>();
    for (int i = 0; i < chunk.size(); i++) {
      String id = Integer.toString(i);
      entries.add(chunk.get(i).entry(id, queue.fifo()));
      byId.put(id, chunk.get(i));
    }
    SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries));
    response
        .successful()
        .forEach(ok -> complete(byId.get(ok.id()), Delivery.Outcome.DELIVERED, null));
    List<Job> retry = new ArrayList<>();
    for (BatchResultErrorEntry failed : response.failed()) {
      Job job = byId.get(failed.id());
      if (Boolean.TRUE.equals(failed.senderFault())) {
        refused(job, failed.code() + ": " + failed.message());
      } else {
        retry.add(job);
      }
    }
    retry.sort((a, b) -> Integer.compare(chunk.indexOf(a), chunk.indexOf(b)));
    return retry;
  }

  /** A client-side error: SNS does not retry; the DLQ gets the message, or nobody does. */
  private void refused(Job job, String reason) {
    String dlq = deadLetterArn;
    if (dlq != null) {
      Arns.Queue target = Arns.queue(dlq);
      try {
        String url = sqs.getQueueUrl(r -> r.queueName(target.name())).queueUrl();
        sqs.sendMessageBatch(r -> r.queueUrl(url).entries(job.entry("0", target.fifo())));
        LOG.warn("message " + job.messageId + " for " + queueArn + " dead-lettered: " + reason);
        complete(job, Delivery.Outcome.DEAD_LETTERED, reason);
        return;
      } catch (RuntimeException e) {
        reason = reason + "; the dead-letter queue failed too: " + describe(e);
      }
    }
    LOG.warn("message " + job.messageId + " for " + queueArn + " dropped: " + reason);
    complete(job, Delivery.Outcome.DROPPED, reason);
  }

  private void complete(Job job, Delivery.Outcome outcome, String detail) {
    if (job.result.isDone()) {
      return;
    }
    // Observers first: when a publish returns, its deliveries have been reported.
    observer.accept(
        new Delivery(
            job.topicArn,
            subscriptionArn,
            queueArn,
            job.messageId,
            job.groupId,
            job.sequenceNumber,
            job.publishedAt,
            clock.instant(),
            outcome,
            detail));
    job.result.complete(outcome);
  }

  private synchronized String resolve() {
    if (queueUrl == null) {
      queueUrl = sqs.getQueueUrl(r -> r.queueName(queue.name())).queueUrl();
    }
    return queueUrl;
  }

  /** A queue that is gone may come back (with the same name): look it up again next time. */
  private synchronized void forgetUrl() {
    queueUrl = null;
  }

  static boolean clientSide(Throwable e) {
    if (e instanceof SqsException s) {
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      if (s.statusCode() == 429 || (code != null && THROTTLING.contains(code))) {
        return false;
      }
      return s.statusCode() >= 400 && s.statusCode() < 500;
    }
    return false;
  }

  private static Duration backoff(int attempt) {
    if (attempt <= IMMEDIATE_RETRIES) {
      return Duration.ZERO;
    }
    long millis = FIRST_BACKOFF.toMillis() << Math.min(attempt - IMMEDIATE_RETRIES - 1, 10);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }

  private void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof SqsException s && s.awsErrorDetails() != null) {
      return s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
