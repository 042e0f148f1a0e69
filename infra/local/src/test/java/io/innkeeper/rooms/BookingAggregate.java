package io.innkeeper.rooms;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.command.Decider;
import io.innkeeper.core.command.Decision;
import io.innkeeper.core.command.Loaded;
import io.innkeeper.core.command.Reads;
import io.innkeeper.core.eventstore.RowUpdate;
import io.innkeeper.events.Fields;
import io.innkeeper.events.Json;
import io.innkeeper.rooms.RoomsCommand.BookSlot;
import io.innkeeper.rooms.RoomsCommand.CancelBooking;
import io.innkeeper.rooms.RoomsEvent.BookingCancelled;
import io.innkeeper.rooms.RoomsEvent.SlotBooked;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

/**
 * A booking of a room's half hours: taken all or none, cancelled at most once by whoever booked it
 * or an admin. Stream {@code booking#<bookingId>}; the half hours are taken and given back in the
 * room's day row ({@link Slots}) in the same transaction, so no two bookings of a room overlap.
 */
final class BookingAggregate
    implements Aggregate<RoomsCommand.OfBooking, BookingAggregate.State, RoomsEvent.OfBooking>,
        Decider<RoomsCommand.OfBooking, BookingAggregate.State, RoomsEvent.OfBooking> {

  static final String UNKNOWN_ROOM = "UNKNOWN_ROOM";
  static final String SLOT_TAKEN = "SLOT_TAKEN";
  static final String ALREADY_BOOKED = "ALREADY_BOOKED";
  static final String UNKNOWN_BOOKING = "UNKNOWN_BOOKING";
  static final String NOT_OWNER = "NOT_OWNER";
  static final String ALREADY_CANCELLED = "ALREADY_CANCELLED";

  /** What deciding about a booking needs. */
  record State(
      boolean exists,
      String roomId,
      String bookedBy,
      LocalDate date,
      LocalTime from,
      LocalTime to,
      boolean cancelled) {
    static final State NONE = new State(false, null, null, null, null, null, false);
  }

  static String streamId(String bookingId) {
    return "booking#" + bookingId;
  }

  @Override
  public State initialState() {
    return State.NONE;
  }

  @Override
  public Decision<RoomsEvent.OfBooking> decide(
      RoomsCommand.OfBooking command, State state, Context context) {
    return switch (command) {
      case BookSlot c -> book(c, state, context);
      case CancelBooking c -> cancel(c, state, context);
    };
  }

  private static Decision<RoomsEvent.OfBooking> book(BookSlot c, State state, Context context) {
    if (state.exists()) {
      return Decision.reject(ALREADY_BOOKED);
    }
    if (context.loaded().snapshot(RoomAggregate.streamId(c.roomId())).isEmpty()) {
      return Decision.reject(UNKNOWN_ROOM);
    }
    if (Slots.taken(context.loaded(), c.roomId(), c.date(), c.from(), c.to())) {
      return Decision.reject(SLOT_TAKEN);
    }
    return Decision.accept(
        List.of(
            new SlotBooked(
                c.bookingId(),
                c.roomId(),
                c.bookedBy(),
                c.date(),
                c.from(),
                c.to(),
                context.now())));
  }

  private static Decision<RoomsEvent.OfBooking> cancel(
      CancelBooking c, State state, Context context) {
    if (!state.exists()) {
      return Decision.reject(UNKNOWN_BOOKING);
    }
    if (!c.requestedByAdmin() && !c.requestedBy().equals(state.bookedBy())) {
      return Decision.reject(NOT_OWNER);
    }
    if (state.cancelled()) {
      return Decision.reject(ALREADY_CANCELLED);
    }
    return Decision.accept(
        List.of(
            new BookingCancelled(
                c.bookingId(),
                state.roomId(),
                state.date(),
                state.from(),
                state.to(),
                c.requestedBy(),
                context.now())));
  }

  @Override
  public State evolve(State state, RoomsEvent.OfBooking event) {
    return switch (event) {
      case SlotBooked e ->
          new State(true, e.roomId(), e.bookedBy(), e.date(), e.from(), e.to(), false);
      case BookingCancelled e ->
          new State(
              true, state.roomId(), state.bookedBy(), state.date(), state.from(), state.to(), true);
    };
  }

  // The wiring.

  @Override
  public Decider<RoomsCommand.OfBooking, State, RoomsEvent.OfBooking> decider() {
    return this;
  }

  @Override
  public Class<RoomsCommand.OfBooking> commandType() {
    return RoomsCommand.OfBooking.class;
  }

  @Override
  public String streamId(RoomsCommand.OfBooking command) {
    return streamId(command.bookingId());
  }

  @Override
  public Reads reads(RoomsCommand.OfBooking command, State state) {
    return switch (command) {
      case BookSlot c ->
          new Reads(
              Set.of(RoomAggregate.streamId(c.roomId())),
              Set.of(Slots.rowKey(c.roomId(), c.date())));
      case CancelBooking c -> Reads.NONE;
    };
  }

  @Override
  public List<RowUpdate> rowUpdates(
      RoomsCommand.OfBooking command,
      State before,
      List<RoomsEvent.OfBooking> events,
      Loaded loaded) {
    return events.stream()
        .map(
            event ->
                switch (event) {
                  case SlotBooked e -> Slots.take(e.roomId(), e.date(), e.from(), e.to());
                  case BookingCancelled e -> Slots.release(e.roomId(), e.date(), e.from(), e.to());
                })
        .toList();
  }

  @Override
  public String writeSnapshot(State s) {
    return Json.write(
        Json.obj(
            "roomId", s.roomId(),
            "bookedBy", s.bookedBy(),
            "date", s.date().toString(),
            "from", s.from().toString(),
            "to", s.to().toString(),
            "cancelled", s.cancelled()));
  }

  @Override
  public State readSnapshot(String snapshot) {
    Fields f = new Fields(Json.parseObject(snapshot), "booking snapshot");
    return new State(
        true,
        f.string("roomId"),
        f.string("bookedBy"),
        f.date("date"),
        LocalTime.parse(f.string("from")),
        LocalTime.parse(f.string("to")),
        f.bool("cancelled"));
  }
}
