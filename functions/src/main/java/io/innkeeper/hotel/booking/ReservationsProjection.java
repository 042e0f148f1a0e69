package io.innkeeper.hotel.booking;

import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent;
import io.innkeeper.events.hotel.ReservationEvent;
import io.innkeeper.events.hotel.ReservationEvent.ReservationCancelled;
import io.innkeeper.events.hotel.ReservationEvent.ReservationPlaced;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reservations table: {@code pk = reservation#<id>, sk = reservation} for lookup by id, and a
 * copy per guest, {@code pk = guest#<guestId>, sk = <checkIn>#<id>}, so "my reservations" is one
 * strongly consistent query of the base table, newest check-in first.
 *
 * <p>Each event owns its attributes: the booking sets the stay ({@code placed} = its version), the
 * cancellation sets {@code cancelledAt} ({@code cancelled} = its version). Each is written once, so
 * the rows are the same in any order; a cancellation seen first is kept on the id row and copied to
 * the guest's row when the booking arrives.
 *
 * <p>Its rows are written one by one ({@link Projection.Writes#PER_ROW}): the id row follows from
 * itself and the event, and the guest's row is always a copy of the id row as the event leaves it.
 * After a crash between the two writes the event applied again finds the id row done (unchanged)
 * and writes the copy, or the other way round.
 */
public final class ReservationsProjection implements Projection {
  static final String RESERVATION_SK = "reservation";

  private final String table;

  public ReservationsProjection(String table) {
    this.table = table;
  }

  RowKey byId(String reservationId) {
    return new RowKey(table, "reservation#" + reservationId, RESERVATION_SK);
  }

  static String guestPk(String guestId) {
    return "guest#" + guestId;
  }

  static String guestSk(String checkIn, String reservationId) {
    return checkIn + "#" + reservationId;
  }

  @Override
  public String name() {
    return "reservations";
  }

  @Override
  public List<String> tables() {
    return List.of(table);
  }

  @Override
  public List<RowKey> reads(StoredEvent source, DomainEvent event, Rows known) {
    return switch ((HotelDomainEvent) event) {
      case HotelEvent e -> List.of(); // a reservation's row copies what it needs of its hotel
      case ReservationEvent r -> {
        RowKey id = byId(r.reservationId());
        List<RowKey> keys = new ArrayList<>(List.of(id));
        switch (r) {
          case ReservationPlaced p ->
              keys.add(guestKey(p.guestId(), p.checkIn().toString(), p.reservationId()));
          case ReservationCancelled c ->
              known
                  .get(id)
                  .flatMap(row -> guestKey(row.attributes(), r.reservationId()))
                  .ifPresent(keys::add);
        }
        yield keys;
      }
    };
  }

  @Override
  public List<RowChange> apply(StoredEvent source, DomainEvent event, Rows current) {
    return switch ((HotelDomainEvent) event) {
      case HotelEvent e -> List.of();
      case ReservationEvent r -> apply(source, r, current);
    };
  }

  @Override
  public Writes writes() {
    return Writes.PER_ROW;
  }

  private List<RowChange> apply(StoredEvent source, ReservationEvent r, Rows current) {
    RowKey id = byId(r.reservationId());
    Map<String, Object> row = new HashMap<>(current.attributes(id));
    switch (r) {
      case ReservationPlaced p -> {
        if (row.containsKey("placed")) {
          break; // the id row has it; its copy may not (a crash between the two writes)
        }
        row.put("placed", source.version());
        row.put("guestId", p.guestId());
        row.put("hotelId", p.hotelId());
        row.put("roomType", p.roomType());
        row.put("checkIn", p.checkIn().toString());
        row.put("checkOut", p.checkOut().toString());
        row.put("guests", (long) p.guests());
        row.put("totalAmount", p.totalPrice().amount().toPlainString());
        row.put("totalCurrency", p.totalPrice().currency());
        row.put("bookedAt", p.bookedAt().toString());
      }
      case ReservationCancelled c -> {
        Object seen = row.get("cancelled");
        if (seen != null && (Long) seen >= source.version()) {
          break;
        }
        row.put("cancelled", source.version());
        row.put("cancelledAt", c.cancelledAt().toString());
      }
    }
    // Rows already as they should be are not written again (the runtime compares).
    List<RowChange> changes = new ArrayList<>();
    changes.add(new RowChange(id, row));
    guestKey(row, r.reservationId()).ifPresent(key -> changes.add(new RowChange(key, row)));
    return changes;
  }

  private RowKey guestKey(String guestId, String checkIn, String reservationId) {
    return new RowKey(table, guestPk(guestId), guestSk(checkIn, reservationId));
  }

  private java.util.Optional<RowKey> guestKey(Map<String, Object> row, String reservationId) {
    if (!row.containsKey("guestId")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        guestKey((String) row.get("guestId"), (String) row.get("checkIn"), reservationId));
  }
}
