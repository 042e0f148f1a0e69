package io.innkeeper.rooms;

import io.innkeeper.core.command.Loaded;
import io.innkeeper.core.eventstore.RowUpdate;
import io.innkeeper.core.eventstore.RowUpdate.Guard;
import io.innkeeper.core.eventstore.StateRow;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The half hours a room is taken, one state row per room and day: {@code slots#<roomId>#<date>}
 * with {@code hHHMM} = 1 for each half hour taken. A booking adds 1 to each of its half hours only
 * where the attribute is absent or 0, in the same transaction as its event: two bookings that
 * overlap by one half hour cannot both commit, whatever they read before deciding.
 */
final class Slots {
  private Slots() {}

  static final int MINUTES = 30;

  static String rowKey(String roomId, LocalDate date) {
    return "slots#" + roomId + "#" + date;
  }

  static String attribute(LocalTime halfHour) {
    return String.format("h%02d%02d", halfHour.getHour(), halfHour.getMinute());
  }

  /** The half hours in [from, to). */
  static List<LocalTime> halfHours(LocalTime from, LocalTime to) {
    List<LocalTime> out = new ArrayList<>();
    for (LocalTime t = from; t.isBefore(to); t = t.plusMinutes(MINUTES)) {
      out.add(t);
    }
    return out;
  }

  /** Whether any half hour in [from, to) is taken, as the loaded row shows it. */
  static boolean taken(Loaded loaded, String roomId, LocalDate date, LocalTime from, LocalTime to) {
    StateRow row = loaded.row(rowKey(roomId, date)).orElse(null);
    if (row == null) {
      return false;
    }
    return halfHours(from, to).stream()
        .anyMatch(t -> row.number(attribute(t)) != null && row.number(attribute(t)) > 0);
  }

  /** Takes every half hour in [from, to), each only while it is free. */
  static RowUpdate take(String roomId, LocalDate date, LocalTime from, LocalTime to) {
    return change(roomId, date, from, to, 1, t -> new Guard.AbsentOrAtMost(attribute(t), 0));
  }

  /** Gives back every half hour in [from, to). */
  static RowUpdate release(String roomId, LocalDate date, LocalTime from, LocalTime to) {
    return change(roomId, date, from, to, -1, t -> new Guard.AtLeast(attribute(t), 1));
  }

  private static RowUpdate change(
      String roomId,
      LocalDate date,
      LocalTime from,
      LocalTime to,
      long delta,
      java.util.function.Function<LocalTime, Guard> guard) {
    Map<String, Long> add = new HashMap<>();
    List<Guard> guards = new ArrayList<>();
    for (LocalTime t : halfHours(from, to)) {
      add.put(attribute(t), delta);
      guards.add(guard.apply(t));
    }
    return new RowUpdate(rowKey(roomId, date), Map.of(), add, guards);
  }
}
