package io.innkeeper.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.events.Json;
import io.innkeeper.events.published.CloudEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How replay renders what a subscription would have delivered, and which filters it evaluates. */
class ReplayTest {

  private static final CloudEvent EVENT =
      new CloudEvent(
          CloudEvent.idOf("reservation#R1", 2),
          "urn:innkeeper:innkeeper-local:hotel",
          "io.innkeeper.hotel.reservation.cancelled.v1",
          Instant.parse("2026-12-07T10:00:00Z"),
          "reservation#R1",
          2,
          Map.of("reservationId", "R1"));

  private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:innkeeper-event-bus.fifo";

  @Test
  void a_filter_of_exact_types_is_evaluated_and_any_other_is_refused() {
    assertEquals(
        Set.of("a.b.v1", "c.d.v1"), Replay.typeFilter("{\"type\":[\"a.b.v1\",\"c.d.v1\"]}"));
    for (String other :
        new String[] {
          "{\"type\":[{\"prefix\":\"io.\"}]}",
          "{\"type\":[\"a.b.v1\"],\"tenant\":[\"x\"]}",
          "{\"kind\":[\"a\"]}",
          "{\"type\":[]}"
        }) {
      var e = assertThrows(IllegalArgumentException.class, () -> Replay.typeFilter(other), other);
      assertTrue(e.getMessage().contains("exact matches on type"), e.getMessage());
    }
    var filtered = new Replay.Subscription("s", true, Set.of("a.b.v1"));
    assertTrue(filtered.wants("a.b.v1"));
    assertTrue(!filtered.wants("c.d.v1"));
    assertTrue(new Replay.Subscription("s", true, null).wants("anything.v1"));
  }

  @Test
  void raw_delivery_sends_the_event_as_published_with_its_type_attribute_group_and_id() {
    var entry = Replay.entry("0", EVENT, TOPIC, new Replay.Subscription("s", true, null), true);
    assertEquals(EVENT.toJson(), entry.messageBody());
    assertEquals(EVENT.type(), entry.messageAttributes().get("type").stringValue());
    assertEquals("reservation#R1", entry.messageGroupId());
    assertEquals(EVENT.id(), entry.messageDeduplicationId());

    var standard = Replay.entry("0", EVENT, TOPIC, new Replay.Subscription("s", true, null), false);
    assertNull(standard.messageGroupId(), "a standard queue takes no group");
  }

  @Test
  void an_enveloped_subscription_gets_the_event_inside_sns_notification_json() {
    var entry = Replay.entry("0", EVENT, TOPIC, new Replay.Subscription("s", false, null), true);
    Map<String, Object> envelope = Json.parseObject(entry.messageBody());
    assertEquals("Notification", envelope.get("Type"));
    assertEquals(TOPIC, envelope.get("TopicArn"));
    assertEquals(EVENT, CloudEvent.parse((String) envelope.get("Message")));
    assertEquals(
        Map.of("type", Map.of("Type", "String", "Value", EVENT.type())),
        envelope.get("MessageAttributes"));
    assertTrue(entry.messageAttributes().isEmpty(), "attributes travel inside the envelope");
  }
}
