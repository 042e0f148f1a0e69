package io.innkeeper.hotel.hotels;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.command.Decider;
import io.innkeeper.core.command.Decision;
import io.innkeeper.core.command.Loaded;
import io.innkeeper.core.command.Reads;
import io.innkeeper.core.eventstore.RowUpdate;
import io.innkeeper.events.hotel.Cities;
import io.innkeeper.events.hotel.HotelCommand;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelCommand.SetAllotment;
import io.innkeeper.events.hotel.HotelEvent;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.hotel.inventory.Inventory;
import java.util.List;
import java.util.Set;

/**
 * The hotel: registered once with its room types, then allotments put rooms on sale. Stream {@code
 * hotel#<hotelId>}; allotments also set the inventory rows of their nights. The decider and its
 * wiring in one class: the wiring is the part after {@link #evolve}.
 */
public final class HotelAggregate
    implements Aggregate<HotelCommand, HotelState, HotelEvent>,
        Decider<HotelCommand, HotelState, HotelEvent> {

  /** Rejection: the id is taken (only reachable by replaying a register with a new command id). */
  public static final String ALREADY_REGISTERED = "ALREADY_REGISTERED";

  public static final String UNKNOWN_HOTEL = "UNKNOWN_HOTEL";
  public static final String UNKNOWN_ROOM_TYPE = "UNKNOWN_ROOM_TYPE";
  public static final String ROOMS_BELOW_BOOKED = "ROOMS_BELOW_BOOKED";

  public static String streamId(String hotelId) {
    return "hotel#" + hotelId;
  }

  @Override
  public Class<HotelCommand> commandType() {
    return HotelCommand.class;
  }

  @Override
  public String streamId(HotelCommand command) {
    return streamId(command.hotelId());
  }

  @Override
  public HotelState initialState() {
    return HotelState.NONE;
  }

  @Override
  public Decision<HotelEvent> decide(HotelCommand command, HotelState state, Context context) {
    return switch (command) {
      case RegisterHotel c ->
          state.registered()
              ? Decision.reject(ALREADY_REGISTERED)
              : Decision.accept(
                  List.of(
                      new HotelRegistered(
                          c.hotelId(),
                          c.name(),
                          c.city(),
                          Cities.key(c.city()),
                          c.roomTypes(),
                          context.now())));
      case SetAllotment c -> setAllotment(c, state, context);
    };
  }

  private static Decision<HotelEvent> setAllotment(
      SetAllotment c, HotelState state, Context context) {
    if (!state.registered()) {
      return Decision.reject(UNKNOWN_HOTEL);
    }
    if (state.roomType(c.roomType()).isEmpty()) {
      return Decision.reject(UNKNOWN_ROOM_TYPE);
    }
    boolean belowBooked =
        Inventory.nights(context.loaded(), c.hotelId(), c.roomType(), c.from(), c.to()).stream()
            .anyMatch(n -> n.booked() > c.rooms());
    if (belowBooked) {
      return Decision.reject(ROOMS_BELOW_BOOKED);
    }
    return Decision.accept(
        List.of(
            new AllotmentSet(
                c.hotelId(),
                c.roomType(),
                c.from(),
                c.to(),
                c.rooms(),
                c.nightlyRate(),
                context.now())));
  }

  @Override
  public HotelState evolve(HotelState state, HotelEvent event) {
    return switch (event) {
      case HotelRegistered e -> new HotelState(true, e.name(), e.city(), e.roomTypes());
      // Allotments live in the inventory rows, not in the hotel's state.
      case AllotmentSet e -> state;
    };
  }

  // The wiring.

  @Override
  public Decider<HotelCommand, HotelState, HotelEvent> decider() {
    return this;
  }

  @Override
  public Reads reads(HotelCommand command, HotelState state) {
    return switch (command) {
      case SetAllotment c ->
          new Reads(Set.of(), Inventory.rowKeys(c.hotelId(), c.roomType(), c.from(), c.to()));
      case RegisterHotel c -> Reads.NONE;
    };
  }

  @Override
  public List<RowUpdate> rowUpdates(
      HotelCommand command, HotelState before, List<HotelEvent> events, Loaded loaded) {
    return events.stream()
        .flatMap(
            event ->
                switch (event) {
                  case AllotmentSet e ->
                      Inventory.allot(
                          e.hotelId(), e.roomType(), e.from(), e.to(), e.rooms(), e.nightlyRate())
                          .stream();
                  case HotelRegistered e -> java.util.stream.Stream.<RowUpdate>empty();
                })
        .toList();
  }

  @Override
  public String writeSnapshot(HotelState state) {
    return state.toSnapshot();
  }

  @Override
  public HotelState readSnapshot(String snapshot) {
    return HotelState.fromSnapshot(snapshot);
  }
}
