package io.innkeeper.local.soak;

import io.innkeeper.events.Json;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The soak's checks over what the system recorded: the events table (events, applied-command
 * markers, inventory rows) and the commands table (statuses), read whole and strongly consistent
 * once the load has settled. See {@link SoakCommand} for the definitions. Public so that other
 * reliability tests (a crash and restart) judge by the same rules.
 */
public final class RecordCheck {

  /** The event each command type appends when it SUCCEEDS (one event each). */
  static final Map<String, String> EVENT_OF =
      Map.of(
          "RegisterHotel", "HotelRegistered",
          "SetAllotment", "AllotmentSet",
          "BookRoom", "ReservationPlaced",
          "CancelReservation", "ReservationCancelled");

  private static final Pattern NIGHT = Pattern.compile("([rb])(\\d\\d)");
  private static final int EXAMPLES = 5;

  /** One check: its count, the parts it adds up, and a few examples of what failed. */
  public record Check(String name, long count, Map<String, Long> parts, List<String> examples) {
    public boolean passed() {
      return count == 0;
    }
  }

  /**
   * A command a client sent and got a 202 for, with the stream its effect belongs on were it to
   * succeed ({@code reservation#<id>}, {@code hotel#<id>}).
   */
  public record Expected(String commandId, String type, String stream) {}

  /** A command status from the commands table. */
  public record Status(String commandId, String type, String status, String reason) {}

  /** An event item. */
  public record Event(String stream, long version, String type, String commandId, String data) {}

  /** An applied-command marker: which stream and version the command's append ended at. */
  public record Marker(String commandId, String stream, long version) {}

  /** What was read. */
  public record Snapshot(
      Map<String, Status> statuses,
      List<Event> events,
      Map<String, Marker> markers,
      Map<String, Map<String, AttributeValue>> inventoryRows) {}

  private final DynamoDbClient ddb;
  private final String eventsTable;
  private final String commandsTable;

  public RecordCheck(DynamoDbClient ddb, String eventsTable, String commandsTable) {
    this.ddb = ddb;
    this.eventsTable = eventsTable;
    this.commandsTable = commandsTable;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** Reads both tables whole, strongly consistent. */
  public Snapshot read() {
    Map<String, Status> statuses = new HashMap<>();
    scan(
        commandsTable,
        item -> {
          String pk = item.get("pk").s();
          if (!pk.startsWith("command#")) {
            return; // idempotency records
          }
          statuses.put(
              pk.substring("command#".length()),
              new Status(
                  pk.substring("command#".length()),
                  str(item, "type"),
                  str(item, "status"),
                  str(item, "reason")));
        });
    List<Event> events = new ArrayList<>();
    Map<String, Marker> markers = new HashMap<>();
    Map<String, Map<String, AttributeValue>> rows = new TreeMap<>();
    scan(
        eventsTable,
        item -> {
          String kind = str(item, "kind");
          String pk = item.get("pk").s();
          if ("event".equals(kind)) {
            events.add(
                new Event(
                    pk,
                    Long.parseLong(item.get("sk").n()),
                    str(item, "type"),
                    str(item, "commandId"),
                    str(item, "data")));
          } else if ("command".equals(kind)) {
            String id = pk.substring("command#".length());
            markers.put(
                id, new Marker(id, str(item, "stream"), Long.parseLong(item.get("version").n())));
          } else if ("state".equals(kind) && pk.startsWith("inventory#")) {
            rows.put(pk, item);
          }
        });
    return new Snapshot(statuses, events, markers, rows);
  }

  private void scan(String table, Consumer<Map<String, AttributeValue>> each) {
    ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(each);
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  // ---------------------------------------------------------------------------------------------
  // Check 1: overbooked nights

  /** A night of one hotel's room type. */
  private record Night(String hotelId, String roomType, LocalDate date)
      implements Comparable<Night> {
    @Override
    public int compareTo(Night o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return hotelId + "/" + roomType + "/" + date;
    }
  }

  /**
   * A night fails when its inventory row has {@code bDD > rDD} (a missing {@code rDD} counts as 0
   * rooms), when the record's live reservations for it (ReservationPlaced minus
   * ReservationCancelled, over every reservation stream) exceed the rooms the record gives it (the
   * last AllotmentSet covering it, in hotel stream order), or when the row disagrees with the
   * record on either number: the guard that refuses the 'one room too many' works on the row, so a
   * row that miscounts is overbooking waiting to happen (or a room lost to sale).
   */
  public Check overbooked(Snapshot s) {
    Map<Night, Long> rowRooms = new HashMap<>();
    Map<Night, Long> rowBooked = new HashMap<>();
    for (var row : s.inventoryRows().entrySet()) {
      String[] parts = row.getKey().split("#");
      if (parts.length != 4) {
        continue;
      }
      YearMonth month = YearMonth.parse(parts[3]);
      for (var attribute : row.getValue().entrySet()) {
        Matcher m = NIGHT.matcher(attribute.getKey());
        if (!m.matches() || attribute.getValue().n() == null) {
          continue;
        }
        Night night = new Night(parts[1], parts[2], month.atDay(Integer.parseInt(m.group(2))));
        long value = Long.parseLong(attribute.getValue().n());
        (m.group(1).equals("r") ? rowRooms : rowBooked).put(night, value);
      }
    }
    Map<Night, Long> recordRooms = new HashMap<>();
    Map<Night, Long> recordBooked = new HashMap<>();
    List<Event> ordered = new ArrayList<>(s.events());
    ordered.sort(
        (a, b) ->
            a.stream().equals(b.stream())
                ? Long.compare(a.version(), b.version())
                : a.stream().compareTo(b.stream()));
    for (Event e : ordered) {
      switch (e.type()) {
        case "AllotmentSet" -> {
          Map<String, Object> d = Json.parseObject(e.data());
          long rooms = ((Number) d.get("rooms")).longValue();
          forEachNight(d, "from", "to", n -> recordRooms.put(n, rooms));
        }
        case "ReservationPlaced" ->
            forEachNight(
                Json.parseObject(e.data()),
                "checkIn",
                "checkOut",
                n -> recordBooked.merge(n, 1L, Long::sum));
        case "ReservationCancelled" ->
            forEachNight(
                Json.parseObject(e.data()),
                "checkIn",
                "checkOut",
                n -> recordBooked.merge(n, -1L, Long::sum));
        default -> {}
      }
    }
    Set<Night> nights = new TreeSet<>();
    nights.addAll(rowRooms.keySet());
    nights.addAll(rowBooked.keySet());
    nights.addAll(recordRooms.keySet());
    nights.addAll(recordBooked.keySet());
    long rowOver = 0;
    long recordOver = 0;
    long disagree = 0;
    long failing = 0;
    List<String> examples = new ArrayList<>();
    for (Night n : nights) {
      Long rr = rowRooms.get(n);
      long rb = rowBooked.getOrDefault(n, 0L);
      Long cr = recordRooms.get(n);
      long cb = recordBooked.getOrDefault(n, 0L);
      boolean a = rb > (rr == null ? 0 : rr);
      boolean b = cb > (cr == null ? 0 : cr);
      boolean c = !Objects.equals(rr, cr) || rb != cb;
      rowOver += a ? 1 : 0;
      recordOver += b ? 1 : 0;
      disagree += c ? 1 : 0;
      if (a || b || c) {
        failing++;
        if (examples.size() < EXAMPLES) {
          examples.add(
              n
                  + ": row rooms "
                  + rr
                  + " booked "
                  + rb
                  + "; record rooms "
                  + cr
                  + " live reservations "
                  + cb);
        }
      }
    }
    Map<String, Long> parts = new java.util.LinkedHashMap<>();
    parts.put("nights checked", (long) nights.size());
    parts.put("rows with bDD > rDD", rowOver);
    parts.put("record: live reservations > rooms", recordOver);
    parts.put("rows disagreeing with the record", disagree);
    return new Check("overbooked nights", failing, parts, examples);
  }

  private static void forEachNight(
      Map<String, Object> data, String fromField, String toField, Consumer<Night> each) {
    String hotelId = (String) data.get("hotelId");
    String roomType = (String) data.get("roomType");
    LocalDate to = LocalDate.parse((String) data.get(toField));
    for (LocalDate d = LocalDate.parse((String) data.get(fromField));
        d.isBefore(to);
        d = d.plusDays(1)) {
      each.accept(new Night(hotelId, roomType, d));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Check 2: SUCCEEDED commands whose effect is missing or doubled

  /**
   * For each SUCCEEDED command: its effect is <em>missing</em> when no event carries its id, when
   * there is no applied-command marker for it, when the marker does not point at its last event,
   * when the event is not the one its command type appends, or when it landed on another stream
   * than the one the 202 named (the reservation or hotel id). It is <em>doubled</em> when its id is
   * on more than one set of events: events on two streams, or more events than its type appends
   * (each appends one), or an idempotent repeat that the intake answered with a second command id,
   * or a reservation stream placed or cancelled twice (two commands both "succeeding" at it).
   */
  public Check effects(Snapshot s, Collection<Expected> expected, long repeatMismatches) {
    Map<String, List<Event>> byCommand = byCommand(s.events());
    Map<String, String> expectedStream = new HashMap<>();
    expected.forEach(e -> expectedStream.put(e.commandId(), e.stream()));
    long missing = 0;
    long doubled = 0;
    long succeeded = 0;
    List<String> examples = new ArrayList<>();
    for (Status st : s.statuses().values()) {
      if (!"SUCCEEDED".equals(st.status())) {
        continue;
      }
      succeeded++;
      List<Event> evs = byCommand.getOrDefault(st.commandId(), List.of());
      Marker marker = s.markers().get(st.commandId());
      String problem = null;
      boolean isDoubled = false;
      Set<String> streams = new HashSet<>();
      evs.forEach(e -> streams.add(e.stream()));
      if (streams.size() > 1) {
        isDoubled = true;
        problem = "events on " + streams.size() + " streams " + streams;
      } else if (EVENT_OF.containsKey(st.type()) && evs.size() > 1) {
        isDoubled = true;
        problem = evs.size() + " events";
      } else if (evs.isEmpty()) {
        problem = "no event";
      } else if (marker == null) {
        problem = "no applied-command marker";
      } else {
        Event last = evs.stream().max((a, b) -> Long.compare(a.version(), b.version())).get();
        String wantType = EVENT_OF.get(st.type());
        String wantStream = expectedStream.get(st.commandId());
        if (!marker.stream().equals(last.stream()) || marker.version() != last.version()) {
          problem =
              "marker at "
                  + marker.stream()
                  + "@"
                  + marker.version()
                  + ", last event at "
                  + last.stream()
                  + "@"
                  + last.version();
        } else if (wantType != null && !evs.stream().allMatch(e -> e.type().equals(wantType))) {
          problem = "appended " + evs.stream().map(Event::type).toList() + ", not " + wantType;
        } else if (wantStream != null && !wantStream.equals(last.stream())) {
          problem = "effect on " + last.stream() + ", not on " + wantStream;
        }
      }
      if (problem != null) {
        if (isDoubled) {
          doubled++;
        } else {
          missing++;
        }
        if (examples.size() < EXAMPLES) {
          examples.add(st.type() + " " + st.commandId() + ": " + problem);
        }
      }
    }
    // Two commands that both took a reservation, or both gave it back.
    long twice = 0;
    Map<String, Map<String, Integer>> perStream = new HashMap<>();
    for (Event e : s.events()) {
      if (e.stream().startsWith("reservation#")) {
        perStream
            .computeIfAbsent(e.stream(), k -> new HashMap<>())
            .merge(e.type(), 1, Integer::sum);
      }
    }
    for (var stream : perStream.entrySet()) {
      for (var count : stream.getValue().entrySet()) {
        if (count.getValue() > 1) {
          twice += count.getValue() - 1;
          if (examples.size() < EXAMPLES) {
            examples.add(stream.getKey() + ": " + count.getValue() + " x " + count.getKey());
          }
        }
      }
    }
    doubled += twice + repeatMismatches;
    Map<String, Long> parts = new java.util.LinkedHashMap<>();
    parts.put("succeeded", succeeded);
    parts.put("missing", missing);
    parts.put("doubled", doubled);
    parts.put("of which reservations placed/cancelled twice", twice);
    parts.put("of which idempotent repeats given a second command id", repeatMismatches);
    return new Check(
        "SUCCEEDED commands whose effect is missing or doubled",
        missing + doubled,
        parts,
        examples);
  }

  private static Map<String, List<Event>> byCommand(List<Event> events) {
    Map<String, List<Event>> byCommand = new HashMap<>();
    for (Event e : events) {
      byCommand.computeIfAbsent(e.commandId(), k -> new ArrayList<>()).add(e);
    }
    return byCommand;
  }

  // ---------------------------------------------------------------------------------------------
  // Check 3: REJECTED or FAILED commands that left a trace

  /**
   * A REJECTED or FAILED command leaves a trace when any event or applied-command marker carries
   * its id. Events whose command has no status at all are counted here too: an effect nobody asked
   * for. (Inventory rows carry no command id: a rejected command that moved a row shows in the
   * first check, as a row disagreeing with the record.)
   */
  public Check traces(Snapshot s) {
    Map<String, List<Event>> byCommand = byCommand(s.events());
    long rejectedOrFailed = 0;
    long traced = 0;
    List<String> examples = new ArrayList<>();
    for (Status st : s.statuses().values()) {
      if (!"REJECTED".equals(st.status()) && !"FAILED".equals(st.status())) {
        continue;
      }
      rejectedOrFailed++;
      int events = byCommand.getOrDefault(st.commandId(), List.of()).size();
      boolean marker = s.markers().containsKey(st.commandId());
      if (events > 0 || marker) {
        traced++;
        if (examples.size() < EXAMPLES) {
          examples.add(
              st.type()
                  + " "
                  + st.commandId()
                  + " "
                  + st.status()
                  + " "
                  + st.reason()
                  + ": "
                  + events
                  + " event(s)"
                  + (marker ? ", applied marker" : ""));
        }
      }
    }
    Set<String> unknown = new TreeSet<>(byCommand.keySet());
    unknown.addAll(s.markers().keySet());
    unknown.removeAll(s.statuses().keySet());
    for (String id : unknown) {
      if (examples.size() < EXAMPLES) {
        examples.add("command " + id + " has events or a marker but no status");
      }
    }
    Map<String, Long> parts = new java.util.LinkedHashMap<>();
    parts.put("rejected or failed", rejectedOrFailed);
    parts.put("with events or a marker", traced);
    parts.put("effects of commands without a status", (long) unknown.size());
    return new Check(
        "REJECTED or FAILED commands that left a trace", traced + unknown.size(), parts, examples);
  }

  // ---------------------------------------------------------------------------------------------
  // Check 5: commands still PENDING

  /**
   * Every status still PENDING once the settle budget ran out (whoever sent it: a request the
   * client gave up on counts too), and every command answered 202 that has no status at all.
   */
  public Check pending(Snapshot s, Collection<String> acceptedIds) {
    Map<String, List<Event>> byCommand = byCommand(s.events());
    long pending = 0;
    long pendingApplied = 0;
    List<String> examples = new ArrayList<>();
    for (Status st : s.statuses().values()) {
      if ("PENDING".equals(st.status())) {
        pending++;
        boolean applied = byCommand.containsKey(st.commandId());
        pendingApplied += applied ? 1 : 0;
        if (examples.size() < EXAMPLES) {
          examples.add(
              st.type()
                  + " "
                  + st.commandId()
                  + " PENDING"
                  + (applied ? " (its events are in the record)" : ""));
        }
      }
    }
    long lost = 0;
    for (String id : acceptedIds) {
      if (!s.statuses().containsKey(id)) {
        lost++;
        if (examples.size() < EXAMPLES) {
          examples.add("command " + id + " was accepted (202) but has no status");
        }
      }
    }
    Map<String, Long> parts = new java.util.LinkedHashMap<>();
    parts.put("pending", pending);
    parts.put("of which already applied", pendingApplied);
    parts.put("accepted without a status", lost);
    return new Check(
        "commands still PENDING past the retry budget", pending + lost, parts, examples);
  }

  /** Statuses by "type status [reason]", from the commands table. */
  public static Map<String, Long> outcomes(Snapshot s) {
    Map<String, Long> counts = new TreeMap<>();
    for (Status st : s.statuses().values()) {
      String key = st.type() + " " + st.status() + (st.reason() == null ? "" : " " + st.reason());
      counts.merge(key, 1L, Long::sum);
    }
    return counts;
  }
}
