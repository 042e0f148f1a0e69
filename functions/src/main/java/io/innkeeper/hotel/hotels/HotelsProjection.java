package io.innkeeper.hotel.hotels;

import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.ReservationEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hotels table. Three rows per hotel, all on the base table so token-bound reads can be
 * strongly consistent: {@code pk = hotel#<id>, sk = hotel} for lookup by id, {@code pk = city#<city
 * key>, sk = <id>} for search by city, and {@code pk = hotels, sk = <id>} for the list of every
 * hotel, read a page at a time by id. Each row keeps {@code doc} (the API's hotel) and {@code v},
 * the hotel stream version it reflects, and only moves forward.
 *
 * <p>The list partition is written only when a hotel is registered, so it is no hot key for writes;
 * reads take one page per request. A table projected before the list rows existed gets them from
 * {@code rebuild}.
 */
public final class HotelsProjection implements Projection {
  static final String HOTEL_SK = "hotel";

  /** The partition that lists every hotel by id. */
  static final String ALL_PK = "hotels";

  private final String table;

  public HotelsProjection(String table) {
    this.table = table;
  }

  static String hotelPk(String hotelId) {
    return "hotel#" + hotelId;
  }

  static String cityPk(String cityKey) {
    return "city#" + cityKey;
  }

  @Override
  public String name() {
    return "hotels";
  }

  @Override
  public List<String> tables() {
    return List.of(table);
  }

  @Override
  public List<RowKey> reads(StoredEvent source, DomainEvent event, Rows known) {
    return switch ((HotelDomainEvent) event) {
      case HotelRegistered e ->
          List.of(
              new RowKey(table, hotelPk(e.hotelId()), HOTEL_SK),
              new RowKey(table, cityPk(e.cityKey()), e.hotelId()),
              new RowKey(table, ALL_PK, e.hotelId()));
      // A hotel's catalogue entry does not show its allotments or its reservations.
      case AllotmentSet e -> List.of();
      case ReservationEvent e -> List.of();
    };
  }

  /** Each row keeps its own version and only moves forward, so each can be written alone. */
  @Override
  public Writes writes() {
    return Writes.PER_ROW;
  }

  @Override
  public List<RowChange> apply(StoredEvent source, DomainEvent event, Rows current) {
    return switch ((HotelDomainEvent) event) {
      case HotelRegistered e -> registered(source, e, current);
      case AllotmentSet e -> List.of();
      case ReservationEvent e -> List.of();
    };
  }

  private List<RowChange> registered(StoredEvent source, HotelRegistered e, Rows current) {
    String doc = Json.write(HotelQueries.toApi(e.hotelId(), e.name(), e.city(), e.roomTypes()));
    List<RowChange> changes = new ArrayList<>();
    for (RowKey key : reads(source, e, current)) {
      Object v = current.attributes(key).get("v");
      if (v == null || (Long) v < source.version()) {
        changes.add(new RowChange(key, Map.of("doc", doc, "v", source.version())));
      }
    }
    return changes;
  }
}
