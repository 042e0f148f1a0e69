package io.innkeeper.events.hotel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.innkeeper.events.ContractException;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.events.hotel.published.HotelPublishedEvent;
import io.innkeeper.events.published.CloudEvent;
import io.innkeeper.events.published.PublishedEvent;
import io.innkeeper.events.published.PublishedLanguage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The published language's contract: every internal event maps to the frozen CloudEvent under
 * {@code published/} (test resources) (so a change to the public contract is a visible diff), every
 * frozen sample fits the envelope's JSON Schema and its type's, and the envelope rules (ids,
 * sequence, parsing) hold. The schemas are checked with a real JSON Schema validator (draft
 * 2020-12).
 */
class PublishedContractTest {
  static final String SOURCE = CloudEvent.sourceOf("innkeeper-local", "hotel");
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  /** Each internal sample, as the events table holds it: its stream and version. */
  private record Stored(String stream, long version, Instant occurredAt, DomainEvent event) {}

  private static List<Stored> stored() {
    return List.of(
        new Stored(
            "hotel#" + Samples.HOTEL, 1, Instant.parse("2026-11-23T10:15:30.123Z"), event(0)),
        new Stored(
            "hotel#" + Samples.HOTEL, 2, Instant.parse("2026-11-23T10:20:00.456Z"), event(1)),
        new Stored(
            "reservation#" + Samples.RESERVATION,
            1,
            Instant.parse("2026-11-23T10:30:00.789Z"),
            event(2)),
        new Stored(
            "reservation#" + Samples.RESERVATION,
            2,
            Instant.parse("2026-11-23T11:00:00.001Z"),
            event(3)));
  }

  private static DomainEvent event(int i) {
    return Samples.EVENTS.get(i);
  }

  @Test
  void every_internal_event_publishes_its_frozen_cloud_event() throws IOException {
    Set<String> published = new HashSet<>();
    for (Stored s : stored()) {
      CloudEvent event =
          HotelPublishing.LANGUAGE
              .publish(SOURCE, s.stream(), s.version(), s.occurredAt(), s.event())
              .orElseThrow();
      String frozen = resource("/published/" + event.type() + ".json").strip();
      assertEquals(frozen, event.toJson(), "wire form of " + event.type() + " changed");
      assertEquals(event, CloudEvent.parse(frozen));
      published.add(event.type());
    }
    assertEquals(
        Set.copyOf(HotelPublishing.LANGUAGE.typeNames()),
        published,
        "published types without a frozen sample");
  }

  @Test
  void the_mapping_carries_every_published_field_from_the_internal_event() {
    var placed = (ReservationPlaced) event(2);
    var data =
        HotelPublishing.LANGUAGE.types().toMap(HotelPublishing.publish(placed).orElseThrow());
    assertEquals(
        List.of(
            "reservationId",
            "guestId",
            "hotelId",
            "roomType",
            "checkIn",
            "checkOut",
            "guests",
            "totalPrice",
            "bookedAt"),
        List.copyOf(data.keySet()));
    assertEquals(placed.guestId(), data.get("guestId"));
    var cancelled = (ReservationCancelled) event(3);
    assertEquals(
        new HotelPublishedEvent.ReservationCancelledV1(
            cancelled.reservationId(),
            cancelled.hotelId(),
            cancelled.roomType(),
            cancelled.checkIn(),
            cancelled.checkOut(),
            cancelled.cancelledBy(),
            cancelled.reason(),
            cancelled.cancelledAt()),
        HotelPublishing.publish(cancelled).orElseThrow());
  }

  @Test
  void no_internal_field_reaches_the_published_language() {
    var registered = (HotelRegistered) event(0);
    var data =
        HotelPublishing.LANGUAGE.types().toMap(HotelPublishing.publish(registered).orElseThrow());
    assertFalse(data.containsKey("cityKey"), "the search key is the read side's, not a fact");
    assertEquals(registered.city(), data.get("city"));
    // Every published type is a record of the published package: nothing internal is reused.
    for (Class<?> type : HotelPublishedEvent.TYPES.registeredClasses()) {
      for (var component : type.getRecordComponents()) {
        assertFalse(
            component.getType().getPackageName().equals(HotelEvent.class.getPackageName()),
            type.getSimpleName() + "." + component.getName() + " is an internal type");
      }
    }
  }

  @Test
  void every_frozen_sample_fits_the_envelope_schema_and_its_type_schema() throws IOException {
    Schema envelope =
        SCHEMAS.getSchema(resource("/schemas/published/cloudevent.json"), InputFormat.JSON);
    for (String type : HotelPublishing.LANGUAGE.typeNames()) {
      String sample = resource("/published/" + type + ".json");
      assertEquals(List.of(), envelope.validate(sample, InputFormat.JSON), type + " envelope");
      String dataJson = Json.write(CloudEvent.parse(sample).data());
      Schema dataSchema = typeSchema(type);
      assertEquals(List.of(), dataSchema.validate(dataJson, InputFormat.JSON), type + " data");
    }
  }

  @Test
  void the_schemas_refuse_what_breaks_the_contract() throws IOException {
    String type = HotelPublishedEvent.RESERVATION_PLACED;
    Map<String, Object> sample = Json.parseObject(resource("/published/" + type + ".json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) sample.get("data"));
    data.remove("guestId");
    assertFalse(
        typeSchema(type).validate(Json.write(data), InputFormat.JSON).isEmpty(),
        "a required field removed");
    Map<String, Object> envelope = new LinkedHashMap<>(sample);
    envelope.put("sequence", "1");
    Schema schema =
        SCHEMAS.getSchema(resource("/schemas/published/cloudevent.json"), InputFormat.JSON);
    assertFalse(
        schema.validate(Json.write(envelope), InputFormat.JSON).isEmpty(), "an unpadded sequence");
    envelope.put("sequence", sample.get("sequence"));
    envelope.put("requestId", "internal");
    assertFalse(
        schema.validate(Json.write(envelope), InputFormat.JSON).isEmpty(),
        "an attribute the contract does not have");
  }

  @Test
  void ids_follow_the_stream_and_version_and_nothing_else() {
    String id = CloudEvent.idOf("reservation#R1", 3);
    assertEquals(id, CloudEvent.idOf("reservation#R1", 3), "a redelivery publishes the same id");
    assertNotEquals(id, CloudEvent.idOf("reservation#R1", 4));
    assertNotEquals(id, CloudEvent.idOf("reservation#R2", 3));
    assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  }

  @Test
  void sequences_compare_as_strings_in_version_order() {
    CloudEvent nine = cloudEvent(9);
    CloudEvent ten = cloudEvent(10);
    assertEquals("00000000000000000009", nine.sequenceString());
    assertTrue(nine.sequenceString().compareTo(ten.sequenceString()) < 0);
    assertEquals(Long.MAX_VALUE, cloudEvent(Long.MAX_VALUE).sequence());
    assertEquals(cloudEvent(Long.MAX_VALUE), CloudEvent.parse(cloudEvent(Long.MAX_VALUE).toJson()));
  }

  @Test
  void parsing_refuses_what_is_not_this_contract() {
    String good = cloudEvent(1).toJson();
    assertEquals(cloudEvent(1), CloudEvent.parse(good));
    for (String bad :
        List.of(
            good.replace("\"1.0\"", "\"0.3\""),
            good.replace("\"00000000000000000001\"", "\"1\""),
            good.replace("\"00000000000000000001\"", "\"00000000000000000000\""),
            good.replace("\"subject\":\"s#1\",", ""),
            good.replace("\"data\":{\"a\":1}", "\"data\":\"text\""),
            good.replace("{\"specversion\"", "{\"extra\":1,\"specversion\""),
            "not json")) {
      assertThrows(ContractException.class, () -> CloudEvent.parse(bad), bad);
    }
  }

  @Test
  void a_published_type_name_must_be_reverse_dns_with_its_major_version() {
    TypeRegistry<PublishedEvent> unversioned =
        TypeRegistry.<PublishedEvent>builder("published")
            .add("ReservationPlaced", 1, Thing.class, f -> new Thing(), t -> Map.of())
            .build();
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PublishedLanguage(unversioned, x -> Optional.empty()));
    assertTrue(e.getMessage().contains("ReservationPlaced"), e.getMessage());
    assertTrue(
        PublishedLanguage.TYPE_NAME.matcher(HotelPublishedEvent.RESERVATION_PLACED).matches());
  }

  @Test
  void a_reader_gets_back_the_published_event_from_its_cloud_event() {
    Stored s = stored().get(1);
    CloudEvent event =
        HotelPublishing.LANGUAGE
            .publish(SOURCE, s.stream(), s.version(), s.occurredAt(), s.event())
            .orElseThrow();
    var allotment = (AllotmentSet) s.event();
    var read = (HotelPublishedEvent.AllotmentSetV1) HotelPublishing.LANGUAGE.read(event);
    assertEquals(allotment.nightlyRate(), read.nightlyRate());
    assertEquals(allotment.to(), read.to());
  }

  private record Thing() implements PublishedEvent {}

  private static CloudEvent cloudEvent(long sequence) {
    return new CloudEvent(
        CloudEvent.idOf("s#1", sequence),
        SOURCE,
        "io.innkeeper.test.thing.v1",
        Instant.parse("2026-01-01T00:00:00Z"),
        "s#1",
        sequence,
        Map.of("a", 1));
  }

  private static Schema typeSchema(String type) throws IOException {
    return SCHEMAS.getSchema(resource("/schemas/published/" + type + ".json"), InputFormat.JSON);
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = PublishedContractTest.class.getResourceAsStream(path)) {
      assertNotNull(in, "missing resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
