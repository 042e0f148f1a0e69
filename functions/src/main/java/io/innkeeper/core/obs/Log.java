package io.innkeeper.core.obs;

import io.innkeeper.core.Env;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The functions' structured log: one JSON object per line on standard error, each with {@code
 * level}, {@code timestamp}, {@code function} and {@code msg}, then the fields of the current
 * {@linkplain #invocation invocation context} ({@code requestId}, {@code commandId}, ...) and the
 * line's own fields. Following a command end to end is one search for its id.
 *
 * <p>Standard error, not standard output: Lambda sends both to CloudWatch Logs, where every line is
 * a log event and embedded-metric lines are extracted whichever stream they came from, while
 * locally standard output stays free for what the local jar prints for its user (the start-up
 * banner, the reports of {@code soak}, {@code verify} and {@code rebuild}, which run these same
 * functions in-process). The stream is looked up at every write, so a test that replaces {@code
 * System.err} sees the real lines.
 *
 * <p>The context is per thread: a Lambda invocation, and a local one, runs on one thread from start
 * to end. Handlers open it with {@link #invocation}; code below them adds to it with {@link #with}
 * for as long as it works on one command or one event. Lines below the level named by the {@code
 * LOG_LEVEL} environment variable ({@code DEBUG}, {@code INFO} (the default), {@code WARN}, {@code
 * ERROR}) are not written; metric lines always are.
 */
public final class Log {

  /** How much a line matters. */
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  /**
   * One line as written: its level, time, message, every field (context included) and the exact
   * text. Given to {@linkplain #subscribe subscribers}.
   */
  public record Entry(
      Level level, Instant at, String msg, Map<String, Object> fields, String line) {
    /** A field's value as a string, or {@code null}. */
    public String string(String name) {
      Object v = fields.get(name);
      return v == null ? null : v.toString();
    }
  }

  /** Ends a context, restoring the one before it; never throws. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final int MAX_STACK_CHARS = 4000;
  private static final ThreadLocal<Map<String, Object>> CONTEXT = new ThreadLocal<>();
  private static final ThreadLocal<Boolean> QUIET = new ThreadLocal<>();
  private static final List<Consumer<Entry>> SUBSCRIBERS = new CopyOnWriteArrayList<>();
  private static final Level THRESHOLD = threshold(Env.get("LOG_LEVEL").orElse("INFO"));

  private Log() {}

  /**
   * Starts the context of one invocation of {@code function}, replacing whatever the thread had
   * until the scope closes.
   *
   * @param fields name, value, name, value...; {@code null} values are left out
   */
  public static Scope invocation(String function, Object... fields) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("function", function);
    put(context, fields);
    return enter(context);
  }

  /**
   * Adds fields to the current context until the scope closes, e.g. the command a message carries.
   *
   * @param fields name, value, name, value...; {@code null} values are left out
   */
  public static Scope with(Object... fields) {
    Map<String, Object> parent = CONTEXT.get();
    Map<String, Object> context =
        parent == null ? new LinkedHashMap<>() : new LinkedHashMap<>(parent);
    put(context, fields);
    return enter(context);
  }

  /**
   * Keeps this thread's lines below {@code WARN}, metric lines included, unwritten until the scope
   * closes: for SnapStart priming, whose synthetic requests are not traffic and must not count.
   */
  public static Scope quiet() {
    Boolean previous = QUIET.get();
    QUIET.set(Boolean.TRUE);
    return () -> {
      if (previous == null) {
        QUIET.remove();
      } else {
        QUIET.set(previous);
      }
    };
  }

  /** A field of the current context, or {@code null}. */
  public static Object context(String name) {
    Map<String, Object> context = CONTEXT.get();
    return context == null ? null : context.get(name);
  }

  public static void debug(String msg, Object... fields) {
    write(Level.DEBUG, msg, null, fields);
  }

  public static void info(String msg, Object... fields) {
    write(Level.INFO, msg, null, fields);
  }

  public static void warn(String msg, Object... fields) {
    write(Level.WARN, msg, null, fields);
  }

  /** A warning with its cause: {@code error} (class and message) and {@code stack} fields. */
  public static void warn(String msg, Throwable cause, Object... fields) {
    write(Level.WARN, msg, cause, fields);
  }

  /** An error with its cause: {@code error} (class and message) and {@code stack} fields. */
  public static void error(String msg, Throwable cause, Object... fields) {
    write(Level.ERROR, msg, cause, fields);
  }

  /**
   * Calls {@code subscriber} with every line written from now on, on the writing thread; it must be
   * quick and must not throw. For the local runtime's status page and for tests.
   *
   * @return ends the subscription
   */
  public static Runnable subscribe(Consumer<Entry> subscriber) {
    SUBSCRIBERS.add(subscriber);
    return () -> SUBSCRIBERS.remove(subscriber);
  }

  /**
   * A logger for code that runs beside the functions rather than in one (the local runtime's
   * pollers, gateway and emulators): its lines are this log's, with a fixed {@code function} and
   * the {@code component} that speaks, so a whole local log reads with the same tools as
   * CloudWatch's.
   */
  public static Named named(String function, String component) {
    return new Named(function, component);
  }

  /** See {@link #named}. */
  public static final class Named {
    private final String function;
    private final String component;

    private Named(String function, String component) {
      this.function = function;
      this.component = component;
    }

    public void info(String msg, Object... fields) {
      write(Level.INFO, msg, null, own(fields));
    }

    public void warn(String msg, Object... fields) {
      write(Level.WARN, msg, null, own(fields));
    }

    public void warn(String msg, Throwable cause, Object... fields) {
      write(Level.WARN, msg, cause, own(fields));
    }

    public void error(String msg, Throwable cause, Object... fields) {
      write(Level.ERROR, msg, cause, own(fields));
    }

    private Object[] own(Object[] fields) {
      Object[] all = new Object[fields.length + 4];
      all[0] = "function";
      all[1] = function;
      all[2] = "component";
      all[3] = component;
      System.arraycopy(fields, 0, all, 4, fields.length);
      return all;
    }
  }

  /** Writes a line carrying the context, below the fixed fields; used for metric lines too. */
  static void write(Level level, String msg, Throwable cause, Object... fields) {
    if (level.compareTo(THRESHOLD) < 0 || (level.compareTo(Level.WARN) < 0 && quieted())) {
      return;
    }
    Map<String, Object> own = new LinkedHashMap<>();
    put(own, fields);
    if (cause != null) {
      own.put("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
      own.put("stack", stack(cause));
    }
    emit(level, msg, own, null);
  }

  /**
   * Builds and writes one line: the fixed fields, the context, {@code own}, then {@code raw}
   * (already-JSON fields, for EMF's {@code _aws}).
   */
  static void emit(Level level, String msg, Map<String, Object> own, Map<String, String> raw) {
    if (level.compareTo(Level.WARN) < 0 && quieted()) {
      return;
    }
    Instant now = Instant.now();
    Map<String, Object> context = CONTEXT.get();
    Map<String, Object> all = new LinkedHashMap<>();
    // level and msg first: a line reads well to a human too, and starts the same way every time.
    all.put("level", level.name());
    all.put("msg", msg);
    all.put("timestamp", now.toString());
    all.put("function", defaultFunction());
    if (context != null) {
      all.putAll(context);
    }
    own.forEach(
        (k, v) -> {
          if (v != null && !k.equals("level") && !k.equals("timestamp") && !k.equals("msg")) {
            all.put(k, v);
          }
        });
    JsonLine line = new JsonLine().fields(all);
    if (raw != null) {
      raw.forEach(line::rawField);
    }
    String text = line.toString();
    PrintStream err = System.err;
    err.println(text);
    if (!SUBSCRIBERS.isEmpty()) {
      Entry entry = new Entry(level, now, msg, Collections.unmodifiableMap(all), text);
      for (Consumer<Entry> s : SUBSCRIBERS) {
        try {
          s.accept(entry);
        } catch (RuntimeException ignored) {
          // A subscriber is an observer; it must never fail the work that logs.
        }
      }
    }
  }

  private static boolean quieted() {
    return QUIET.get() != null;
  }

  /** Off an invocation (a CLI tool running the functions' code) the Lambda name, if any. */
  private static String defaultFunction() {
    return Env.get("AWS_LAMBDA_FUNCTION_NAME").orElse("innkeeper");
  }

  private static Scope enter(Map<String, Object> context) {
    Map<String, Object> previous = CONTEXT.get();
    CONTEXT.set(context);
    return () -> {
      if (previous == null) {
        CONTEXT.remove();
      } else {
        CONTEXT.set(previous);
      }
    };
  }

  private static void put(Map<String, Object> into, Object[] fields) {
    if (fields.length % 2 != 0) {
      throw new IllegalArgumentException("fields come in name, value pairs");
    }
    for (int i = 0; i < fields.length; i += 2) {
      String name = String.valueOf(fields[i]);
      if (fields[i + 1] == null) {
        into.remove(name);
      } else {
        into.put(name, fields[i + 1]);
      }
    }
  }

  private static String stack(Throwable cause) {
    StringWriter s = new StringWriter();
    cause.printStackTrace(new PrintWriter(s));
    String text = s.toString();
    return text.length() > MAX_STACK_CHARS ? text.substring(0, MAX_STACK_CHARS) + "..." : text;
  }

  private static Level threshold(String name) {
    try {
      return Level.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }
}
