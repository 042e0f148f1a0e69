package io.innkeeper.hotel.hotels;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.command.Decision;
import io.innkeeper.events.hotel.HotelCommand;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelEvent;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import java.time.Instant;
import java.util.List;

/** The hotel: registered once with its room types. Stream {@code hotel#<hotelId>}. */
public final class HotelAggregate implements Aggregate<HotelState, HotelCommand, HotelEvent> {

  /** Rejection: the id is taken (only reachable by replaying a register with a new command id). */
  public static final String ALREADY_REGISTERED = "ALREADY_REGISTERED";

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
  public HotelState initial() {
    return HotelState.NONE;
  }

  @Override
  public Decision<HotelEvent> decide(HotelCommand command, HotelState state, Instant now) {
    if (command instanceof RegisterHotel c) {
      return state.registered()
          ? Decision.reject(ALREADY_REGISTERED)
          : Decision.accept(
              List.of(new HotelRegistered(c.hotelId(), c.name(), c.city(), c.roomTypes(), now)));
    }
    throw new IllegalArgumentException("unhandled command " + command);
  }

  @Override
  public HotelState evolve(HotelState state, HotelEvent event) {
    if (event instanceof HotelRegistered e) {
      return new HotelState(true, e.name(), e.city(), e.roomTypes());
    }
    throw new IllegalArgumentException("unhandled event " + event);
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
