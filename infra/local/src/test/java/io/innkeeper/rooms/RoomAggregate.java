package io.innkeeper.rooms;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.command.Decider;
import io.innkeeper.core.command.Decision;
import io.innkeeper.events.Fields;
import io.innkeeper.events.Json;
import io.innkeeper.rooms.RoomsCommand.RegisterRoom;
import io.innkeeper.rooms.RoomsEvent.RoomRegistered;
import java.util.List;

/** A meeting room: registered once. Stream {@code room#<roomId>}. */
final class RoomAggregate
    implements Aggregate<RoomsCommand.OfRoom, RoomAggregate.State, RoomsEvent.OfRoom>,
        Decider<RoomsCommand.OfRoom, RoomAggregate.State, RoomsEvent.OfRoom> {

  static final String ALREADY_REGISTERED = "ALREADY_REGISTERED";

  /** What deciding about a room needs. */
  record State(boolean registered, String name, int seats) {
    static final State NONE = new State(false, null, 0);
  }

  static String streamId(String roomId) {
    return "room#" + roomId;
  }

  @Override
  public State initialState() {
    return State.NONE;
  }

  @Override
  public Decision<RoomsEvent.OfRoom> decide(
      RoomsCommand.OfRoom command, State state, Context context) {
    return switch (command) {
      case RegisterRoom c ->
          state.registered()
              ? Decision.reject(ALREADY_REGISTERED)
              : Decision.accept(
                  List.of(new RoomRegistered(c.roomId(), c.name(), c.seats(), context.now())));
    };
  }

  @Override
  public State evolve(State state, RoomsEvent.OfRoom event) {
    return switch (event) {
      case RoomRegistered e -> new State(true, e.name(), e.seats());
    };
  }

  @Override
  public Decider<RoomsCommand.OfRoom, State, RoomsEvent.OfRoom> decider() {
    return this;
  }

  @Override
  public Class<RoomsCommand.OfRoom> commandType() {
    return RoomsCommand.OfRoom.class;
  }

  @Override
  public String streamId(RoomsCommand.OfRoom command) {
    return streamId(command.roomId());
  }

  @Override
  public String writeSnapshot(State state) {
    return Json.write(Json.obj("name", state.name(), "seats", state.seats()));
  }

  @Override
  public State readSnapshot(String snapshot) {
    Fields f = new Fields(Json.parseObject(snapshot), "room snapshot");
    return new State(true, f.string("name"), f.integer("seats"));
  }
}
