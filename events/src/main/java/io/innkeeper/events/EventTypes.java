package io.innkeeper.events;

import io.innkeeper.events.hotel.HotelContract;
import io.innkeeper.events.reservation.ReservationContract;

/** Every event type Innkeeper has ever published, by stable name and current schema version. */
public final class EventTypes {
  private EventTypes() {}

  /** The registry; see {@link TypeRegistry} for the versioning rules. */
  public static final TypeRegistry<DomainEvent> REGISTRY = build();

  private static TypeRegistry<DomainEvent> build() {
    TypeRegistry.Builder<DomainEvent> b = TypeRegistry.builder("event");
    HotelContract.events(b);
    ReservationContract.events(b);
    return b.build();
  }
}
