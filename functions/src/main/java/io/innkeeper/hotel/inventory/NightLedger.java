package io.innkeeper.hotel.inventory;

import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent.AllotmentSet;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.ReservationEvent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rooms and bookings per night on the read side: the availability projection (with nightly rates,
 * for the public search) and the occupancy projection (for the hotel's staff) are two instances,
 * each with its own table and guards, so either can change without the other. Month rows {@code pk
 * = hotel#<hotelId>, sk = <YYYY-MM>#<roomType>} hold, for day {@code DD}, {@code rDD} rooms, {@code
 * bDD} booked, {@code aDD} the hotel stream version of the allotment that set {@code rDD}, and with
 * rates {@code pDD}/{@code cDD} the nightly rate.
 *
 * <p>Why it is right under duplicates and any order: a night's rooms come from the allotment with
 * the highest version ({@code aDD} only moves forward). A night's bookings are a sum over
 * reservations, so each reservation has a hold row {@code hold#<reservationId>} with the version it
 * reflects and whether it holds its nights; an event moves the counts by the difference between the
 * hold it brings and the hold recorded, in the same write. A repeated or older event changes
 * nothing; a cancellation seen before its booking records "not held" and the late booking is then
 * older, so the counts never go below zero.
 *
 * <p>The counts and the hold rows only make sense together, so a ledger's rows are written in one
 * transaction ({@link Projection.Writes#ATOMIC}, the default): a count written without its hold
 * would be counted again when the event comes back.
 */
public final class NightLedger implements Projection {
  private static final String HOLD_SK = "hold";

  private final String name;
  private final String table;
  private final boolean rates;

  private NightLedger(String name, String table, boolean rates) {
    this.name = name;
    this.table = table;
    this.rates = rates;
  }

  /** The availability projection: rooms, bookings and rates, searched per hotel of a city. */
  public static NightLedger availability(String table) {
    return new NightLedger("availability", table, true);
  }

  /** The occupancy projection: rooms and bookings, for the hotel's staff. */
  public static NightLedger occupancy(String table) {
    return new NightLedger("occupancy", table, false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> tables() {
    return List.of(table);
  }

  public String table() {
    return table;
  }

  public static String hotelPk(String hotelId) {
    return "hotel#" + hotelId;
  }

  public static String monthSk(YearMonth month, String roomType) {
    return month + "#" + roomType;
  }

  public RowKey monthKey(String hotelId, String roomType, YearMonth month) {
    return new RowKey(table, hotelPk(hotelId), monthSk(month, roomType));
  }

  RowKey holdKey(String reservationId) {
    return new RowKey(table, "hold#" + reservationId, HOLD_SK);
  }

  @Override
  public List<RowKey> reads(StoredEvent source, DomainEvent event, Rows known) {
    return switch ((HotelDomainEvent) event) {
      case AllotmentSet e -> monthKeys(e.hotelId(), e.roomType(), e.from(), e.to());
      case HotelRegistered e -> List.of(); // a hotel has no nights until an allotment
      case ReservationEvent r ->
          Stay.of(r)
              .map(
                  s -> {
                    List<RowKey> keys =
                        new ArrayList<>(
                            monthKeys(s.hotelId(), s.roomType(), s.checkIn(), s.checkOut()));
                    keys.add(holdKey(r.reservationId()));
                    return keys;
                  })
              .orElse(List.of());
    };
  }

  @Override
  public List<RowChange> apply(StoredEvent source, DomainEvent event, Rows rows) {
    return switch ((HotelDomainEvent) event) {
      case AllotmentSet e -> allot(source.version(), e, rows);
      case HotelRegistered e -> List.of();
      case ReservationEvent r ->
          Stay.of(r).map(s -> hold(source.version(), r, s, rows)).orElse(List.of());
    };
  }

  private List<RowChange> allot(long version, AllotmentSet e, Rows rows) {
    Map<RowKey, Map<String, Object>> changed = new LinkedHashMap<>();
    for (LocalDate d = e.from(); d.isBefore(e.to()); d = d.plusDays(1)) {
      RowKey key = monthKey(e.hotelId(), e.roomType(), YearMonth.from(d));
      Map<String, Object> row =
          changed.computeIfAbsent(key, k -> new HashMap<>(rows.attributes(k)));
      String day = Inventory.day(d);
      Object setBy = row.get("a" + day);
      if (setBy != null && (Long) setBy >= version) {
        continue; // a later allotment already decided this night
      }
      row.put("a" + day, version);
      row.put("r" + day, (long) e.rooms());
      if (rates) {
        row.put("p" + day, e.nightlyRate().amount().toPlainString());
        row.put("c" + day, e.nightlyRate().currency());
      }
    }
    return changes(changed);
  }

  private List<RowChange> hold(long version, ReservationEvent r, Stay s, Rows rows) {
    RowKey holdKey = holdKey(r.reservationId());
    Map<String, Object> hold = rows.attributes(holdKey);
    long seen = hold.get("v") == null ? 0 : (Long) hold.get("v");
    if (seen >= version) {
      return List.of(); // this event, or a later one of the reservation, is in the counts
    }
    long held = hold.get("held") == null ? 0 : (Long) hold.get("held");
    long holds = s.holds() ? 1 : 0;
    long delta = holds - held;
    Map<RowKey, Map<String, Object>> changed = new LinkedHashMap<>();
    if (delta != 0) {
      for (LocalDate d = s.checkIn(); d.isBefore(s.checkOut()); d = d.plusDays(1)) {
        RowKey key = monthKey(s.hotelId(), s.roomType(), YearMonth.from(d));
        Map<String, Object> row =
            changed.computeIfAbsent(key, k -> new HashMap<>(rows.attributes(k)));
        String booked = "b" + Inventory.day(d);
        long after = (row.get(booked) == null ? 0 : (Long) row.get(booked)) + delta;
        // Zero is kept as absent, so a row reads the same whichever order produced it.
        if (after == 0) {
          row.remove(booked);
        } else {
          row.put(booked, after);
        }
      }
    }
    changed.put(holdKey, Map.of("v", version, "held", holds));
    return changes(changed);
  }

  private static List<RowChange> changes(Map<RowKey, Map<String, Object>> changed) {
    List<RowChange> out = new ArrayList<>();
    changed.forEach((key, attributes) -> out.add(new RowChange(key, attributes)));
    return out;
  }

  private List<RowKey> monthKeys(String hotelId, String roomType, LocalDate from, LocalDate to) {
    List<RowKey> keys = new ArrayList<>();
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      RowKey key = monthKey(hotelId, roomType, YearMonth.from(d));
      if (!keys.contains(key)) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** One night of one room type as the read model shows it; {@code rooms} null: not on sale. */
  public record Night(LocalDate date, Long rooms, long booked, Money rate) {}

  /**
   * The nights in [from, to) of every room type of a hotel that has rows there, read from a
   * ledger's table; nights without a row read as not on sale.
   */
  public static Map<String, List<Night>> nights(
      RowStore store,
      String table,
      String hotelId,
      LocalDate from,
      LocalDate to,
      boolean consistent) {
    Map<String, Map<String, Object>> rows = new HashMap<>();
    String after = null;
    RowStore.RowPage page;
    do {
      page =
          store.query(
              new RowStore.RowQuery(
                  table,
                  hotelPk(hotelId),
                  YearMonth.from(from).toString(),
                  YearMonth.from(to.minusDays(1)) + "#~",
                  false,
                  1000,
                  after,
                  consistent));
      page.rows().forEach(row -> rows.put(row.key().sk(), row.attributes()));
      after = page.rows().isEmpty() ? null : page.rows().get(page.rows().size() - 1).key().sk();
    } while (page.more() && after != null);
    Map<String, List<Night>> byType = new TreeMap<>();
    rows.keySet().stream()
        .map(sk -> sk.substring(sk.indexOf('#') + 1))
        .distinct()
        .forEach(type -> byType.put(type, nightsOf(rows, type, from, to)));
    return byType;
  }

  /**
   * The nights in [from, to) of the given room types of many hotels, by hotel id and room type, in
   * one batch of reads: the month rows' keys follow from the hotels, types and months, so no query
   * per hotel is needed. A room type without any row in the range is left out, as {@link
   * #nights(RowStore, String, String, LocalDate, LocalDate, boolean)} leaves it out.
   */
  public static Map<String, Map<String, List<Night>>> nights(
      RowStore store,
      String table,
      Map<String, ? extends Collection<String>> roomTypesByHotel,
      LocalDate from,
      LocalDate to,
      boolean consistent) {
    List<YearMonth> months = new ArrayList<>();
    for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to.minusDays(1))); ) {
      months.add(m);
      m = m.plusMonths(1);
    }
    List<RowKey> keys = new ArrayList<>();
    roomTypesByHotel.forEach(
        (hotelId, types) -> {
          for (String type : types) {
            for (YearMonth m : months) {
              keys.add(new RowKey(table, hotelPk(hotelId), monthSk(m, type)));
            }
          }
        });
    Map<RowKey, Row> found = keys.isEmpty() ? Map.of() : store.get(keys, consistent);
    Map<String, Map<String, List<Night>>> byHotel = new LinkedHashMap<>();
    roomTypesByHotel.forEach(
        (hotelId, types) -> {
          Map<String, Map<String, Object>> rows = new HashMap<>();
          for (String type : types) {
            for (YearMonth m : months) {
              Row row = found.get(new RowKey(table, hotelPk(hotelId), monthSk(m, type)));
              if (row != null) {
                rows.put(monthSk(m, type), row.attributes());
              }
            }
          }
          Map<String, List<Night>> byType = new TreeMap<>();
          for (String type : types) {
            boolean any = months.stream().anyMatch(m -> rows.containsKey(monthSk(m, type)));
            if (any) {
              byType.put(type, nightsOf(rows, type, from, to));
            }
          }
          byHotel.put(hotelId, byType);
        });
    return byHotel;
  }

  /**
   * One room type's nights in [from, to) from its month rows (by sort key); absent: not on sale.
   */
  private static List<Night> nightsOf(
      Map<String, Map<String, Object>> rows, String type, LocalDate from, LocalDate to) {
    List<Night> nights = new ArrayList<>();
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      Map<String, Object> row = rows.getOrDefault(monthSk(YearMonth.from(d), type), Map.of());
      String day = Inventory.day(d);
      Long rooms = (Long) row.get("r" + day);
      Object booked = row.get("b" + day);
      Money rate = null;
      if (row.get("p" + day) != null) {
        rate = new Money(new BigDecimal((String) row.get("p" + day)), (String) row.get("c" + day));
      }
      nights.add(new Night(d, rooms, booked == null ? 0 : (Long) booked, rate));
    }
    return nights;
  }
}
