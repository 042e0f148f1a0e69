package io.innkeeper.hotel.booking;

import static io.innkeeper.core.command.CommandStatus.State.REJECTED;
import static io.innkeeper.core.command.CommandStatus.State.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.eventstore.DelegatingEventStore;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.StateRow;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelCommand.SetAllotment;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.ReservationCommand.BookRoom;
import io.innkeeper.events.hotel.ReservationCommand.CancelReservation;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import io.innkeeper.events.hotel.RoomType;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Given/when/then over the real pipeline, in memory: every booking and cancel outcome. */
class BookingDeciderTest {
  private static final String H = "h1";
  private static final LocalDate D1 = LocalDate.parse("2026-12-30");
  private static final LocalDate D2 = D1.plusDays(1);
  private static final LocalDate D3 = D1.plusDays(2); // 2027-01-01: the stay spans two rows
  private static final Money RATE = Money.of("100.00", "EUR");

  private WriteModel model;

  @BeforeEach
  void given_a_hotel_with_one_double_room_on_sale_for_two_nights() {
    model = new WriteModel();
    model.runAsAdmin(
        new RegisterHotel(H, "Seeblick", "Zurich", List.of(new RoomType("DBL", "Double", 2))));
    assertEquals(SUCCEEDED, model.runAsAdmin(new SetAllotment(H, "DBL", D1, D3, 1, RATE)).state());
  }

  private WriteModel.Outcome book(String reservationId, String guest, LocalDate in, LocalDate out) {
    return model.run(new BookRoom(reservationId, guest, H, "DBL", in, out, 2));
  }

  @Test
  void when_booking_free_nights_then_the_reservation_is_placed_at_the_summed_rate_and_takes_them() {
    assertEquals(new WriteModel.Outcome(SUCCEEDED, null), book("r1", "gus", D1, D3));

    var placed =
        (ReservationPlaced) decode(model.events(ReservationAggregate.streamId("r1")).get(0));
    assertEquals(Money.of("200.00", "EUR"), placed.totalPrice());
    assertEquals("gus", placed.guestId());
    assertEquals(1L, model.booked(H, "DBL", D1));
    assertEquals(1L, model.booked(H, "DBL", D2));
  }

  @Test
  void given_the_last_room_taken_when_booking_again_then_sold_out_and_nothing_changes() {
    book("r1", "gus", D2, D3);

    assertEquals(new WriteModel.Outcome(REJECTED, "SOLD_OUT"), book("r2", "ann", D1, D3));
    assertTrue(model.events(ReservationAggregate.streamId("r2")).isEmpty());
    assertEquals(0L, model.booked(H, "DBL", D1), "all or nothing: the free night stays free");
    assertEquals(1L, model.booked(H, "DBL", D2));
  }

  @Test
  void rejections_for_unknown_hotel_room_type_too_many_guests_and_nights_not_on_sale() {
    assertEquals(
        "UNKNOWN_HOTEL", model.run(new BookRoom("r", "g", "nope", "DBL", D1, D2, 1)).reason());
    assertEquals(
        "UNKNOWN_ROOM_TYPE", model.run(new BookRoom("r", "g", H, "STE", D1, D2, 1)).reason());
    assertEquals(
        "TOO_MANY_GUESTS", model.run(new BookRoom("r", "g", H, "DBL", D1, D2, 3)).reason());
    assertEquals("NOT_ON_SALE", book("r", "g", D1, D3.plusDays(1)).reason());
    assertEquals(0L, model.booked(H, "DBL", D1));
  }

  @Test
  void given_an_allotment_of_zero_rooms_then_the_night_is_sold_out() {
    model.runAsAdmin(new SetAllotment(H, "DBL", D1, D2, 0, RATE));

    assertEquals("SOLD_OUT", book("r1", "gus", D1, D2).reason());
  }

  @Test
  void given_a_stay_priced_in_two_currencies_then_it_is_not_on_sale() {
    model.runAsAdmin(new SetAllotment(H, "DBL", D2, D3, 1, Money.of("90.00", "CHF")));

    assertEquals("NOT_ON_SALE", book("r1", "gus", D1, D3).reason());
  }

  @Test
  void when_the_guest_cancels_then_the_nights_are_free_again_and_a_second_cancel_is_refused() {
    book("r1", "gus", D1, D3);

    assertEquals(
        SUCCEEDED, model.run(new CancelReservation("r1", "gus", false, "plans changed")).state());
    var cancelled =
        (ReservationCancelled) decode(model.events(ReservationAggregate.streamId("r1")).get(1));
    assertEquals("plans changed", cancelled.reason());
    assertEquals(0L, model.booked(H, "DBL", D1));
    assertEquals(0L, model.booked(H, "DBL", D2));
    assertEquals(
        "ALREADY_CANCELLED", model.run(new CancelReservation("r1", "gus", false, null)).reason());
    assertEquals(SUCCEEDED, book("r2", "ann", D1, D3).state(), "the freed room can be booked");
  }

  @Test
  void only_the_guest_or_an_admin_may_cancel_and_unknown_reservations_are_named() {
    book("r1", "gus", D1, D2);

    assertEquals("NOT_OWNER", model.run(new CancelReservation("r1", "ann", false, null)).reason());
    assertEquals(1L, model.booked(H, "DBL", D1));
    assertEquals(
        SUCCEEDED, model.runAsAdmin(new CancelReservation("r1", "ops", true, null)).state());
    assertEquals(
        "UNKNOWN_RESERVATION",
        model.run(new CancelReservation("nope", "gus", false, null)).reason());
  }

  @Test
  void a_decision_on_a_stale_read_is_caught_by_the_row_guard_and_decided_again() {
    // Read before anyone booked, commit after the last room went: the guard refuses the stale
    // booking, the pipeline reloads, and the fresh decision is SOLD_OUT.
    Map<String, StateRow> staleRows =
        model.store.loadRows(io.innkeeper.hotel.inventory.Inventory.rowKeys(H, "DBL", D1, D3));
    book("r1", "gus", D1, D2);
    EventStore stale = new StaleOnce(model.store, staleRows);

    var outcome = model.run(new BookRoom("r2", "ann", H, "DBL", D1, D2, 1), stale, false);

    assertEquals(new WriteModel.Outcome(REJECTED, "SOLD_OUT"), outcome);
    assertEquals(1L, model.booked(H, "DBL", D1), "never oversold");
  }

  @Test
  void an_allotment_below_what_is_booked_is_refused_and_changes_nothing() {
    book("r1", "gus", D1, D2);

    var below = model.runAsAdmin(new SetAllotment(H, "DBL", D1, D3, 0, RATE));

    assertEquals(new WriteModel.Outcome(REJECTED, "ROOMS_BELOW_BOOKED"), below);
    assertEquals(1L, model.rooms(H, "DBL", D1));
    assertEquals(SUCCEEDED, model.runAsAdmin(new SetAllotment(H, "DBL", D1, D3, 1, RATE)).state());
  }

  @Test
  void allotments_name_unknown_hotels_and_room_types_and_may_span_a_whole_year() {
    assertEquals(
        "UNKNOWN_HOTEL",
        model.runAsAdmin(new SetAllotment("nope", "DBL", D1, D2, 1, RATE)).reason());
    assertEquals(
        "UNKNOWN_ROOM_TYPE",
        model.runAsAdmin(new SetAllotment(H, "STE", D1, D2, 1, RATE)).reason());
    LocalDate from = LocalDate.parse("2027-03-01");
    var year = model.runAsAdmin(new SetAllotment(H, "DBL", from, from.plusDays(366), 5, RATE));
    assertEquals(SUCCEEDED, year.state());
    assertEquals(5L, model.rooms(H, "DBL", from.plusDays(365)));
    assertEquals(0L, model.booked(H, "DBL", from.plusDays(200)));
    assertNull(model.rooms(H, "DBL", from.plusDays(366)));
  }

  private static Object decode(io.innkeeper.core.eventstore.StoredEvent e) {
    return HotelDomainEvent.TYPES.decode(e.type(), e.schemaVersion(), e.data());
  }

  /** Answers the first row read from an old snapshot, as a read racing a commit would. */
  private static final class StaleOnce extends DelegatingEventStore {
    private Map<String, StateRow> stale;

    StaleOnce(EventStore inner, Map<String, StateRow> stale) {
      super(inner);
      this.stale = stale;
    }

    @Override
    public Map<String, StateRow> loadRows(Collection<String> keys) {
      Map<String, StateRow> answer = stale != null ? stale : super.loadRows(keys);
      stale = null;
      return answer;
    }
  }
}
