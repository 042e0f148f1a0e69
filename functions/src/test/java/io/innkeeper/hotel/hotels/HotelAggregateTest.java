package io.innkeeper.hotel.hotels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.innkeeper.core.command.Decider;
import io.innkeeper.core.command.Decision;
import io.innkeeper.core.command.Loaded;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.RoomType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotelAggregateTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final List<RoomType> TYPES = List.of(new RoomType("DBL", "Double", 2));
  private final HotelAggregate hotel = new HotelAggregate();

  @Test
  void given_no_hotel_when_registering_then_it_is_registered_at_the_command_time() {
    var decision =
        hotel.decide(
            new RegisterHotel("h1", "Seeblick", "Zurich", TYPES),
            hotel.initialState(),
            new Decider.Context(NOW, Loaded.NOTHING));

    assertEquals(
        Decision.accept(
            List.of(new HotelRegistered("h1", "Seeblick", "Zurich", "zurich", TYPES, NOW))),
        decision);
  }

  @Test
  void given_a_registered_hotel_when_registering_it_again_then_it_is_rejected() {
    var state =
        hotel.evolve(
            hotel.initialState(),
            new HotelRegistered("h1", "Seeblick", "Zurich", "zurich", TYPES, NOW));

    var decision =
        hotel.decide(
            new RegisterHotel("h1", "Other", "Bern", TYPES),
            state,
            new Decider.Context(NOW, Loaded.NOTHING));

    assertEquals(Decision.reject(HotelAggregate.ALREADY_REGISTERED), decision);
  }

  @Test
  void given_a_registered_hotel_then_its_state_survives_the_snapshot() {
    var state =
        hotel.evolve(
            hotel.initialState(),
            new HotelRegistered("h1", "Seeblick", "Zurich", "zurich", TYPES, NOW));

    assertEquals(state, hotel.readSnapshot(hotel.writeSnapshot(state)));
    assertEquals(new HotelState(true, "Seeblick", "Zurich", TYPES), state);
    assertEquals(2, state.roomType("DBL").orElseThrow().maxGuests());
  }
}
