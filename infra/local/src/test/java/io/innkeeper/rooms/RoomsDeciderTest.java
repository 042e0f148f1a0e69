package io.innkeeper.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.command.Decider;
import io.innkeeper.core.command.Decision;
import io.innkeeper.core.command.Loaded;
import io.innkeeper.core.eventstore.RowUpdate;
import io.innkeeper.core.eventstore.StateRow;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.rooms.RoomsCommand.BookSlot;
import io.innkeeper.rooms.RoomsCommand.CancelBooking;
import io.innkeeper.rooms.RoomsCommand.RegisterRoom;
import io.innkeeper.rooms.RoomsEvent.BookingCancelled;
import io.innkeeper.rooms.RoomsEvent.RoomRegistered;
import io.innkeeper.rooms.RoomsEvent.SlotBooked;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The meeting rooms' deciders, pure: given a state and what was read, when a command, then. */
class RoomsDeciderTest {
  private static final Instant NOW = Instant.parse("2030-01-01T08:00:00Z");
  private static final LocalDate DAY = LocalDate.parse("2030-01-07");
  private static final LocalTime NINE = LocalTime.of(9, 0);
  private static final LocalTime TEN = LocalTime.of(10, 0);

  private final RoomAggregate rooms = new RoomAggregate();
  private final BookingAggregate bookings = new BookingAggregate();

  /** The room's head and its day row, as the pipeline loads them for a booking. */
  private Loaded loaded(Map<String, Object> slots) {
    return new Loaded(
        Map.of(
            RoomAggregate.streamId("r1"),
            rooms.writeSnapshot(new RoomAggregate.State(true, "Attic", 6))),
        Map.of(Slots.rowKey("r1", DAY), new StateRow(Slots.rowKey("r1", DAY), slots)));
  }

  private Decision<RoomsEvent.OfBooking> book(Loaded loaded, LocalTime from, LocalTime to) {
    return bookings.decide(
        new BookSlot("b1", "r1", "gus", DAY, from, to),
        bookings.initialState(),
        new Decider.Context(NOW, loaded));
  }

  @Test
  void given_no_room_when_registering_then_it_is_registered_at_the_command_time() {
    assertEquals(
        Decision.accept(List.of(new RoomRegistered("r1", "Attic", 6, NOW))),
        rooms.decide(
            new RegisterRoom("r1", "Attic", 6),
            rooms.initialState(),
            new Decider.Context(NOW, Loaded.NOTHING)));
  }

  @Test
  void given_free_half_hours_when_booking_then_it_is_booked_and_takes_each_half_hour_guarded() {
    var decision = book(loaded(Map.of()), NINE, TEN);

    SlotBooked booked = new SlotBooked("b1", "r1", "gus", DAY, NINE, TEN, NOW);
    assertEquals(Decision.accept(List.of(booked)), decision);
    List<RowUpdate> rows =
        bookings.rowUpdates(
            new BookSlot("b1", "r1", "gus", DAY, NINE, TEN),
            bookings.initialState(),
            List.of(booked),
            Loaded.NOTHING);
    assertEquals(1, rows.size());
    assertEquals(Map.of("h0900", 1L, "h0930", 1L), rows.get(0).add());
    assertEquals(
        List.of(
            new RowUpdate.Guard.AbsentOrAtMost("h0900", 0),
            new RowUpdate.Guard.AbsentOrAtMost("h0930", 0)),
        rows.get(0).guards().stream()
            .sorted(java.util.Comparator.comparing(Object::toString))
            .toList());
  }

  @Test
  void given_one_half_hour_taken_when_booking_over_it_then_it_is_rejected_as_taken() {
    assertEquals(
        Decision.reject(BookingAggregate.SLOT_TAKEN), book(loaded(Map.of("h0930", 1L)), NINE, TEN));
    // Given back (0) is free again, and a touching booking does not overlap.
    assertTrue(book(loaded(Map.of("h0930", 0L)), NINE, TEN) instanceof Decision.Accepted);
    assertTrue(book(loaded(Map.of("h1000", 1L)), NINE, TEN) instanceof Decision.Accepted);
  }

  @Test
  void given_an_unknown_room_when_booking_then_it_is_rejected() {
    assertEquals(
        Decision.reject(BookingAggregate.UNKNOWN_ROOM),
        bookings.decide(
            new BookSlot("b1", "r9", "gus", DAY, NINE, TEN),
            bookings.initialState(),
            new Decider.Context(NOW, Loaded.NOTHING)));
  }

  @Test
  void given_a_booking_when_someone_else_cancels_then_not_owner_and_when_its_booker_does_then_once()
      throws Exception {
    var state =
        bookings.evolve(
            bookings.initialState(), new SlotBooked("b1", "r1", "gus", DAY, NINE, TEN, NOW));
    state = bookings.readSnapshot(bookings.writeSnapshot(state));
    var context = new Decider.Context(NOW, Loaded.NOTHING);

    assertEquals(
        Decision.reject(BookingAggregate.NOT_OWNER),
        bookings.decide(new CancelBooking("b1", "olga", false), state, context));
    var cancelled = bookings.decide(new CancelBooking("b1", "gus", false), state, context);
    assertEquals(
        Decision.accept(List.of(new BookingCancelled("b1", "r1", DAY, NINE, TEN, "gus", NOW))),
        cancelled);
    var after =
        bookings.evolve(
            state, ((Decision.Accepted<RoomsEvent.OfBooking>) cancelled).events().get(0));
    assertEquals(
        Decision.reject(BookingAggregate.ALREADY_CANCELLED),
        bookings.decide(new CancelBooking("b1", "ada", true), after, context));
  }

  @Test
  void every_command_and_event_record_has_a_stable_name() {
    assertEquals(
        new HashSet<>(TypeRegistry.concreteTypes(RoomsCommand.class)),
        new HashSet<>(RoomsCommand.TYPES.registeredClasses()));
    assertEquals(
        new HashSet<>(TypeRegistry.concreteTypes(RoomsEvent.class)),
        new HashSet<>(RoomsEvent.TYPES.registeredClasses()));
  }
}
