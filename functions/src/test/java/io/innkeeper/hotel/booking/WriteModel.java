package io.innkeeper.hotel.booking;

import io.innkeeper.core.command.CommandEnvelope;
import io.innkeeper.core.command.CommandProcessor;
import io.innkeeper.core.command.CommandStatus;
import io.innkeeper.core.command.InMemoryCommandStatusStore;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.InMemoryEventStore;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.hotel.HotelDomainCommand;
import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.hotel.inventory.Inventory;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The write side in memory, driven through the real command pipeline: given commands set the scene,
 * a when-command is decided, and the outcome, events and inventory rows can be inspected.
 */
final class WriteModel {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  final InMemoryCommandStatusStore statuses = new InMemoryCommandStatusStore();
  final InMemoryEventStore store = new InMemoryEventStore(statuses);
  private final AtomicInteger ids = new AtomicInteger();

  /** The outcome of one command. */
  record Outcome(CommandStatus.State state, String reason) {}

  Outcome run(DomainCommand command) {
    return run(command, store, false);
  }

  Outcome runAsAdmin(DomainCommand command) {
    return run(command, store, true);
  }

  Outcome run(DomainCommand command, EventStore via, boolean admin) {
    String commandId = "c" + ids.incrementAndGet();
    var encoded = HotelDomainCommand.TYPES.encode(command);
    statuses.accept(CommandStatus.pending(commandId, encoded.type(), "caller", NOW));
    var envelope =
        new CommandEnvelope(
            commandId,
            encoded.type(),
            encoded.version(),
            "caller",
            admin,
            NOW,
            "r",
            HotelDomainCommand.TYPES.toMap(command));
    new CommandProcessor(via, statuses, new HotelDomain(), Clock.fixed(NOW, ZoneOffset.UTC))
        .process(envelope);
    CommandStatus status = statuses.find(commandId).orElseThrow();
    return new Outcome(status.status(), status.reason());
  }

  List<StoredEvent> events(String streamId) {
    return store.events(streamId);
  }

  /** Booked rooms on a night, or null when the night was never allotted. */
  Long booked(String hotelId, String roomType, LocalDate night) {
    return row(hotelId, roomType, night).get(Inventory.booked(night));
  }

  Long rooms(String hotelId, String roomType, LocalDate night) {
    return row(hotelId, roomType, night).get(Inventory.rooms(night));
  }

  private Map<String, Long> row(String hotelId, String roomType, LocalDate night) {
    String key = Inventory.rowKey(hotelId, roomType, YearMonth.from(night));
    var row = store.loadRows(List.of(key)).get(key);
    Map<String, Long> numbers = new java.util.HashMap<>();
    if (row != null) {
      row.attributes()
          .forEach(
              (k, v) -> {
                if (v instanceof Long l) {
                  numbers.put(k, l);
                }
              });
    }
    return numbers;
  }
}
