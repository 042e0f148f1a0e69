package io.innkeeper.rooms;

import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.query.ConsistencyGate.Freshness;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.rooms.RoomsEvent.BookingCancelled;
import io.innkeeper.rooms.RoomsEvent.RoomRegistered;
import io.innkeeper.rooms.RoomsEvent.SlotBooked;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A room's schedule for a day: the projection into the {@code room-schedules} table and its query,
 * {@code GET /rooms/{roomId}/schedule?date=}. One row per booking, {@code pk =
 * room#<roomId>#<date>, sk = <from>#<bookingId>}, so a day is one query of the base table in time
 * order. The booking sets {@code placed} (its version) and the slot, the cancellation sets {@code
 * cancelled}: each written once, so the row is the same in any order and however often an event
 * comes.
 */
final class Schedule implements Projection {
  static final String TABLE = "room-schedules";

  private final String table;

  Schedule(String table) {
    this.table = table;
  }

  private RowKey key(RoomsEvent.OfBooking e) {
    return new RowKey(table, pk(e.roomId(), e.date()), e.from() + "#" + e.bookingId());
  }

  private static String pk(String roomId, LocalDate date) {
    return "room#" + roomId + "#" + date;
  }

  @Override
  public String name() {
    return "schedules";
  }

  @Override
  public List<String> tables() {
    return List.of(table);
  }

  @Override
  public List<RowKey> reads(StoredEvent source, DomainEvent event, Rows known) {
    return switch ((RoomsEvent) event) {
      case RoomRegistered e -> List.of(); // a room without bookings has an empty schedule
      case RoomsEvent.OfBooking e -> List.of(key(e));
    };
  }

  @Override
  public List<RowChange> apply(StoredEvent source, DomainEvent event, Rows current) {
    return switch ((RoomsEvent) event) {
      case RoomRegistered e -> List.of();
      case RoomsEvent.OfBooking b -> apply(source, b, current);
    };
  }

  private List<RowChange> apply(StoredEvent source, RoomsEvent.OfBooking b, Rows current) {
    RowKey key = key(b);
    Map<String, Object> row = new HashMap<>(current.attributes(key));
    switch (b) {
      case SlotBooked e -> {
        if (row.containsKey("placed")) {
          return List.of();
        }
        row.put("placed", source.version());
        row.put("bookedBy", e.bookedBy());
        row.put("from", e.from().toString());
        row.put("to", e.to().toString());
      }
      case BookingCancelled e -> {
        if (row.containsKey("cancelled")) {
          return List.of();
        }
        row.put("cancelled", source.version());
      }
    }
    return List.of(new RowChange(key, row));
  }

  /** {@code GET /rooms/{roomId}/schedule?date=YYYY-MM-DD}: the day's bookings, in time order. */
  static final class Query {
    private final RowStore store;
    private final String table;

    Query(RowStore store, String table) {
      this.store = store;
      this.table = table;
    }

    ApiResponse get(ApiRequest request, Freshness freshness) {
      BodyReader r = new BodyReader();
      String roomId = r.pathId(request, "roomId");
      LocalDate date = r.date(request.queryParameters(), "", "date");
      r.throwIfInvalid();
      boolean consistent = freshness.await();
      List<Object> items = new ArrayList<>();
      RowStore.RowPage page;
      String after = null;
      do {
        page =
            store.query(
                new RowStore.RowQuery(
                    table, pk(roomId, date), "0", "9~", false, 100, after, consistent));
        for (Row row : page.rows()) {
          // Cancelled, or cancelled before its booking was projected: not on the schedule.
          if (row.attributes().containsKey("placed")
              && !row.attributes().containsKey("cancelled")) {
            String sk = row.key().sk();
            items.add(
                Json.obj(
                    "bookingId", sk.substring(sk.indexOf('#') + 1),
                    "from", row.string("from").orElseThrow(),
                    "to", row.string("to").orElseThrow(),
                    "bookedBy", row.string("bookedBy").orElseThrow()));
          }
        }
        after = page.rows().isEmpty() ? null : page.rows().get(page.rows().size() - 1).key().sk();
      } while (page.more() && after != null);
      return ApiResponse.json(
          200, Json.obj("roomId", roomId, "date", date.toString(), "bookings", items));
    }
  }
}
