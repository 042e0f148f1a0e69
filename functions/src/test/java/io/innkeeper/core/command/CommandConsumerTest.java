package io.innkeeper.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.eventstore.DelegatingEventStore;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.InMemoryEventStore;
import io.innkeeper.events.CommandTypes;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
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
  private final InMemoryEventStore store = new InMemoryEventStore();

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
            CommandTypes.REGISTRY.toMap(command));
    var m = new SQSEvent.SQSMessage();
    m.setMessageId("m-" + commandId);
    m.setBody(envelope.toJson());
    m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
    return m;
  }

  private SQSBatchResponse consume(EventStore via, SQSEvent.SQSMessage... messages) {
    var event = new SQSEvent();
    event.setRecords(List.of(messages));
    var processor = new CommandProcessor(via, statuses, HotelDomain.aggregates(), CLOCK);
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
}
