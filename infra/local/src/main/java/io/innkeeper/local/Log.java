package io.innkeeper.local;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The local runtime's own console lines on stderr (stdout is left to what {@code LocalMain} prints
 * for the user). Deliberately tiny: the runtime has a handful of things worth saying.
 */
public final class Log {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final String source;

  private Log(String source) {
    this.source = source;
  }

  public static Log of(String source) {
    return new Log(source);
  }

  public void info(String message) {
    write("INFO ", message, null);
  }

  public void warn(String message) {
    write("WARN ", message, null);
  }

  public void warn(String message, Throwable cause) {
    write("WARN ", message, cause);
  }

  public void error(String message, Throwable cause) {
    write("ERROR", message, cause);
  }

  private void write(String level, String message, Throwable cause) {
    String line = LocalTime.now().format(TIME) + " " + level + " [" + source + "] " + message;
    if (cause != null) {
      line += ": " + cause;
    }
    System.err.println(line);
  }
}
