package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.TypeRegistry;

/**
 * Every command of the hotel domain: one sealed root over the aggregates' command interfaces, so
 * the command pipeline and the tools switch over all of them at once.
 */
public sealed interface HotelDomainCommand extends DomainCommand
    permits HotelCommand, ReservationCommand {

  /**
   * Every command type, by stable name and current schema version; see {@link TypeRegistry}.
   * Building it fails while a record under this root is not registered.
   */
  TypeRegistry<DomainCommand> TYPES = types();

  private static TypeRegistry<DomainCommand> types() {
    TypeRegistry.Builder<DomainCommand> b =
        TypeRegistry.builder("command", HotelDomainCommand.class);
    HotelCommand.register(b);
    ReservationCommand.register(b);
    return b.build();
  }
}
