package io.innkeeper.events.hotel;

import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.TypeRegistry;

/**
 * Every event of the hotel domain: one sealed root over the aggregates' event interfaces, so a
 * projection or a check switches over all of them at once and the compiler finds the switch that
 * misses a new one.
 */
public sealed interface HotelDomainEvent extends DomainEvent permits HotelEvent, ReservationEvent {

  /**
   * Every event type the hotel domain has ever published, by stable name and current schema
   * version; see {@link TypeRegistry} for the versioning rules. Building it fails while a record
   * under this root is not registered.
   */
  TypeRegistry<DomainEvent> TYPES = types();

  private static TypeRegistry<DomainEvent> types() {
    TypeRegistry.Builder<DomainEvent> b = TypeRegistry.builder("event", HotelDomainEvent.class);
    HotelEvent.register(b);
    ReservationEvent.register(b);
    return b.build();
  }
}
