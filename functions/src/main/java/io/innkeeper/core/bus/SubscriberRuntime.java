package io.innkeeper.core.bus;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.aws.Backoff;
import io.innkeeper.core.aws.Deadline;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.obs.Metrics;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowConflictException;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.ContractException;
import io.innkeeper.events.published.CloudEvent;
import io.innkeeper.events.published.PublishedEvent;
import io.innkeeper.events.published.PublishedLanguage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a subscriber service on its SQS FIFO queue (raw delivery: each body is one CloudEvent).
 * Messages are taken in order; each event is applied once, in {@code sequence} order per aggregate:
 * the service's marks table keeps, per subject, the highest sequence applied (its mark), written in
 * the same conditional write as the subscriber's rows, and an event at or below the mark is a
 * duplicate (a redelivery, SNS past its deduplication window, a replay) and changes nothing.
 *
 * <p>A message that cannot be applied (not this contract, or the store failing) stops the batch: it
 * and every message after it are reported as failed, as FIFO queues require, so SQS delivers them
 * again in order and, after the queue's {@code maxReceiveCount}, moves the poison one to the
 * service's own dead-letter queue. A published type the service does not know is skipped: new types
 * appear on the bus without breaking old subscribers.
 */
public final class SubscriberRuntime {
  private static final int MAX_ATTEMPTS = 10;
  private static final Backoff CONFLICT_BACKOFF =
      new Backoff(Duration.ofMillis(10), Duration.ofMillis(200));

  /** The attribute of a mark row: the highest sequence applied for its subject. */
  public static final String MARK = Watermarks.VERSION;

  private final String service;
  private final PublishedLanguage language;
  private final Subscriber subscriber;
  private final RowStore store;
  private final Watermarks marks;

  /**
   * @param service the subscriber service's id, as logs and metrics name it
   * @param language the published types it reads
   * @param marksTable the service's table that keeps its marks
   */
  public SubscriberRuntime(
      String service,
      PublishedLanguage language,
      Subscriber subscriber,
      RowStore store,
      String marksTable) {
    this.service = service;
    this.language = language;
    this.subscriber = subscriber;
    this.store = store;
    this.marks = new Watermarks(store, marksTable);
  }

  /**
   * The row holding the highest sequence applied for {@code subject}: a {@link Watermarks} row of
   * the service's marks table, so a consistency token (stream and version) can wait on it as it
   * waits on the projector's.
   */
  public RowKey markKey(String subject) {
    return marks.key(subject);
  }

  /** What became of one event. */
  public enum Outcome {
    APPLIED,
    DUPLICATE,
    UNKNOWN_TYPE
  }

  /** A batch without a deadline (tests, tools). */
  public SQSBatchResponse handle(SQSEvent batch) {
    return handle(batch, Deadline.none());
  }

  /** A batch within the invocation's {@code deadline}. */
  public SQSBatchResponse handle(SQSEvent batch, Deadline deadline) {
    List<SQSEvent.SQSMessage> messages = batch.getRecords();
    for (int i = 0; i < messages.size(); i++) {
      SQSEvent.SQSMessage message = messages.get(i);
      if (deadline.within(ProjectorRuntime.DEFAULT_RESERVE)) {
        Log.warn(
            "batch handed back",
            null,
            "messageId",
            message.getMessageId(),
            "handedBack",
            messages.size() - i,
            "remainingMs",
            Math.max(0, deadline.remaining().toMillis()));
        return failedFrom(messages, i);
      }
      try {
        accept(message.getBody());
      } catch (RuntimeException e) {
        Log.error(
            "event not applied",
            e,
            "subscriber",
            service,
            "messageId",
            message.getMessageId(),
            "receiveCount",
            message.getAttributes() == null
                ? null
                : message.getAttributes().get("ApproximateReceiveCount"));
        return failedFrom(messages, i);
      }
    }
    return new SQSBatchResponse(new ArrayList<>());
  }

  /**
   * Applies one delivered CloudEvent.
   *
   * @throws ContractException when the body is not a CloudEvent of this contract
   */
  public Outcome accept(String body) {
    CloudEvent event = CloudEvent.parse(body);
    if (!language.types().currentVersions().containsKey(event.type())) {
      Log.info(
          "event skipped",
          "subscriber",
          service,
          "reason",
          "unknown type",
          "publishedType",
          event.type(),
          "eventId",
          event.id());
      return Outcome.UNKNOWN_TYPE;
    }
    PublishedEvent data = language.read(event);
    for (int attempt = 1; ; attempt++) {
      try {
        return applyOnce(event, data);
      } catch (RowConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        CONFLICT_BACKOFF.pause(attempt);
      }
    }
  }

  private Outcome applyOnce(CloudEvent event, PublishedEvent data) {
    RowKey mark = markKey(event.subject());
    Set<RowKey> keys = new LinkedHashSet<>();
    keys.add(mark);
    keys.addAll(subscriber.reads(event, data));
    Map<RowKey, Row> read = store.get(keys, true);
    Row markRow = read.get(mark);
    long applied = markRow == null ? 0 : markRow.number(MARK, 0);
    if (event.sequence() <= applied) {
      Log.info(
          "event skipped",
          "subscriber",
          service,
          "reason",
          "duplicate",
          "eventId",
          event.id(),
          "subject",
          event.subject(),
          "sequence",
          event.sequence(),
          "applied",
          applied);
      return Outcome.DUPLICATE;
    }
    List<RowWrite> writes = new ArrayList<>();
    for (RowChange change : subscriber.apply(event, data, new Rows(read))) {
      if (change.key().equals(mark)) {
        throw new IllegalStateException(service + " wrote its own mark " + change.key());
      }
      // A row it did not read is one it creates: written only if it does not exist yet.
      Row before = read.get(change.key());
      writes.add(
          new RowWrite(change.key(), change.attributes(), before == null ? 0 : before.revision()));
    }
    writes.add(
        new RowWrite(
            mark, Map.of(MARK, event.sequence()), markRow == null ? 0 : markRow.revision()));
    store.commit(writes);
    long lag = Math.max(0, System.currentTimeMillis() - event.time().toEpochMilli());
    Log.info(
        "event applied",
        "subscriber",
        service,
        "eventId",
        event.id(),
        "publishedType",
        event.type(),
        "subject",
        event.subject(),
        "sequence",
        event.sequence(),
        "lagMs",
        lag);
    Metrics.put(MetricCatalog.SUBSCRIBER_LAG, lag, service);
    return Outcome.APPLIED;
  }

  private static SQSBatchResponse failedFrom(List<SQSEvent.SQSMessage> messages, int from) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (int i = from; i < messages.size(); i++) {
      failures.add(new SQSBatchResponse.BatchItemFailure(messages.get(i).getMessageId()));
    }
    return new SQSBatchResponse(failures);
  }
}
