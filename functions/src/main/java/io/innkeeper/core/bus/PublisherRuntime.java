package io.innkeeper.core.bus;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.innkeeper.core.aws.Deadline;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.obs.Metrics;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.published.CloudEvent;
import io.innkeeper.events.published.PublishedLanguage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The publisher: the events stream's second reader. Each stored event is mapped to its integration
 * event ({@link PublishedLanguage}) and published on the FIFO topic with the aggregate as message
 * group and the event's id as deduplication id, in batches of at most ten.
 *
 * <p>Order per aggregate: records are published in stream order, and a batch call never holds two
 * events of one aggregate, so an aggregate's next event is sent only once the one before it went
 * through. At the first failed entry it stops and reports that entry's record as the batch item
 * failure: Lambda then delivers it and every record after it again (retried, bisected, finally
 * parked on the publisher's own on-failure queue). What went through already is deduplicated by SNS
 * within its 5-minute window, and past it a subscriber drops it by id and sequence.
 *
 * <p>It watches the invocation's time as the projector does: no batch call is started with less
 * than {@link ProjectorRuntime#DEFAULT_RESERVE} left; the rest is handed back.
 */
public final class PublisherRuntime {
  private final PublishedLanguage language;
  private final TypeRegistry<DomainEvent> internal;
  private final TopicPort topic;
  private final String source;

  /**
   * @param language what the domain publishes
   * @param internal the domain's internal event registry, which reads the stored events
   * @param topic the event bus
   * @param source the deployment's CloudEvents source ({@link CloudEvent#sourceOf})
   */
  public PublisherRuntime(
      PublishedLanguage language,
      TypeRegistry<DomainEvent> internal,
      TopicPort topic,
      String source) {
    this.language = language;
    this.internal = internal;
    this.topic = topic;
    this.source = source;
  }

  /** The integration event a stored event publishes, if any. */
  public Optional<CloudEvent> integrationEvent(StoredEvent stored) {
    DomainEvent event = internal.decode(stored.type(), stored.schemaVersion(), stored.data());
    return language.publish(
        source, stored.streamId(), stored.version(), stored.occurredAt(), event);
  }

  /**
   * Publishes one stored event's integration event on its own, as {@code redrive} does with what
   * the publisher parked: the same id and message group, so SNS drops it within its 5-minute window
   * if it went through before, and a subscriber drops it by id or sequence after that.
   *
   * @return the event published, or empty for an event that publishes nothing
   * @throws IllegalStateException when SNS refused it (nothing was published)
   */
  public Optional<CloudEvent> publishOne(StoredEvent stored) {
    Optional<CloudEvent> event = integrationEvent(stored);
    if (event.isPresent()) {
      Map<String, String> failed = topic.publishBatch(List.of(entry("0", event.get())));
      if (!failed.isEmpty()) {
        throw new IllegalStateException("SNS refused " + event.get().id() + ": " + failed.get("0"));
      }
    }
    return event;
  }

  /** The entry that publishes {@code event} on the bus. */
  public static TopicPort.Entry entry(String id, CloudEvent event) {
    return new TopicPort.Entry(id, event.toJson(), event.subject(), event.id(), event.type());
  }

  /** A batch without a deadline (tests, tools). */
  public StreamsEventResponse handle(DynamodbEvent batch) {
    return handle(batch, Deadline.none());
  }

  /** One record of the batch, mapped. */
  private record Item(String sequenceNumber, StoredEvent stored, CloudEvent event) {}

  /** A stream batch, within the invocation's {@code deadline}. */
  public StreamsEventResponse handle(DynamodbEvent batch, Deadline deadline) {
    List<DynamodbEvent.DynamodbStreamRecord> records = batch.getRecords();
    int next = 0;
    while (next < records.size()) {
      if (deadline.within(ProjectorRuntime.DEFAULT_RESERVE)) {
        Log.warn(
            "batch handed back",
            null,
            "sequenceNumber",
            sequenceNumber(records.get(next)),
            "handedBack",
            records.size() - next,
            "batchSize",
            records.size(),
            "remainingMs",
            Math.max(0, deadline.remaining().toMillis()));
        return failedFrom(records.get(next));
      }
      // The next call's entries: consecutive records, at most one per aggregate, within SNS's
      // limits. Records that publish nothing ride along and are done when the call is.
      List<Item> chunk = new ArrayList<>();
      Set<String> groups = new HashSet<>();
      int bytes = 0;
      int end = next;
      int entries = 0;
      while (end < records.size() && entries < TopicPort.MAX_ENTRIES) {
        Item item;
        try {
          item = item(records.get(end));
        } catch (RuntimeException e) {
          if (end == next) {
            Log.error(
                "record not publishable",
                e,
                "sequenceNumber",
                sequenceNumber(records.get(end)),
                "stream",
                stream(records.get(end)));
            return failedFrom(records.get(end));
          }
          break; // published alone next, which reports it
        }
        if (item.event() != null) {
          int size = entry("e", item.event()).size();
          if (groups.contains(item.event().subject())
              || (entries > 0 && bytes + size > TopicPort.MAX_BATCH_BYTES)) {
            break;
          }
          groups.add(item.event().subject());
          bytes += size;
          entries++;
        }
        chunk.add(item);
        end++;
      }
      Optional<Item> failed = publish(chunk);
      if (failed.isPresent()) {
        return new StreamsEventResponse(
            new ArrayList<>(
                List.of(new StreamsEventResponse.BatchItemFailure(failed.get().sequenceNumber()))));
      }
      next = end;
    }
    return new StreamsEventResponse(new ArrayList<>());
  }

  /**
   * Publishes the chunk's events in one call.
   *
   * @return the first item whose event did not go through, if any
   */
  private Optional<Item> publish(List<Item> chunk) {
    List<TopicPort.Entry> entries = new ArrayList<>();
    List<Item> published = new ArrayList<>();
    for (Item item : chunk) {
      if (item.event() != null) {
        entries.add(entry(Integer.toString(entries.size()), item.event()));
        published.add(item);
      }
    }
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> failed;
    try {
      failed = topic.publishBatch(entries);
    } catch (RuntimeException e) {
      Item first = published.get(0);
      Log.error(
          "publish failed",
          e,
          "sequenceNumber",
          first.sequenceNumber(),
          "stream",
          first.stored().streamId(),
          "entries",
          entries.size());
      return Optional.of(first);
    }
    long now = System.currentTimeMillis();
    for (int i = 0; i < published.size(); i++) {
      Item item = published.get(i);
      String reason = failed.get(Integer.toString(i));
      if (reason != null) {
        Log.error(
            "publish failed",
            null,
            "sequenceNumber",
            item.sequenceNumber(),
            "stream",
            item.stored().streamId(),
            "version",
            item.stored().version(),
            "reason",
            reason);
        return Optional.of(item);
      }
      report(item, now);
    }
    return Optional.empty();
  }

  private void report(Item item, long now) {
    StoredEvent stored = item.stored();
    try (Log.Scope scope =
        Log.with("commandId", stored.commandId(), "requestId", stored.requestId())) {
      long lag = Math.max(0, now - stored.occurredAt().toEpochMilli());
      Log.info(
          "event published",
          "stream",
          stored.streamId(),
          "version",
          stored.version(),
          "eventType",
          stored.type(),
          "publishedType",
          item.event().type(),
          "eventId",
          item.event().id(),
          "occurredAt",
          stored.occurredAt().toString(),
          "lagMs",
          lag);
      Metrics.put(MetricCatalog.PUBLISH_LAG, lag, null);
    }
  }

  private Item item(DynamodbEvent.DynamodbStreamRecord record) {
    Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
    String seq = sequenceNumber(record);
    if (image == null || image.get("kind") == null || !"event".equals(image.get("kind").getS())) {
      return new Item(seq, null, null); // not an event: the filter keeps these out
    }
    StoredEvent stored = ProjectorRuntime.decode(image);
    return new Item(seq, stored, integrationEvent(stored).orElse(null));
  }

  private static String sequenceNumber(DynamodbEvent.DynamodbStreamRecord record) {
    return record.getDynamodb().getSequenceNumber();
  }

  private static String stream(DynamodbEvent.DynamodbStreamRecord record) {
    Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
    return image == null || image.get("pk") == null ? null : image.get("pk").getS();
  }

  private static StreamsEventResponse failedFrom(DynamodbEvent.DynamodbStreamRecord record) {
    return new StreamsEventResponse(
        new ArrayList<>(
            List.of(new StreamsEventResponse.BatchItemFailure(sequenceNumber(record)))));
  }
}
