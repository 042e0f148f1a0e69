package io.innkeeper.functions;

import io.innkeeper.events.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Captures what is written to stderr while open, where the functions log as JSON lines. */
final class Stderr implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  private Stderr() {
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
  }

  static Stderr capture() {
    return new Stderr();
  }

  String text() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  /** The priming warnings, each parsed (so a line that is not valid JSON fails the test). */
  List<Map<String, Object>> primingWarnings() {
    return text()
        .lines()
        .filter(l -> l.startsWith("{\"level\":\"WARN\",\"msg\":\"priming failed\""))
        .map(Json::parseObject)
        .toList();
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
