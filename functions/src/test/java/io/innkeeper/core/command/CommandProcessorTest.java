package io.innkeeper.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.ConsistencyToken;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommandProcessorTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

  private final InMemoryCommandStatusStore statuses = new InMemoryCommandStatusStore();
  private final InMemoryEventStore store = new InMemoryEventStore(statuses);

  private CommandEnvelope register(String commandId, String hotelId) {
    var command =
        new RegisterHotel(hotelId, "Seeblick", "Zurich", List.of(new RoomType("DBL", "D", 2)));
    statuses.accept(CommandStatus.pending(commandId, "RegisterHotel", "ada", T));
    return new CommandEnvelope(
        commandId,
        "RegisterHotel",
        1,
        "ada",
        true,
        T,
        "r",
        HotelDomainCommand.TYPES.toMap(command));
  }

  private CommandProcessor processor(EventStore s) {
    return new CommandProcessor(s, statuses, new HotelDomain(), CLOCK);
  }

  @Test
  void an_accepted_command_appends_its_events_and_succeeds_with_a_token_for_its_stream() {
    assertEquals(CommandStatus.State.SUCCEEDED, processor(store).process(register("c1", "h1")));

    assertEquals(1, store.events("hotel#h1").size());
    assertEquals("HotelRegistered", store.events("hotel#h1").get(0).type());
    var status = statuses.find("c1").orElseThrow();
    assertEquals(CommandStatus.State.SUCCEEDED, status.status());
    assertEquals(
        Optional.of(new ConsistencyToken("hotel#h1", 1, "c1")),
        ConsistencyToken.parse(status.consistencyToken()));
  }

  @Test
  void the_same_delivery_twice_takes_effect_once() {
    var envelope = register("c1", "h1");
    processor(store).process(envelope);
    processor(store).process(envelope);

    assertEquals(1, store.events("hotel#h1").size());
  }

  @Test
  void
      the_status_is_settled_by_the_append_itself_so_a_crash_right_after_leaves_nothing_to_finish() {
    var envelope = register("c1", "h1");
    var crashing = new CrashAfterAppend(store);
    assertThrows(IllegalStateException.class, () -> processor(crashing).process(envelope));
    var status = statuses.find("c1").orElseThrow();
    assertEquals(CommandStatus.State.SUCCEEDED, status.status());
    assertEquals(
        Optional.of(new ConsistencyToken("hotel#h1", 1, "c1")),
        ConsistencyToken.parse(status.consistencyToken()));

    assertEquals(CommandStatus.State.SUCCEEDED, processor(store).process(envelope));
    assertEquals(1, store.events("hotel#h1").size());
  }

  @Test
  void a_delivery_racing_another_that_settled_the_command_is_a_duplicate_and_acknowledged() {
    var envelope = register("c1", "h1");
    // The other delivery appends between this one's status read and its append.
    EventStore racing =
        new DelegatingEventStore(store) {
          boolean raced;

          @Override
          public AppendOutcome append(Append a) {
            if (!raced) {
              raced = true;
              processor(store).process(envelope);
            }
            return super.append(a);
          }
        };

    assertEquals(CommandStatus.State.SUCCEEDED, processor(racing).process(envelope));
    assertEquals(1, store.events("hotel#h1").size());
  }

  @Test
  void a_late_duplicate_whose_status_expired_is_found_on_its_stream_and_changes_nothing() {
    var envelope = register("c1", "h1");
    processor(store).process(envelope);
    statuses.expire("c1");

    assertEquals(CommandStatus.State.SUCCEEDED, processor(store).process(envelope));
    assertEquals(1, store.events("hotel#h1").size());
    assertTrue(statuses.find("c1").isEmpty(), "nothing written for a duplicate");
  }

  @Test
  void a_command_whose_status_expired_before_it_ran_takes_effect_once_and_is_recorded_again() {
    var envelope = register("c1", "h1");
    statuses.expire("c1"); // e.g. redriven from the dead-letter queue after its retention

    assertEquals(CommandStatus.State.SUCCEEDED, processor(store).process(envelope));
    assertEquals(CommandStatus.State.SUCCEEDED, statuses.find("c1").orElseThrow().status());
    assertEquals(CommandStatus.State.SUCCEEDED, processor(store).process(envelope));
    assertEquals(1, store.events("hotel#h1").size());
  }

  @Test
  void a_rejection_racing_a_delivery_that_succeeded_reports_the_success() {
    var envelope = register("c1", "h1");
    processor(store).process(register("c0", "h1")); // h1 exists: c1 would be rejected now
    // ... but another delivery of c1 succeeded earlier (as if before c0), leaving c1 SUCCEEDED.
    statuses.complete("c1", CommandStatus.State.SUCCEEDED, null, "t", T);
    CommandStatusStore stale =
        new CommandStatusStore() {
          @Override
          public void accept(CommandStatus pending) {
            statuses.accept(pending);
          }

          @Override
          public Optional<IdempotencyRecord> accept(CommandStatus p, IdempotencyRecord r) {
            return statuses.accept(p, r);
          }

          int reads;

          @Override
          public Optional<CommandStatus> find(String id) {
            // The first read is from before the other delivery settled it.
            return reads++ == 0
                ? Optional.of(CommandStatus.pending(id, "RegisterHotel", "ada", T))
                : statuses.find(id);
          }

          @Override
          public boolean complete(
              String id, CommandStatus.State s, String reason, String token, Instant at) {
            return statuses.complete(id, s, reason, token, at);
          }
        };

    var state = new CommandProcessor(store, stale, new HotelDomain(), CLOCK).process(envelope);

    assertEquals(CommandStatus.State.SUCCEEDED, state);
    assertEquals(CommandStatus.State.SUCCEEDED, statuses.find("c1").orElseThrow().status());
  }

  @Test
  void a_rejection_is_final_and_records_its_reason() {
    processor(store).process(register("c1", "h1"));

    assertEquals(CommandStatus.State.REJECTED, processor(store).process(register("c2", "h1")));
    assertEquals("ALREADY_REGISTERED", statuses.find("c2").orElseThrow().reason());
    assertEquals(1, store.events("hotel#h1").size());
  }

  @Test
  void a_conflict_is_retried_inside_the_handler() {
    var conflicts = new AtomicInteger(2);
    EventStore flaky =
        new DelegatingEventStore(store) {
          @Override
          public AppendOutcome append(Append a) {
            return conflicts.getAndDecrement() > 0 ? new AppendOutcome.Conflict() : super.append(a);
          }
        };
    assertEquals(CommandStatus.State.SUCCEEDED, processor(flaky).process(register("c1", "h1")));
    assertTrue(conflicts.get() < 0);
    assertEquals(1, store.events("hotel#h1").size());
  }

  /** Appends, then fails as a process dying before it records the status would. */
  private static final class CrashAfterAppend extends DelegatingEventStore {
    CrashAfterAppend(EventStore inner) {
      super(inner);
    }

    @Override
    public AppendOutcome append(Append a) {
      super.append(a);
      throw new IllegalStateException("crash");
    }
  }
}
