package io.innkeeper.rooms;

import static io.innkeeper.core.Priming.ABSENT_ID;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.domain.CommandEndpoint;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.domain.QueryEndpoint;
import io.innkeeper.core.domain.Route;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.core.domain.fixture.ConsoleFixture;
import io.innkeeper.core.domain.fixture.DemoData;
import io.innkeeper.core.domain.fixture.Fixtures;
import io.innkeeper.core.domain.fixture.RecordChecks;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.rooms.RoomsEvent.BookingCancelled;
import io.innkeeper.rooms.RoomsEvent.RoomRegistered;
import io.innkeeper.rooms.RoomsEvent.SlotBooked;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A second domain, built on the core alone: meeting rooms, booked by the half hour. A room is
 * registered by an admin; anyone books some of its half hours on a day, all or none, and the booker
 * or an admin cancels. The invariant spans aggregates as the hotel's nights do: no two bookings of
 * one room overlap, enforced atomically by guarded state rows ({@link Slots}). Its read model is
 * each room's schedule of the day ({@link Schedule}). It lives in test scope and runs through the
 * full local runtime in {@code RoomsDomainIT}.
 */
public final class RoomsDomain implements Domain {
  public static final String NAME = "rooms";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TypeRegistry<DomainCommand> commandTypes() {
    return RoomsCommand.TYPES;
  }

  @Override
  public TypeRegistry<DomainEvent> eventTypes() {
    return RoomsEvent.TYPES;
  }

  @Override
  public List<Aggregate<?, ?, ?>> aggregates() {
    return List.of(new RoomAggregate(), new BookingAggregate());
  }

  @Override
  public List<String> queryTables() {
    return List.of(Schedule.TABLE);
  }

  @Override
  public List<Projection> projections(Tables tables) {
    return List.of(new Schedule(tables.name(Schedule.TABLE)));
  }

  @Override
  public List<CommandEndpoint> commandEndpoints() {
    return List.of(
        CommandEndpoint.of(
            Route.authenticated("POST", "/rooms"),
            c -> new RoomsEndpoints(c.intake())::registerRoom),
        CommandEndpoint.of(
            Route.authenticated("POST", "/rooms/{roomId}/bookings"),
            c -> new RoomsEndpoints(c.intake())::bookSlot),
        CommandEndpoint.of(
            Route.authenticated("POST", "/bookings/{bookingId}/cancel"),
            c -> new RoomsEndpoints(c.intake())::cancelBooking));
  }

  @Override
  public List<QueryEndpoint> queryEndpoints() {
    return List.of(
        new QueryEndpoint(
            Route.authenticated("GET", "/rooms/{roomId}/schedule"),
            q -> new Schedule.Query(q.store(), q.tables().name(Schedule.TABLE))::get));
  }

  @Override
  public PrimingSamples primingSamples() {
    return new PrimingSamples(
        List.of(
            new PrimingSamples.Request(
                "POST /rooms/{roomId}/bookings",
                Map.of("roomId", ABSENT_ID),
                Map.of("content-type", "application/json"),
                "{\"date\":\"not-a-date\"}",
                400)),
        List.of(
            new PrimingSamples.Command(
                "BookSlot",
                1,
                false,
                """
                {"bookingId":"%1$s","roomId":"%1$s","bookedBy":"%1$s","date":"2026-01-02",
                 "from":"09:00","to":"10:00"}"""
                    .formatted(ABSENT_ID))),
        List.of(
            new PrimingSamples.Event(
                BookingAggregate.streamId(ABSENT_ID),
                "SlotBooked",
                1,
                """
                {"bookingId":"%1$s","roomId":"%1$s","bookedBy":"%1$s","date":"2026-01-02",
                 "from":"09:00","to":"10:00","bookedAt":"2026-01-01T00:00:00Z"}"""
                    .formatted(ABSENT_ID))),
        List.of(
            new PrimingSamples.Request(
                "GET /rooms/{roomId}/schedule", Map.of("roomId", ABSENT_ID), Map.of(), null, 400)));
  }

  @Override
  public Fixtures fixtures() {
    return new Fixtures() {
      @Override
      public DemoData demo() {
        return new DemoData() {
          @Override
          public String title() {
            return "Demo rooms";
          }

          @Override
          public List<String> seed(Api api) {
            List<String> lines = new ArrayList<>();
            for (String name : List.of("Boardroom", "Focus booth")) {
              String roomId =
                  api.command(
                          "/rooms",
                          Api.Caller.admin("demo-admin"),
                          "demo-room-" + name.length(),
                          Json.obj("name", name, "seats", name.length()))
                      .field("roomId");
              lines.add(String.format("%-14s %s", name, roomId));
            }
            return lines;
          }
        };
      }

      @Override
      public RecordChecks recordChecks() {
        return new Overlaps();
      }

      @Override
      public ConsoleFixture console() {
        return new RoomsConsole();
      }
    };
  }

  /** The rooms' invariant over the record: no two live bookings of a room share a half hour. */
  static final class Overlaps implements RecordChecks {
    @Override
    public Optional<String> appends(String commandType) {
      return Optional.of(
          switch (commandType) {
            case "RegisterRoom" -> "RoomRegistered";
            case "BookSlot" -> "SlotBooked";
            case "CancelBooking" -> "BookingCancelled";
            default -> throw new IllegalArgumentException("no command type " + commandType);
          });
    }

    @Override
    public List<Check> check(Record record) {
      record Slot(String roomId, LocalDate date, LocalTime halfHour) {}
      Map<String, RoomsEvent.OfBooking> live = new HashMap<>();
      List<Event> ordered = new ArrayList<>(record.events());
      ordered.sort(Comparator.comparing(Event::stream).thenComparingLong(Event::version));
      for (Event e : ordered) {
        switch ((RoomsEvent) RoomsEvent.TYPES.decode(e.type(), e.schemaVersion(), e.data())) {
          case RoomRegistered r -> {}
          case SlotBooked b -> live.put(b.bookingId(), b);
          case BookingCancelled c -> live.remove(c.bookingId());
        }
      }
      Map<Slot, List<String>> holders = new HashMap<>();
      live.values()
          .forEach(
              b ->
                  Slots.halfHours(b.from(), b.to())
                      .forEach(
                          t ->
                              holders
                                  .computeIfAbsent(
                                      new Slot(b.roomId(), b.date(), t), k -> new ArrayList<>())
                                  .add(b.bookingId())));
      List<String> examples = new ArrayList<>();
      long overlapping =
          holders.entrySet().stream()
              .filter(h -> h.getValue().size() > 1)
              .peek(h -> examples.add(h.getKey() + " held by " + h.getValue()))
              .count();
      return List.of(
          new Check(
              "half hours booked twice",
              overlapping,
              Map.of("live bookings", (long) live.size(), "half hours", (long) holders.size()),
              examples.stream().limit(5).toList()));
    }

    @Override
    public String usage() {
      return "  half hours booked twice         two live bookings of one room in one half hour\n";
    }
  }
}
