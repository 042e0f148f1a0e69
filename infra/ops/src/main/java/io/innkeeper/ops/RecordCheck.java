package io.innkeeper.ops;

import io.innkeeper.core.domain.fixture.RecordChecks;
import io.innkeeper.core.domain.fixture.RecordChecks.Check;
import io.innkeeper.core.eventstore.StateRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The soak's checks over what the system recorded: the events table (events, applied-command
 * markers, state rows) and the commands table (statuses), read whole and strongly consistent once
 * the load has settled; the domain's own checks ({@link RecordChecks}) and the core's. See {@link
 * SoakCommand} for the definitions. Public so that other reliability tests (a crash and restart)
 * judge by the same rules.
 */
public final class RecordCheck {

  private static final int EXAMPLES = 5;

  /**
   * A command a client sent and got a 202 for, with the stream its effect belongs on were it to
   * succeed ({@code reservation#<id>}, {@code hotel#<id>}).
   */
  public record Expected(String commandId, String type, String stream) {}

  /** A command status from the commands table. */
  public record Status(String commandId, String type, String status, String reason) {}

  /** An event item. */
  public record Event(
      String stream, long version, String type, int schemaVersion, String commandId, String data) {}

  /** An applied-command marker: which stream and version the command's append ended at. */
  public record Marker(String commandId, String stream, long version) {}

  /** What was read. */
  public record Snapshot(
      Map<String, Status> statuses,
      List<Event> events,
      Map<String, Marker> markers,
      Map<String, StateRow> stateRows) {}

  private final DynamoDbClient ddb;
  private final String eventsTable;
  private final String commandsTable;
  private final RecordChecks domainChecks;

  /**
   * @param domainChecks the domain's checks, and what each command type appends
   */
  public RecordCheck(
      DynamoDbClient ddb, String eventsTable, String commandsTable, RecordChecks domainChecks) {
    this.ddb = ddb;
    this.eventsTable = eventsTable;
    this.commandsTable = commandsTable;
    this.domainChecks = domainChecks;
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
    Map<String, StateRow> rows = new TreeMap<>();
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
                    Integer.parseInt(item.get("schemaVersion").n()),
                    str(item, "commandId"),
                    str(item, "data")));
          } else if ("command".equals(kind)) {
            String id = pk.substring("command#".length());
            markers.put(
                id, new Marker(id, str(item, "stream"), Long.parseLong(item.get("version").n())));
          } else if ("state".equals(kind)) {
            rows.put(pk, stateRow(pk, item));
          }
        });
    return new Snapshot(statuses, events, markers, rows);
  }

  /** A state row's numbers and strings, as the domain's deciders see them. */
  private static StateRow stateRow(String key, Map<String, AttributeValue> item) {
    Map<String, Object> attributes = new HashMap<>();
    item.forEach(
        (name, value) -> {
          if (value.n() != null) {
            attributes.put(name, Long.parseLong(value.n()));
          } else if (value.s() != null) {
            attributes.put(name, value.s());
          }
        });
    return new StateRow(key, attributes);
  }

  private void scan(String table, Consumer<Map<String, AttributeValue>> each) {
    ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(each);
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  // ---------------------------------------------------------------------------------------------
  // Check 1: the domain's own

  /** The domain's checks of its invariants over the record ({@link RecordChecks#check}). */
  public List<Check> domain(Snapshot s) {
    List<RecordChecks.Event> events = new ArrayList<>();
    for (Event e : s.events()) {
      events.add(
          new RecordChecks.Event(
              e.stream(), e.version(), e.type(), e.schemaVersion(), e.commandId(), e.data()));
    }
    return domainChecks.check(new RecordChecks.Record(events, s.stateRows()));
  }

  // ---------------------------------------------------------------------------------------------
  // Check 2: SUCCEEDED commands whose effect is missing or doubled

  /**
   * For each SUCCEEDED command: its effect is <em>missing</em> when no event carries its id, when
   * there is no applied-command marker for it, when the marker does not point at its last event,
   * when the event is not the one its command type appends, or when it landed on another stream
   * than the one the 202 named (the reservation or hotel id). It is <em>doubled</em> when its id is
   * on more than one set of events: events on two streams, or more events than its type appends
   * (when the domain says it appends one), or an idempotent repeat that the intake answered with a
   * second command id. (Two commands both taking effect on one stream where the domain allows one,
   * such as a reservation placed twice, is the domain's own check.)
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
      } else if (domainChecks.appends(st.type()).isPresent() && evs.size() > 1) {
        isDoubled = true;
        problem = evs.size() + " events";
      } else if (evs.isEmpty()) {
        problem = "no event";
      } else if (marker == null) {
        problem = "no applied-command marker";
      } else {
        Event last = evs.stream().max((a, b) -> Long.compare(a.version(), b.version())).get();
        String wantType = domainChecks.appends(st.type()).orElse(null);
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
    doubled += repeatMismatches;
    Map<String, Long> parts = new java.util.LinkedHashMap<>();
    parts.put("succeeded", succeeded);
    parts.put("missing", missing);
    parts.put("doubled", doubled);
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
