package io.innkeeper.hotel.inventory;

import io.innkeeper.core.command.Loaded;
import io.innkeeper.core.eventstore.RowUpdate;
import io.innkeeper.core.eventstore.RowUpdate.Guard;
import io.innkeeper.core.eventstore.StateRow;
import io.innkeeper.events.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rooms on sale and booked, per hotel, room type and night, kept in state rows of one month each:
 * {@code inventory#<hotelId>#<roomType>#<YYYY-MM>} with {@code rDD} (rooms), {@code bDD} (booked),
 * {@code pDD} (rate amount) and {@code cDD} (rate currency) for day {@code DD}.
 *
 * <p>Month rows keep every command inside DynamoDB's transaction limit: a 30-night stay touches at
 * most 3 rows, a 366-night allotment at most 13. The guards make the rows the final word: a booking
 * adds 1 to {@code bDD} only while {@code bDD < rDD}, whatever was read before deciding, so no
 * night is ever sold beyond its allotment.
 */
public final class Inventory {
  private Inventory() {}

  /** One night of one room type. {@code rooms} is null when the night has no allotment. */
  public record Night(LocalDate date, Long rooms, long booked, Money rate) {
    public boolean onSale() {
      return rooms != null;
    }

    public boolean hasFreeRoom() {
      return rooms != null && booked < rooms;
    }
  }

  /**
   * The FIFO message group of commands on one room type's inventory: bookings and allotments of a
   * room type are handed to the handler one at a time, so they rarely conflict.
   */
  public static String group(String hotelId, String roomType) {
    return "inventory#" + hotelId + "#" + roomType;
  }

  /** What every inventory row's key starts with. */
  public static final String ROW_PREFIX = "inventory#";

  public static String rowKey(String hotelId, String roomType, YearMonth month) {
    return ROW_PREFIX + hotelId + "#" + roomType + "#" + month;
  }

  static String day(LocalDate date) {
    int d = date.getDayOfMonth();
    return d < 10 ? "0" + d : Integer.toString(d);
  }

  public static String rooms(LocalDate date) {
    return "r" + day(date);
  }

  public static String booked(LocalDate date) {
    return "b" + day(date);
  }

  static String rateAmount(LocalDate date) {
    return "p" + day(date);
  }

  static String rateCurrency(LocalDate date) {
    return "c" + day(date);
  }

  /** The keys of the month rows holding the nights in [from, to). */
  public static Set<String> rowKeys(String hotelId, String roomType, LocalDate from, LocalDate to) {
    Set<String> keys = new LinkedHashSet<>();
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      keys.add(rowKey(hotelId, roomType, YearMonth.from(d)));
    }
    return keys;
  }

  /** The nights in [from, to) as the loaded rows show them. */
  public static List<Night> nights(
      Loaded loaded, String hotelId, String roomType, LocalDate from, LocalDate to) {
    List<Night> nights = new ArrayList<>();
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      StateRow row = loaded.row(rowKey(hotelId, roomType, YearMonth.from(d))).orElse(null);
      Long rooms = row == null ? null : row.number(rooms(d));
      long booked = row == null || row.number(booked(d)) == null ? 0 : row.number(booked(d));
      Money rate = null;
      if (rooms != null && row.string(rateAmount(d)) != null) {
        rate = new Money(new BigDecimal(row.string(rateAmount(d))), row.string(rateCurrency(d)));
      }
      nights.add(new Night(d, rooms, booked, rate));
    }
    return nights;
  }

  /** Sets rooms and rate for every night in [from, to), refused where more are booked already. */
  public static List<RowUpdate> allot(
      String hotelId, String roomType, LocalDate from, LocalDate to, int rooms, Money rate) {
    return perMonth(
        hotelId,
        roomType,
        from,
        to,
        (d, set, add, guards) -> {
          set.put(rooms(d), (long) rooms);
          set.put(rateAmount(d), rate.amount().toPlainString());
          set.put(rateCurrency(d), rate.currency());
          add.put(booked(d), 0L); // creates bDD = 0 where absent, so bookings can compare
          guards.add(new Guard.AbsentOrAtMost(booked(d), rooms));
        });
  }

  /** Takes one room on every night in [from, to), each only while one is free. */
  public static List<RowUpdate> take(
      String hotelId, String roomType, LocalDate from, LocalDate to) {
    return perMonth(
        hotelId,
        roomType,
        from,
        to,
        (d, set, add, guards) -> {
          add.put(booked(d), 1L);
          guards.add(new Guard.Less(booked(d), rooms(d)));
        });
  }

  /** Gives back one room on every night in [from, to). */
  public static List<RowUpdate> release(
      String hotelId, String roomType, LocalDate from, LocalDate to) {
    return perMonth(
        hotelId,
        roomType,
        from,
        to,
        (d, set, add, guards) -> {
          add.put(booked(d), -1L);
          guards.add(new Guard.AtLeast(booked(d), 1));
        });
  }

  private interface NightChange {
    void apply(LocalDate date, Map<String, Object> set, Map<String, Long> add, List<Guard> guards);
  }

  private static List<RowUpdate> perMonth(
      String hotelId, String roomType, LocalDate from, LocalDate to, NightChange change) {
    Map<YearMonth, List<LocalDate>> months = new LinkedHashMap<>();
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      months.computeIfAbsent(YearMonth.from(d), m -> new ArrayList<>()).add(d);
    }
    List<RowUpdate> updates = new ArrayList<>();
    months.forEach(
        (month, days) -> {
          Map<String, Object> set = new HashMap<>();
          Map<String, Long> add = new HashMap<>();
          List<Guard> guards = new ArrayList<>();
          days.forEach(d -> change.apply(d, set, add, guards));
          updates.add(new RowUpdate(rowKey(hotelId, roomType, month), set, add, guards));
        });
    return updates;
  }
}
