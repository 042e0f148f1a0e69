package io.innkeeper.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.eventstore.DelegatingEventStore;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.InMemoryEventStore;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelDomainCommand;
import io.innkeeper.events.hotel.RoomType;
import io.innkeeper.hotel.HotelDomain;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandConsumerTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

  private final InMemoryCommandStatusStore statuses = new InMemoryCommandStatusStore();
  private final InMemoryEventStore store = new InMemoryEventStore(statuses);

  private SQSEvent.SQSMessage message(String commandId, String hotelId, int receiveCount) {
    statuses.accept(CommandStatus.pending(commandId, "RegisterHotel", "ada", T));
    var command = new RegisterHotel(hotelId, "H", "C", List.of(new RoomType("DBL", "D", 2)));
    var envelope =
        new CommandEnvelope(
            commandId,
            "RegisterHotel",
            1,
            "ada",
            true,
            T,
            "r",
            HotelDomainCommand.TYPES.toMap(command));
    var m = new SQSEvent.SQSMessage();
    m.setMessageId("m-" + commandId);
    m.setReceiptHandle("rh-" + commandId);
    m.setBody(envelope.toJson());
    m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
    return m;
  }

  private SQSEvent.SQSMessage message(
      String commandId, String hotelId, int receiveCount, String group) {
    var m = message(commandId, hotelId, receiveCount);
    m.setAttributes(
        Map.of("ApproximateReceiveCount", Integer.toString(receiveCount), "MessageGroupId", group));
    return m;
  }

  /** An event store whose appends to one stream fail, and to every other one succeed. */
  private EventStore brokenFor(String streamId) {
    return new DelegatingEventStore(store) {
      @Override
      public AppendOutcome append(Append a) {
        if (a.streamId().equals(streamId)) {
          throw new IllegalStateException("DynamoDB unreachable");
        }
        return super.append(a);
      }
    };
  }

  private SQSBatchResponse consume(EventStore via, SQSEvent.SQSMessage... messages) {
    var event = new SQSEvent();
    event.setRecords(List.of(messages));
    var processor = new CommandProcessor(via, statuses, new HotelDomain(), CLOCK);
    return new CommandConsumer(processor, statuses, 5, CLOCK).handle(event);
  }

  private static List<String> failed(SQSBatchResponse r) {
    return r.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }

  /** An event store whose writes always fail, as DynamoDB does when it is unreachable. */
  private EventStore broken() {
    return new DelegatingEventStore(store) {
      @Override
      public AppendOutcome append(Append a) {
        throw new IllegalStateException("DynamoDB unreachable");
      }
    };
  }

  @Test
  void a_good_batch_is_processed_in_order_and_nothing_is_reported() {
    var r = consume(store, message("c1", "h1", 1), message("c2", "h2", 1));

    assertEquals(List.of(), failed(r));
    assertEquals(CommandStatus.State.SUCCEEDED, statuses.find("c2").orElseThrow().status());
  }

  @Test
  void a_failure_reports_that_message_and_every_later_one_and_leaves_it_pending_for_a_retry() {
    var r = consume(broken(), message("c1", "h1", 1), message("c2", "h2", 1));

    assertEquals(List.of("m-c1", "m-c2"), failed(r), "FIFO order: nothing after a failure runs");
    assertEquals(CommandStatus.State.PENDING, statuses.find("c1").orElseThrow().status());
    assertEquals(CommandStatus.State.PENDING, statuses.find("c2").orElseThrow().status());
  }

  @Test
  void a_failure_holds_back_the_rest_of_its_group_while_other_groups_go_on() {
    var r =
        consumeWithRedelivery(
            brokenFor("hotel#h1"),
            message("c1", "h1", 1, "g1"),
            message("c2", "h2", 1, "g2"),
            message("c3", "h3", 1, "g1"),
            message("c4", "h4", 1, "g2"));

    assertEquals(List.of("m-c1", "m-c3"), failed(r), "only g1, from its failure on");
    assertEquals(CommandStatus.State.SUCCEEDED, statuses.find("c2").orElseThrow().status());
    assertEquals(CommandStatus.State.SUCCEEDED, statuses.find("c4").orElseThrow().status());
    assertEquals(CommandStatus.State.PENDING, statuses.find("c1").orElseThrow().status());
    assertEquals(CommandStatus.State.PENDING, statuses.find("c3").orElseThrow().status());
    assertEquals(List.of("rh-c1=2", "rh-c3=0"), visibility);
  }

  @Test
  void a_command_held_back_on_its_last_delivery_is_failed_too_as_the_next_one_dead_letters_it() {
    var r =
        consume(brokenFor("hotel#h1"), message("c1", "h1", 5, "g1"), message("c3", "h3", 5, "g1"));

    assertEquals(List.of("m-c1", "m-c3"), failed(r));
    assertEquals(CommandStatus.State.FAILED, statuses.find("c1").orElseThrow().status());
    var held = statuses.find("c3").orElseThrow();
    assertEquals(CommandStatus.State.FAILED, held.status(), "it will sit in the DLQ");
    assertEquals("PROCESSING_FAILED", held.reason());
  }

  @Test
  void on_the_last_delivery_before_the_dead_letter_queue_the_command_is_marked_failed() {
    var r = consume(broken(), message("c1", "h1", 5));

    assertEquals(List.of("m-c1"), failed(r));
    var status = statuses.find("c1").orElseThrow();
    assertEquals(CommandStatus.State.FAILED, status.status());
    assertEquals("PROCESSING_FAILED", status.reason());
  }

  @Test
  void a_redriven_failed_command_that_now_works_succeeds() {
    consume(broken(), message("c1", "h1", 5));
    var redriven = message("c1b", "h1", 1);
    // The same command again (an operator's redrive keeps its id).
    redriven.setBody(redriven.getBody().replace("c1b", "c1"));

    assertEquals(List.of(), failed(consume(store, redriven)));
    assertEquals(CommandStatus.State.SUCCEEDED, statuses.find("c1").orElseThrow().status());
  }

  /** Visibility changes the consumer asked for, as "receipt handle=seconds". */
  private final List<String> visibility = new java.util.ArrayList<>();

  private SQSBatchResponse consumeWithRedelivery(EventStore via, SQSEvent.SQSMessage... messages) {
    var event = new SQSEvent();
    event.setRecords(List.of(messages));
    var processor = new CommandProcessor(via, statuses, new HotelDomain(), CLOCK);
    var redelivery = Redelivery.after("2,4,8,16", (rh, s) -> visibility.add(rh + "=" + s));
    return new CommandConsumer(processor, statuses, 5, CLOCK, redelivery).handle(event);
  }

  @Test
  void a_failed_command_comes_back_after_a_delay_growing_with_its_deliveries_the_rest_at_once() {
    consumeWithRedelivery(broken(), message("c1", "h1", 1), message("c2", "h2", 1));
    assertEquals(List.of("rh-c1=2", "rh-c2=0"), visibility);

    visibility.clear();
    consumeWithRedelivery(broken(), message("c3", "h3", 3));
    assertEquals(List.of("rh-c3=8"), visibility);

    visibility.clear();
    var r = consumeWithRedelivery(broken(), message("c4", "h4", 5));
    assertEquals(List.of("rh-c4=16"), visibility, "the last delivery comes back soon, to the DLQ");
    assertEquals(List.of("m-c4"), failed(r));
    assertEquals(CommandStatus.State.FAILED, statuses.find("c4").orElseThrow().status());
  }

  @Test
  void processed_messages_are_left_alone_and_a_visibility_change_that_fails_changes_no_outcome() {
    consumeWithRedelivery(store, message("c1", "h1", 1), message("c2", "h2", 2));
    assertEquals(List.of(), visibility, "nothing failed, nothing rescheduled");

    var event = new SQSEvent();
    event.setRecords(List.of(message("c3", "h3", 1)));
    var processor = new CommandProcessor(broken(), statuses, new HotelDomain(), CLOCK);
    var unreachable =
        Redelivery.after(
            "2",
            (rh, s) -> {
              throw new IllegalStateException("SQS unreachable");
            });
    var r = new CommandConsumer(processor, statuses, 5, CLOCK, unreachable).handle(event);
    assertEquals(List.of("m-c3"), failed(r), "reported as before; the visibility timeout applies");
  }

  @Test
  void retry_delays_are_seconds_within_what_sqs_allows() {
    Redelivery r = Redelivery.after(" 2, 4 ,8", (rh, s) -> {});
    assertEquals(2, r.delayAfter(1));
    assertEquals(8, r.delayAfter(3));
    assertEquals(8, r.delayAfter(9), "beyond the list, its last delay");
    assertThrows(IllegalArgumentException.class, () -> Redelivery.after("2,x", (rh, s) -> {}));
    assertThrows(IllegalArgumentException.class, () -> Redelivery.after("-1", (rh, s) -> {}));
    assertThrows(IllegalArgumentException.class, () -> Redelivery.after("43201", (rh, s) -> {}));
  }

  @Test
  void when_the_invocation_runs_short_of_time_the_rest_of_the_batch_goes_back_at_once() {
    var event = new SQSEvent();
    event.setRecords(
        List.of(message("c1", "h1", 1), message("c2", "h2", 1), message("c3", "h3", 2)));
    var processor = new CommandProcessor(store, statuses, new HotelDomain(), CLOCK);
    List<List<String>> batches = new java.util.ArrayList<>();
    var redelivery =
        Redelivery.after(
            "2,4,8,16",
            new Redelivery.Visibility() {
              @Override
              public void change(String receiptHandle, int seconds) {
                visibility.add(receiptHandle + "=" + seconds);
              }

              @Override
              public void changeAll(List<String> receiptHandles, int seconds) {
                batches.add(receiptHandles.stream().map(rh -> rh + "=" + seconds).toList());
              }
            });
    // 30 s left before the first message, then as if the first one took 25 s (stalled calls).
    java.util.Deque<java.time.Duration> left =
        new java.util.ArrayDeque<>(
            List.of(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(5)));
    io.innkeeper.core.aws.Deadline deadline = () -> left.size() > 1 ? left.pop() : left.peek();

    var r =
        new CommandConsumer(
                processor, statuses, 5, CLOCK, redelivery, java.time.Duration.ofSeconds(10))
            .handle(event, deadline);

    assertEquals(List.of("m-c2", "m-c3"), failed(r), "the first was processed, the rest not");
    assertEquals(CommandStatus.State.SUCCEEDED, statuses.find("c1").orElseThrow().status());
    assertEquals(CommandStatus.State.PENDING, statuses.find("c2").orElseThrow().status());
    assertEquals(CommandStatus.State.PENDING, statuses.find("c3").orElseThrow().status());
    assertEquals(
        List.of(List.of("rh-c2=0", "rh-c3=0")),
        batches,
        "handed back in one call, visible again at once instead of after the visibility timeout");
    assertEquals(List.of(), visibility);
  }

  @Test
  void a_message_handed_back_on_its_last_delivery_is_marked_failed_as_the_dlq_will_take_it() {
    var event = new SQSEvent();
    event.setRecords(List.of(message("c1", "h1", 5)));
    var processor = new CommandProcessor(store, statuses, new HotelDomain(), CLOCK);

    var r =
        new CommandConsumer(
                processor,
                statuses,
                5,
                CLOCK,
                Redelivery.queueDefault(),
                java.time.Duration.ofSeconds(10))
            .handle(event, () -> java.time.Duration.ofSeconds(3));

    assertEquals(List.of("m-c1"), failed(r));
    assertEquals(CommandStatus.State.FAILED, statuses.find("c1").orElseThrow().status());
  }
}
