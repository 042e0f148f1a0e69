package io.innkeeper.events;

import io.innkeeper.events.hotel.HotelContract;
import io.innkeeper.events.reservation.ReservationContract;

/** Every command type, by stable name and current schema version. */
public final class CommandTypes {
  private CommandTypes() {}

  /** The registry; see {@link TypeRegistry} for the versioning rules. */
  public static final TypeRegistry<DomainCommand> REGISTRY = build();

  private static TypeRegistry<DomainCommand> build() {
    TypeRegistry.Builder<DomainCommand> b = TypeRegistry.builder("command");
    HotelContract.commands(b);
    ReservationContract.commands(b);
    return b.build();
  }
}
