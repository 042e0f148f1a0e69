package io.innkeeper.local.status;

import io.innkeeper.core.obs.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the functions running in this JVM said lately, gathered from their log lines as they are
 * written: the last commands and how they ended, and when each projection last applied an event.
 * Reading the lines keeps the functions unaware of the local runtime; they log exactly as on AWS.
 */
final class Activity implements AutoCloseable {
  private final int capacity;
  private final LinkedHashMap<String, Map<String, Object>> commands = new LinkedHashMap<>();
  private final Map<String, Projected> projections = new TreeMap<>();
  private Projected published;
  private final Map<String, Projected> subscribers = new TreeMap<>();
  private final Runnable unsubscribe;

  /** The last event one projection applied. */
  private record Projected(
      long events,
      String stream,
      long version,
      Instant occurredAt,
      Instant appliedAt,
      long lagMs) {}

  /**
   * @param capacity how many commands to remember, newest kept
   */
  Activity(int capacity) {
    this.capacity = capacity;
    this.unsubscribe = Log.subscribe(this::seen);
  }

  private synchronized void seen(Log.Entry e) {
    switch (e.msg()) {
      case "command accepted" -> {
        Map<String, Object> c = command(e.string("commandId"));
        c.put("type", e.string("commandType"));
        c.putIfAbsent("status", "PENDING");
        c.put("acceptedAt", e.at().toString());
        c.put("requestId", e.string("requestId"));
      }
      case "command decided", "command failed" -> {
        Map<String, Object> c = command(e.string("commandId"));
        c.put("type", e.string("commandType"));
        c.put("status", e.string("status"));
        c.put("reason", e.string("reason"));
        c.putIfAbsent("acceptedAt", e.string("acceptedAt"));
        c.put("completedAt", e.at().toString());
        c.putIfAbsent("requestId", e.string("requestId"));
        if (e.fields().get("stream") != null) {
          c.put("stream", e.string("stream"));
        }
        if (e.fields().get("version") != null) {
          c.put("version", e.fields().get("version"));
        }
      }
      case "event projected" -> {
        Object names = e.fields().get("projections");
        if (names instanceof List<?> list) {
          for (Object name : list) {
            Projected before = projections.get(name.toString());
            projections.put(
                name.toString(),
                new Projected(
                    before == null ? 1 : before.events() + 1,
                    e.string("stream"),
                    ((Number) e.fields().get("version")).longValue(),
                    Instant.parse(e.string("occurredAt")),
                    e.at(),
                    ((Number) e.fields().get("lagMs")).longValue()));
          }
        }
      }
      case "event published" -> {
        published = next(published, e, e.string("stream"), e.fields().get("version"));
      }
      case "event applied" -> {
        String service = e.string("subscriber");
        subscribers.put(
            service,
            next(subscribers.get(service), e, e.string("subject"), e.fields().get("sequence")));
      }
      default -> {}
    }
  }

  private static Projected next(Projected before, Log.Entry e, String stream, Object version) {
    long lag = ((Number) e.fields().get("lagMs")).longValue();
    return new Projected(
        before == null ? 1 : before.events() + 1,
        stream,
        ((Number) version).longValue(),
        e.at().minusMillis(lag),
        e.at(),
        lag);
  }

  /** The publisher: events published since start, and the last one with its lag. */
  synchronized Map<String, Object> publisher(Instant now) {
    return published == null
        ? Map.of("eventsPublished", 0L)
        : describe(published, now, "eventsPublished");
  }

  /** Per subscriber service: events applied since start, and the last one with its lag. */
  synchronized Map<String, Object> subscribers(Instant now) {
    Map<String, Object> out = new TreeMap<>();
    subscribers.forEach((name, p) -> out.put(name, describe(p, now, "eventsApplied")));
    return out;
  }

  private static Map<String, Object> describe(Projected p, Instant now, String count) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(count, p.events());
    m.put("lastStream", p.stream());
    m.put("lastVersion", p.version());
    m.put("lastEventOccurredAt", p.occurredAt().toString());
    m.put("lastAt", p.appliedAt().toString());
    m.put("lastLagMs", p.lagMs());
    m.put("sinceLastMs", Math.max(0, Duration.between(p.appliedAt(), now).toMillis()));
    return m;
  }

  /** The command's entry, moved to the newest end; the oldest is dropped past capacity. */
  private Map<String, Object> command(String commandId) {
    Map<String, Object> c = commands.remove(commandId);
    if (c == null) {
      c = new LinkedHashMap<>();
      c.put("commandId", commandId);
    }
    commands.put(commandId, c);
    while (commands.size() > capacity) {
      commands.remove(commands.keySet().iterator().next());
    }
    return c;
  }

  /** The remembered commands, newest first, without empty fields. */
  synchronized List<Map<String, Object>> recentCommands() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> c : commands.values()) {
      Map<String, Object> copy = new LinkedHashMap<>();
      c.forEach(
          (k, v) -> {
            if (v != null) {
              copy.put(k, v);
            }
          });
      out.add(0, copy);
    }
    return out;
  }

  /** Per projection: events applied since start, and the last one with its lag. */
  synchronized Map<String, Object> projections(Instant now) {
    Map<String, Object> out = new TreeMap<>();
    projections.forEach(
        (name, p) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("eventsApplied", p.events());
          m.put("lastStream", p.stream());
          m.put("lastVersion", p.version());
          m.put("lastEventOccurredAt", p.occurredAt().toString());
          m.put("lastAppliedAt", p.appliedAt().toString());
          m.put("lastLagMs", p.lagMs());
          m.put("sinceLastAppliedMs", Math.max(0, Duration.between(p.appliedAt(), now).toMillis()));
          out.put(name, m);
        });
    return out;
  }

  @Override
  public void close() {
    unsubscribe.run();
  }
}
