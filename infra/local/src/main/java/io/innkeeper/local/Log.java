package io.innkeeper.local;

import io.innkeeper.core.obs.JsonLine;
import java.time.Instant;

/**
 * The local runtime's own lines (pollers, checkpoints, start-up), one JSON object per line on
 * stderr, shaped like the functions' lines ({@code level}, {@code msg}, {@code timestamp}, {@code
 * function}) with {@code function: "local-runtime"} and the part of the runtime that speaks as
 * {@code component}: so the whole local log can be read with the same tools as CloudWatch's.
 * Standard output is left to what {@code LocalMain} prints for the user, such as the start-up
 * banner. Deliberately tiny: the runtime has a handful of things worth saying.
 */
public final class Log {

  /** The {@code function} of every local runtime line. */
  public static final String FUNCTION = "local-runtime";

  private final String source;

  private Log(String source) {
    this.source = source;
  }

  public static Log of(String source) {
    return new Log(source);
  }

  public void info(String message) {
    write("INFO", message, null);
  }

  public void warn(String message) {
    write("WARN", message, null);
  }

  public void warn(String message, Throwable cause) {
    write("WARN", message, cause);
  }

  public void error(String message, Throwable cause) {
    write("ERROR", message, cause);
  }

  private void write(String level, String message, Throwable cause) {
    JsonLine line =
        new JsonLine()
            .field("level", level)
            .field("msg", message)
            .field("timestamp", Instant.now().toString())
            .field("function", FUNCTION)
            .field("component", source);
    if (cause != null) {
      line.field("error", cause.toString());
    }
    System.err.println(line);
  }
}
