package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /_local/status}: its shape, and that it moves when a command goes through. */
class StatusIT {

  @Test
  @SuppressWarnings("unchecked")
  void status_shows_queues_streams_projections_and_the_last_commands() {
    LocalRuntime runtime = SharedRuntime.get();
    Api api = new Api(runtime.apiUrl());
    Commands commands = new Commands(api, Duration.ofSeconds(20));

    Map<String, Object> before = status(api);
    Map<String, Object> queues = (Map<String, Object>) before.get("queues");
    // The command queue and its dead letters, the projector's and the publisher's parked
    // records, and guest-messages' queue on the bus with its dead letters.
    assertEquals(6, queues.size(), queues.toString());
    for (Object q : queues.values()) {
      Map<String, Object> queue = (Map<String, Object>) q;
      assertFalse(queue.containsKey("error"), queue.toString());
      for (String depth : List.of("visible", "inFlight", "delayed")) {
        assertTrue(((Number) queue.get(depth)).longValue() >= 0, queue.toString());
      }
      assertInstanceOf(String.class, queue.get("role"));
    }
    assertTrue(
        queues.values().stream()
            .anyMatch(q -> ((Map<String, Object>) q).get("role").toString().startsWith("dead")),
        "the dead-letter queue is named as such: " + queues);
    Map<String, Object> parked = (Map<String, Object>) before.get("parkedRecords");
    assertInstanceOf(Number.class, parked.get("total"));
    Map<String, Object> projections = (Map<String, Object>) before.get("projections");
    List<Map<String, Object>> streams = (List<Map<String, Object>>) projections.get("streams");
    assertEquals("projector", streams.get(0).get("function"));
    assertEquals("events", streams.get(0).get("table"));
    long watermarks = watermarkStreams(before);
    // The events stream's second reader: the event bus's publisher.
    assertEquals("publisher", streams.get(1).get("function"));
    assertEquals("events", streams.get(1).get("table"));

    // The event bus: the topic as the banner names it, the guest-messages subscription with its
    // queue's depth and its dead letters', and the publisher's progress.
    Map<String, Object> bus = (Map<String, Object>) before.get("eventBus");
    List<Map<String, Object>> topics = (List<Map<String, Object>>) bus.get("topics");
    assertEquals(1, topics.size(), bus.toString());
    assertEquals(runtime.topicArn("event-bus"), topics.get(0).get("arn"));
    assertEquals(true, topics.get(0).get("fifo"));
    List<Map<String, Object>> subscriptions =
        (List<Map<String, Object>>) topics.get(0).get("subscriptions");
    assertEquals(1, subscriptions.size(), subscriptions.toString());
    Map<String, Object> guestMessages = subscriptions.get(0);
    assertEquals("guest-messages-queue", guestMessages.get("queue"));
    assertEquals(
        runtime.subscriptionArn("guest-messages-queue"), guestMessages.get("subscriptionArn"));
    assertEquals(true, guestMessages.get("rawMessageDelivery"));
    assertTrue(guestMessages.get("filterPolicy").toString().contains("reservation.placed.v1"));
    assertInstanceOf(Number.class, guestMessages.get("visible"), guestMessages.toString());
    assertInstanceOf(Number.class, guestMessages.get("inFlight"), guestMessages.toString());
    assertEquals(
        "guest-messages-dlq",
        ((Map<String, Object>) guestMessages.get("deadLetters")).get("queue"));
    long published = published(before);

    Api.Answer hotel = commands.registerHotel("Status Inn", unique("Status"), DBL_ONLY);
    String commandId = Commands.accepted(hotel);
    assertEquals("SUCCEEDED", commands.settled(commandId).get("status"));

    // The projector's line comes after its commit: wait for the status to show it.
    Map<String, Object> after =
        awaitStatus(
            api,
            s ->
                command(s, commandId) != null
                    && "SUCCEEDED".equals(command(s, commandId).get("status"))
                    && watermarkStreams(s) > watermarks
                    && hotelsApplied(s) > hotelsApplied(before)
                    && published(s) > published
                    // The poller stores its checkpoint once the projector's invocation returned.
                    && projectorCheckpointed(s));
    Map<String, Object> publisher =
        (Map<String, Object>) ((Map<String, Object>) after.get("eventBus")).get("publisher");
    assertInstanceOf(Number.class, publisher.get("lastLagMs"), publisher.toString());
    assertInstanceOf(String.class, publisher.get("lastStream"), publisher.toString());
    Map<String, Object> mine = command(after, commandId);
    assertEquals("RegisterHotel", mine.get("type"));
    assertInstanceOf(String.class, mine.get("acceptedAt"));
    assertInstanceOf(String.class, mine.get("completedAt"));
    List<Object> recent = (List<Object>) after.get("recentCommands");
    assertTrue(recent.size() <= 20, "bounded: " + recent.size());
    Map<String, Object> hotels =
        (Map<String, Object>)
            ((Map<String, Object>)
                    ((Map<String, Object>) after.get("projections")).get("byProjection"))
                .get("hotels");
    assertInstanceOf(Number.class, hotels.get("lastLagMs"));
    assertInstanceOf(String.class, hotels.get("lastAppliedAt"));
    List<Map<String, Object>> shards =
        (List<Map<String, Object>>)
            ((List<Map<String, Object>>)
                    ((Map<String, Object>) after.get("projections")).get("streams"))
                .get(0)
                .get("shards");
    assertTrue(
        shards.stream().anyMatch(s -> s.get("checkpoint") instanceof String),
        "a shard has a checkpoint after the projector ran: " + shards);
  }

  @SuppressWarnings("unchecked")
  private static boolean projectorCheckpointed(Map<String, Object> status) {
    List<Map<String, Object>> streams =
        (List<Map<String, Object>>)
            ((Map<String, Object>) status.get("projections")).get("streams");
    return ((List<Map<String, Object>>) streams.get(0).get("shards"))
        .stream().anyMatch(s -> s.get("checkpoint") instanceof String);
  }

  /** Events the publisher has put on the bus since the runtime started. */
  @SuppressWarnings("unchecked")
  private static long published(Map<String, Object> status) {
    Map<String, Object> bus = (Map<String, Object>) status.get("eventBus");
    return ((Number) ((Map<String, Object>) bus.get("publisher")).get("eventsPublished"))
        .longValue();
  }

  private static Map<String, Object> status(Api api) {
    Api.Answer a = api.get("/_local/status", null);
    assertEquals(200, a.status(), a.body());
    return a.json();
  }

  private static Map<String, Object> awaitStatus(
      Api api, java.util.function.Predicate<Map<String, Object>> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, Object> last;
    do {
      last = status(api);
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("status did not move: " + last);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> command(Map<String, Object> status, String commandId) {
    for (Object c : (List<Object>) status.get("recentCommands")) {
      if (commandId.equals(((Map<String, Object>) c).get("commandId"))) {
        return (Map<String, Object>) c;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static long watermarkStreams(Map<String, Object> status) {
    Map<String, Object> w =
        (Map<String, Object>) ((Map<String, Object>) status.get("projections")).get("watermarks");
    return ((Number) w.get("streams")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static long hotelsApplied(Map<String, Object> status) {
    Map<String, Object> by =
        (Map<String, Object>) ((Map<String, Object>) status.get("projections")).get("byProjection");
    Object hotels = by.get("hotels");
    return hotels == null
        ? 0
        : ((Number) ((Map<String, Object>) hotels).get("eventsApplied")).longValue();
  }
}
