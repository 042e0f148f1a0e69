package io.innkeeper.local;

import io.innkeeper.events.Json;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tees {@code System.err}, where the functions and the local runtime write their JSON lines, while
 * open: the lines still reach the console, and the test reads exactly what was written. The
 * functions look {@code System.err} up at every write, so they write into the tee.
 */
final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  LogCapture() {
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (buffer) {
              buffer.write(b);
            }
            original.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (buffer) {
              buffer.write(b, off, len);
            }
            original.write(b, off, len);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Every complete line written so far. */
  List<String> lines() {
    String text;
    synchronized (buffer) {
      text = buffer.toString(StandardCharsets.UTF_8);
    }
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : text.substring(0, end).lines().toList();
  }

  /** Every complete line, parsed; fails on the first that is not a JSON object. */
  List<Map<String, Object>> json() {
    List<Map<String, Object>> parsed = new ArrayList<>();
    for (String line : lines()) {
      try {
        parsed.add(Json.parseObject(line));
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON object: " + line, e);
      }
    }
    return parsed;
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
