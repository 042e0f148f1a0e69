package io.innkeeper.core.projection;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.EventTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Feeds every projection from one stream batch, record by record, in order. On the first record
 * that fails it stops and reports that record, so Lambda retries from there (and bisects, and
 * finally parks it) while the records before it stay done.
 */
public final class ProjectorRuntime {
  private final List<Projection> projections;

  public ProjectorRuntime(List<Projection> projections) {
    this.projections = List.copyOf(projections);
  }

  public StreamsEventResponse handle(DynamodbEvent batch) {
    for (DynamodbEvent.DynamodbStreamRecord record : batch.getRecords()) {
      try {
        apply(record);
      } catch (RuntimeException e) {
        String seq = record.getDynamodb().getSequenceNumber();
        System.err.println(
            "{\"level\":\"ERROR\",\"msg\":\"projection failed\",\"sequenceNumber\":\""
                + seq
                + "\",\"error\":\""
                + e.getClass().getSimpleName()
                + ": "
                + String.valueOf(e.getMessage()).replace('"', '\'')
                + "\"}");
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        failures.add(new StreamsEventResponse.BatchItemFailure(seq));
        return new StreamsEventResponse(failures);
      }
    }
    return new StreamsEventResponse(new ArrayList<>());
  }

  private void apply(DynamodbEvent.DynamodbStreamRecord record) {
    Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
    if (image == null || image.get("kind") == null || !"event".equals(image.get("kind").getS())) {
      return; // heads and command markers: the filter normally keeps them out
    }
    StoredEvent stored = decode(image);
    DomainEvent event =
        EventTypes.REGISTRY.decode(stored.type(), stored.schemaVersion(), stored.data());
    for (Projection p : projections) {
      p.apply(stored, event);
    }
  }

  /** Reads an event item of the events table as the stream delivers it. */
  public static StoredEvent decode(Map<String, AttributeValue> image) {
    return new StoredEvent(
        image.get("pk").getS(),
        Long.parseLong(image.get("sk").getN()),
        image.get("type").getS(),
        Integer.parseInt(image.get("schemaVersion").getN()),
        image.get("data").getS(),
        image.get("commandId").getS(),
        Instant.parse(image.get("occurredAt").getS()));
  }
}
