package io.innkeeper.core.bus;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Money;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stream records of hotel events as the events table streams them. */
final class BusFixture {
  private BusFixture() {}

  static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

  static ReservationPlaced placed(String reservation, String guest) {
    return new ReservationPlaced(
        reservation,
        guest,
        "H1",
        "DBL",
        LocalDate.parse("2030-06-02"),
        LocalDate.parse("2030-06-04"),
        2,
        Money.of("240.00", "EUR"),
        AT);
  }

  static ReservationCancelled cancelled(String reservation) {
    return new ReservationCancelled(
        reservation,
        "H1",
        "DBL",
        LocalDate.parse("2030-06-02"),
        LocalDate.parse("2030-06-04"),
        "gus",
        "plans changed",
        AT.plusSeconds(60));
  }

  /**
   * A record of {@code event} at {@code version} of {@code stream}, sequence number {@code seq}.
   */
  static DynamodbEvent.DynamodbStreamRecord record(
      String stream, long version, DomainEvent event, int seq) {
    TypeRegistry.Encoded encoded = HotelDomainEvent.TYPES.encode(event);
    Map<String, AttributeValue> image = new HashMap<>();
    image.put("pk", new AttributeValue().withS(stream));
    image.put("sk", new AttributeValue().withN(Long.toString(version)));
    image.put("kind", new AttributeValue().withS("event"));
    image.put("type", new AttributeValue().withS(encoded.type()));
    image.put("schemaVersion", new AttributeValue().withN(Integer.toString(encoded.version())));
    image.put("data", new AttributeValue().withS(encoded.json()));
    image.put("commandId", new AttributeValue().withS("c" + seq));
    image.put("occurredAt", new AttributeValue().withS(AT.plusMillis(seq).toString()));
    var change = new StreamRecord();
    change.setNewImage(image);
    change.setSequenceNumber(String.format("%05d", seq));
    var record = new DynamodbEvent.DynamodbStreamRecord();
    record.setDynamodb(change);
    return record;
  }

  static DynamodbEvent batch(List<DynamodbEvent.DynamodbStreamRecord> records) {
    var event = new DynamodbEvent();
    event.setRecords(new ArrayList<>(records));
    return event;
  }
}
