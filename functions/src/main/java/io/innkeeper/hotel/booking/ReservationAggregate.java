package io.innkeeper.hotel.booking;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.command.Decider;
import io.innkeeper.core.command.Decision;
import io.innkeeper.core.command.Loaded;
import io.innkeeper.core.command.Reads;
import io.innkeeper.core.eventstore.RowUpdate;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.ReservationCommand;
import io.innkeeper.events.hotel.ReservationCommand.BookRoom;
import io.innkeeper.events.hotel.ReservationCommand.CancelReservation;
import io.innkeeper.events.hotel.ReservationEvent;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.events.hotel.RoomType;
import io.innkeeper.hotel.hotels.HotelAggregate;
import io.innkeeper.hotel.hotels.HotelState;
import io.innkeeper.hotel.inventory.Inventory;
import io.innkeeper.hotel.inventory.Inventory.Night;
import io.innkeeper.hotel.inventory.Stay;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A reservation: booked all-or-nothing on every night of its stay, cancelled at most once by its
 * guest or an admin. Stream {@code reservation#<reservationId>}; booking and cancelling also take
 * and give back the nights in the inventory rows, in the same transaction. The decider and its
 * wiring in one class: the wiring is the part after {@link #evolve}.
 */
public final class ReservationAggregate
    implements Aggregate<ReservationCommand, ReservationState, ReservationEvent>,
        Decider<ReservationCommand, ReservationState, ReservationEvent> {

  public static final String UNKNOWN_HOTEL = HotelAggregate.UNKNOWN_HOTEL;
  public static final String UNKNOWN_ROOM_TYPE = HotelAggregate.UNKNOWN_ROOM_TYPE;
  public static final String TOO_MANY_GUESTS = "TOO_MANY_GUESTS";
  public static final String NOT_ON_SALE = "NOT_ON_SALE";
  public static final String SOLD_OUT = "SOLD_OUT";
  public static final String UNKNOWN_RESERVATION = "UNKNOWN_RESERVATION";
  public static final String ALREADY_CANCELLED = "ALREADY_CANCELLED";
  public static final String NOT_OWNER = "NOT_OWNER";

  /** Only reachable by a reused reservation id under a new command id; intake never does that. */
  public static final String ALREADY_BOOKED = "ALREADY_BOOKED";

  public static String streamId(String reservationId) {
    return "reservation#" + reservationId;
  }

  @Override
  public Class<ReservationCommand> commandType() {
    return ReservationCommand.class;
  }

  @Override
  public String streamId(ReservationCommand command) {
    return streamId(command.reservationId());
  }

  @Override
  public ReservationState initialState() {
    return ReservationState.NONE;
  }

  @Override
  public Decision<ReservationEvent> decide(
      ReservationCommand command, ReservationState state, Context context) {
    return switch (command) {
      case BookRoom c -> book(c, state, context.loaded(), context.now());
      case CancelReservation c -> cancel(c, state, context.now());
    };
  }

  private static Decision<ReservationEvent> book(
      BookRoom c, ReservationState state, Loaded loaded, Instant now) {
    if (state.exists()) {
      return Decision.reject(ALREADY_BOOKED);
    }
    Optional<HotelState> hotel =
        loaded.snapshot(HotelAggregate.streamId(c.hotelId())).map(HotelState::fromSnapshot);
    if (hotel.isEmpty() || !hotel.get().registered()) {
      return Decision.reject(UNKNOWN_HOTEL);
    }
    Optional<RoomType> roomType = hotel.get().roomType(c.roomType());
    if (roomType.isEmpty()) {
      return Decision.reject(UNKNOWN_ROOM_TYPE);
    }
    if (c.guests() > roomType.get().maxGuests()) {
      return Decision.reject(TOO_MANY_GUESTS);
    }
    List<Night> nights =
        Inventory.nights(loaded, c.hotelId(), c.roomType(), c.checkIn(), c.checkOut());
    if (!nights.stream().allMatch(Night::onSale)) {
      return Decision.reject(NOT_ON_SALE);
    }
    if (!nights.stream().allMatch(Night::hasFreeRoom)) {
      return Decision.reject(SOLD_OUT);
    }
    Money total = nights.get(0).rate();
    for (Night n : nights.subList(1, nights.size())) {
      if (!n.rate().currency().equals(total.currency())) {
        // One price needs one currency; allotments of one stay in two currencies cannot be sold.
        return Decision.reject(NOT_ON_SALE);
      }
      total = total.plus(n.rate());
    }
    return Decision.accept(
        List.of(
            new ReservationPlaced(
                c.reservationId(),
                c.guestId(),
                c.hotelId(),
                c.roomType(),
                c.checkIn(),
                c.checkOut(),
                c.guests(),
                total,
                now)));
  }

  private static Decision<ReservationEvent> cancel(
      CancelReservation c, ReservationState state, Instant now) {
    if (!state.exists()) {
      return Decision.reject(UNKNOWN_RESERVATION);
    }
    // Ownership before status: someone else learns nothing about the reservation's state.
    if (!c.requestedByAdmin() && !c.requestedBy().equals(state.guestId())) {
      return Decision.reject(NOT_OWNER);
    }
    if (state.cancelled()) {
      return Decision.reject(ALREADY_CANCELLED);
    }
    return Decision.accept(
        List.of(
            new ReservationCancelled(
                c.reservationId(),
                state.hotelId(),
                state.roomType(),
                state.checkIn(),
                state.checkOut(),
                c.requestedBy(),
                c.reason(),
                now)));
  }

  @Override
  public ReservationState evolve(ReservationState state, ReservationEvent event) {
    return switch (event) {
      case ReservationPlaced e ->
          new ReservationState(
              true, e.guestId(), e.hotelId(), e.roomType(), e.checkIn(), e.checkOut(), false);
      case ReservationCancelled e ->
          new ReservationState(
              true,
              state.guestId(),
              state.hotelId(),
              state.roomType(),
              state.checkIn(),
              state.checkOut(),
              true);
    };
  }

  // The wiring.

  @Override
  public Decider<ReservationCommand, ReservationState, ReservationEvent> decider() {
    return this;
  }

  @Override
  public Reads reads(ReservationCommand command, ReservationState state) {
    return switch (command) {
      case BookRoom c ->
          new Reads(
              Set.of(HotelAggregate.streamId(c.hotelId())),
              Inventory.rowKeys(c.hotelId(), c.roomType(), c.checkIn(), c.checkOut()));
      case CancelReservation c -> Reads.NONE;
    };
  }

  @Override
  public List<RowUpdate> rowUpdates(
      ReservationCommand command,
      ReservationState before,
      List<ReservationEvent> events,
      Loaded loaded) {
    // Each event takes or gives back the nights Stay says, guarded in the same transaction.
    return events.stream()
        .flatMap(e -> Stay.of(e).stream())
        .flatMap(
            s ->
                (s.holds()
                        ? Inventory.take(s.hotelId(), s.roomType(), s.checkIn(), s.checkOut())
                        : Inventory.release(s.hotelId(), s.roomType(), s.checkIn(), s.checkOut()))
                    .stream())
        .toList();
  }

  @Override
  public String writeSnapshot(ReservationState state) {
    return state.toSnapshot();
  }

  @Override
  public ReservationState readSnapshot(String snapshot) {
    return ReservationState.fromSnapshot(snapshot);
  }
}
