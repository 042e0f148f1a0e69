package io.innkeeper.local.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the local runtime saw happen, kept for its console: each command's journey as a list of
 * timed steps (accepted, received, decided, recorded, projected, visible, published, and the
 * retries, parked records and dead letters on the way), the notable things that belong to no one
 * command (chaos injections, parked records, dead letters), and each projection's and subscriber's
 * lag per second.
 *
 * <p>Memory is bounded: the newest {@value #MAX_JOURNEYS} journeys of at most {@value #MAX_STEPS}
 * steps each, the newest {@value #MAX_NOTES} notes and {@value #SERIES_SECONDS} seconds of each lag
 * series. What falls off is counted, never kept.
 *
 * <p>Thread-safe. Listeners hear each change as a message (a map ready to be sent as JSON), on the
 * thread that made it; they must be quick.
 */
public final class Journal {

  /** Journeys kept, newest first; the oldest is forgotten past this. */
  public static final int MAX_JOURNEYS = 200;

  /** Steps kept per journey; later ones are counted, not kept. */
  public static final int MAX_STEPS = 150;

  /** Notes kept. */
  public static final int MAX_NOTES = 200;

  /** Seconds of each lag series kept. */
  public static final int SERIES_SECONDS = 300;

  /** Streams remembered, with their last few versions, to tie later sightings to a command. */
  static final int MAX_STREAMS = 4000;

  private static final int VERSIONS_PER_STREAM = 8;

  /**
   * One step of a journey.
   *
   * @param at when it happened
   * @param kind what it is: {@code accepted}, {@code received}, {@code decided}, ...
   * @param where the part of the system it happened in (a function, a queue, the event bus)
   * @param title one line for a person
   * @param detail the figures behind it
   * @param problem whether it is a rejection, a failure, a retry or a fault
   */
  public record Step(
      Instant at,
      String kind,
      String where,
      String title,
      Map<String, Object> detail,
      boolean problem) {

    public Step {
      detail = detail == null ? Map.of() : new LinkedHashMap<>(detail);
    }

    Map<String, Object> toMap(Instant origin) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", at.toString());
      m.put("offsetMs", origin == null ? 0 : Duration.between(origin, at).toMillis());
      m.put("kind", kind);
      m.put("where", where);
      m.put("title", title);
      m.put("problem", problem);
      m.put("detail", detail);
      return m;
    }
  }

  private static final class Journey {
    final String id;
    final Map<String, Object> summary = new LinkedHashMap<>();
    final List<Step> steps = new ArrayList<>();
    final Map<String, Integer> once = new LinkedHashMap<>();
    Instant firstAt;
    Instant lastAt;
    int dropped;

    Journey(String id) {
      this.id = id;
    }

    Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.putAll(summary);
      m.put("firstAt", firstAt == null ? null : firstAt.toString());
      m.put("lastAt", lastAt == null ? null : lastAt.toString());
      m.put("steps", steps.size() + dropped);
      m.put("problems", steps.stream().filter(Step::problem).count());
      return m;
    }

    Map<String, Object> full() {
      Map<String, Object> m = summary();
      List<Map<String, Object>> list = new ArrayList<>();
      steps.stream()
          .sorted(java.util.Comparator.comparing(Step::at))
          .forEach(s -> list.add(s.toMap(firstAt)));
      m.put("journey", list);
      m.put("droppedSteps", dropped);
      return m;
    }
  }

  /** A version of a stream and the command that wrote it. */
  private record Written(long version, String commandId, Instant at) {}

  private final LinkedHashMap<String, Journey> journeys = new LinkedHashMap<>();
  private final LinkedHashMap<String, Deque<Written>> streams =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Written>> eldest) {
          return size() > MAX_STREAMS;
        }
      };

  /**
   * Steps of a write whose writer is not known yet, by stream. The stream's readers report a write
   * when their invocation ends, and by then the event bus may already have delivered the event and
   * a subscriber handled it; such a step waits here for {@link #wrote}.
   */
  private final LinkedHashMap<String, List<Held>> held =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Held>> eldest) {
          return size() > MAX_JOURNEYS;
        }
      };

  /** A step held for its writer: of {@code version}, or ({@code null}) the last write by then. */
  private record Held(Long version, Step step, String once) {}

  private final Deque<Map<String, Object>> notes = new ArrayDeque<>();
  private final Map<String, long[]> series = new TreeMap<>();
  private final Map<String, Long> seriesSecond = new TreeMap<>();
  private final List<Consumer<Map<String, Object>>> listeners = new CopyOnWriteArrayList<>();
  private long forgottenJourneys;
  private long forgottenNotes;

  /**
   * Adds a step to a command's journey, creating the journey if it is new.
   *
   * @param once a key that makes the step unique in its journey: a second step with the same key is
   *     merged into the first (its details added, the earlier time kept); {@code null} for a step
   *     that may happen many times (a delivery, a retry)
   */
  public void step(String journeyId, Step step, String once) {
    Map<String, Object> message;
    synchronized (this) {
      Journey j = open(journeyId);
      Step added = step;
      Integer at = once == null ? null : j.once.get(once);
      if (at != null) {
        Step before = j.steps.get(at);
        Map<String, Object> detail = new LinkedHashMap<>(before.detail());
        step.detail().forEach(detail::putIfAbsent);
        added =
            new Step(
                before.at().isBefore(step.at()) ? before.at() : step.at(),
                before.kind(),
                before.where(),
                before.title(),
                detail,
                before.problem() || step.problem());
        j.steps.set(at, added);
      } else if (j.steps.size() >= MAX_STEPS) {
        j.dropped++;
        return;
      } else {
        j.steps.add(step);
        if (once != null) {
          j.once.put(once, j.steps.size() - 1);
        }
      }
      if (j.firstAt == null || added.at().isBefore(j.firstAt)) {
        j.firstAt = added.at();
      }
      if (j.lastAt == null || added.at().isAfter(j.lastAt)) {
        j.lastAt = added.at();
      }
      message = new LinkedHashMap<>();
      message.put("type", "step");
      message.put("journey", j.summary());
      message.put("step", added.toMap(j.firstAt));
    }
    tell(message);
  }

  /** Sets fields of a journey's summary (type, route, caller, status, ...); {@code null}s skip. */
  public void describe(String journeyId, Map<String, Object> fields) {
    Map<String, Object> message;
    synchronized (this) {
      Journey j = open(journeyId);
      boolean changed = false;
      for (Map.Entry<String, Object> f : fields.entrySet()) {
        if (f.getValue() != null && !f.getValue().equals(j.summary.get(f.getKey()))) {
          j.summary.put(f.getKey(), f.getValue());
          changed = true;
        }
      }
      if (!changed) {
        return;
      }
      message = new LinkedHashMap<>();
      message.put("type", "journey");
      message.put("journey", j.summary());
    }
    tell(message);
  }

  /** Whether a journey is known (a command this runtime has seen). */
  public synchronized boolean knows(String journeyId) {
    return journeys.containsKey(journeyId);
  }

  private Journey open(String id) {
    Journey j = journeys.get(id);
    if (j == null) {
      j = new Journey(id);
      journeys.put(id, j);
      while (journeys.size() > MAX_JOURNEYS) {
        Iterator<String> oldest = journeys.keySet().iterator();
        oldest.next();
        oldest.remove();
        forgottenJourneys++;
      }
    }
    return j;
  }

  /**
   * Remembers that {@code commandId} wrote {@code version} of {@code stream}, and adds the steps
   * that were held for that write ({@link #stepOfWrite}).
   */
  public void wrote(String stream, long version, String commandId, Instant at) {
    List<Held> resolved = new ArrayList<>();
    synchronized (this) {
      Deque<Written> versions = streams.computeIfAbsent(stream, s -> new ArrayDeque<>());
      if (versions.stream().anyMatch(w -> w.version() == version)) {
        return;
      }
      versions.addLast(new Written(version, commandId, at));
      while (versions.size() > VERSIONS_PER_STREAM) {
        versions.removeFirst();
      }
      List<Held> waiting = held.get(stream);
      if (waiting != null) {
        waiting.removeIf(h -> (h.version() == null || h.version() == version) && resolved.add(h));
        if (waiting.isEmpty()) {
          held.remove(stream);
        }
      }
    }
    resolved.forEach(h -> step(commandId, h.step(), h.once()));
  }

  /**
   * Adds a step to the journey of the command that wrote {@code version} of {@code stream} (or, for
   * a {@code null} version or an older one no longer remembered, that last wrote it by {@code at}).
   * When that write is not known yet (a version beyond the remembered ones, or a stream with none),
   * the step is held until {@link #wrote} reports it.
   */
  public void stepOfWrite(String stream, Long version, Instant at, Step step, String once) {
    Optional<String> writer;
    synchronized (this) {
      writer = version == null ? Optional.empty() : writer(stream, version);
      Deque<Written> versions = streams.get(stream);
      boolean ahead =
          version != null
              && (versions == null || versions.stream().allMatch(w -> w.version() < version));
      if (writer.isEmpty() && !ahead) {
        writer = lastWriter(stream, at);
      }
      if (writer.isEmpty()) {
        List<Held> waiting = held.computeIfAbsent(stream, s -> new ArrayList<>());
        if (waiting.size() < MAX_STEPS) {
          waiting.add(new Held(version, step, once));
        }
        return;
      }
    }
    step(writer.get(), step, once);
  }

  /** The command that wrote {@code version} of {@code stream}, if remembered. */
  public synchronized Optional<String> writer(String stream, long version) {
    Deque<Written> versions = streams.get(stream);
    if (versions != null) {
      for (Written w : versions) {
        if (w.version() == version) {
          return Optional.of(w.commandId());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The command that last wrote {@code stream} no later than {@code at} (or the first one, when all
   * came later: clocks of different parts differ by milliseconds), if remembered.
   */
  public synchronized Optional<String> lastWriter(String stream, Instant at) {
    Deque<Written> versions = streams.get(stream);
    if (versions == null || versions.isEmpty()) {
      return Optional.empty();
    }
    Written best = versions.peekFirst();
    for (Written w : versions) {
      if (!w.at().isAfter(at) && w.version() >= best.version()) {
        best = w;
      }
    }
    return Optional.of(best.commandId());
  }

  /** Adds a note: something notable that is no one command's, or every command's concern. */
  public void note(String kind, Instant at, String title, Map<String, Object> detail) {
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("kind", kind);
    note.put("at", at.toString());
    note.put("title", title);
    note.put("detail", detail == null ? Map.of() : new LinkedHashMap<>(detail));
    synchronized (this) {
      notes.addFirst(note);
      while (notes.size() > MAX_NOTES) {
        notes.removeLast();
        forgottenNotes++;
      }
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", "note");
    message.put("note", note);
    tell(message);
  }

  /** The notes, newest first; of one kind, or all when {@code kind} is {@code null}. */
  public synchronized List<Map<String, Object>> notes(String kind) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> n : notes) {
      if (kind == null || kind.equals(n.get("kind"))) {
        out.add(n);
      }
    }
    return out;
  }

  /** Removes the notes of one kind for which {@code resolved} holds (e.g. parked, now redriven). */
  public synchronized int resolve(
      String kind, java.util.function.Predicate<Map<String, Object>> f) {
    int before = notes.size();
    notes.removeIf(n -> kind.equals(n.get("kind")) && f.test(n));
    return before - notes.size();
  }

  /** Adds a lag seen at {@code at} to a series (per second, the highest lag of that second). */
  public synchronized void lag(String name, Instant at, long lagMs) {
    long second = at.getEpochSecond();
    long[] values = series.computeIfAbsent(name, n -> newSeries());
    Long last = seriesSecond.get(name);
    if (last != null && second < last - SERIES_SECONDS + 1) {
      return;
    }
    if (last == null || second > last) {
      long from = last == null ? second : Math.max(last + 1, second - SERIES_SECONDS + 1);
      for (long s = from; s <= second; s++) {
        values[(int) Math.floorMod(s, (long) SERIES_SECONDS)] = -1;
      }
      seriesSecond.put(name, second);
    }
    int slot = (int) Math.floorMod(second, (long) SERIES_SECONDS);
    values[slot] = Math.max(values[slot], Math.max(0, lagMs));
  }

  private static long[] newSeries() {
    long[] values = new long[SERIES_SECONDS];
    java.util.Arrays.fill(values, -1);
    return values;
  }

  /**
   * The lag series up to {@code now}: {@code {"to": epochSecond, "seconds": N, "series": {name:
   * [lag or null per second, oldest first]}}}. A {@code null} is a second in which nothing was
   * applied.
   */
  public synchronized Map<String, Object> lagSeries(Instant now) {
    long to = now.getEpochSecond();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("to", to);
    out.put("seconds", SERIES_SECONDS);
    Map<String, Object> all = new TreeMap<>();
    series.forEach(
        (name, values) -> {
          long last = seriesSecond.getOrDefault(name, Long.MIN_VALUE);
          List<Long> list = new ArrayList<>(SERIES_SECONDS);
          for (long s = to - SERIES_SECONDS + 1; s <= to; s++) {
            long v =
                s > last || s <= last - SERIES_SECONDS
                    ? -1
                    : values[(int) Math.floorMod(s, (long) SERIES_SECONDS)];
            list.add(v < 0 ? null : v);
          }
          all.put(name, list);
        });
    out.put("series", all);
    return out;
  }

  /** The journeys' summaries, newest first. */
  public synchronized List<Map<String, Object>> recent() {
    List<Map<String, Object>> out = new ArrayList<>();
    journeys.values().forEach(j -> out.add(j.summary()));
    out.sort(
        java.util.Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("firstAt")))
            .reversed());
    return out;
  }

  /** One journey, with its steps in time order. */
  public synchronized Optional<Map<String, Object>> journey(String id) {
    Journey j = journeys.get(id);
    return j == null ? Optional.empty() : Optional.of(j.full());
  }

  /** How much fell off the bounds since the start. */
  public synchronized Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("journeys", journeys.size());
    m.put("forgottenJourneys", forgottenJourneys);
    m.put("notes", notes.size());
    m.put("forgottenNotes", forgottenNotes);
    m.put("streamsRemembered", streams.size());
    return m;
  }

  /**
   * Calls {@code listener} with every later change.
   *
   * @return ends the subscription
   */
  public Runnable subscribe(Consumer<Map<String, Object>> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void tell(Map<String, Object> message) {
    for (Consumer<Map<String, Object>> l : listeners) {
      try {
        l.accept(message);
      } catch (RuntimeException ignored) {
        // A listener is a viewer; it never fails the recording.
      }
    }
  }
}
