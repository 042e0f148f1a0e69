package io.innkeeper.ops;

import io.innkeeper.core.bus.PublisherRuntime;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.events.published.CloudEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The integration events the record implies: every event of the events table mapped by the domain's
 * published language, with the ids the publisher gives them. {@code replay} sends them; {@code
 * soak} checks the bus against them.
 */
public final class RecordEvents {
  private RecordEvents() {}

  /**
   * Per aggregate (its stream id), in version order: the integration events of every stored event
   * that occurred at or after {@code since} ({@code null}: all) and publishes something.
   *
   * @param source the deployment's CloudEvents source, as its publisher sets it
   */
  public static Map<String, List<CloudEvent>> read(
      DynamoDbClient ddb, String eventsTable, Domain domain, String source, Instant since) {
    PublisherRuntime mapper =
        new PublisherRuntime(domain.publishedLanguage(), domain.eventTypes(), null, source);
    // A scan reads item collections in no particular order: sort per aggregate.
    Map<String, TreeMap<Long, CloudEvent>> byStream = new TreeMap<>();
    ddb.scanPaginator(
            r ->
                r.tableName(eventsTable)
                    .consistentRead(true)
                    .filterExpression("#k = :event")
                    .expressionAttributeNames(Map.of("#k", "kind"))
                    .expressionAttributeValues(Map.of(":event", AttributeValue.fromS("event"))))
        .items()
        .forEach(
            item -> {
              StoredEvent e = RedriveParked.storedEvent(item);
              if (since == null || !e.occurredAt().isBefore(since)) {
                mapper
                    .integrationEvent(e)
                    .ifPresent(
                        c ->
                            byStream
                                .computeIfAbsent(e.streamId(), s -> new TreeMap<>())
                                .put(e.version(), c));
              }
            });
    Map<String, List<CloudEvent>> out = new TreeMap<>();
    byStream.forEach((stream, events) -> out.put(stream, new ArrayList<>(events.values())));
    return out;
  }
}
