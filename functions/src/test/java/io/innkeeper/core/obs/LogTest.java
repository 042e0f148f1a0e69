package io.innkeeper.core.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.events.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogTest {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(original);
  }

  private List<String> lines() {
    return buffer.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private Map<String, Object> only() {
    List<String> lines = lines();
    assertEquals(1, lines.size(), String.valueOf(lines));
    return Json.parseObject(lines.get(0));
  }

  @Test
  void a_line_carries_the_fixed_fields_and_the_invocation_context() {
    try (Log.Scope invocation = Log.invocation("command-api", "requestId", "req-1")) {
      try (Log.Scope command = Log.with("commandId", "cmd-1")) {
        Log.info("command accepted", "commandType", "BookRoom", "count", 3);
      }
    }
    Map<String, Object> line = only();
    assertEquals("INFO", line.get("level"));
    assertEquals("command accepted", line.get("msg"));
    assertEquals("command-api", line.get("function"));
    assertEquals("req-1", line.get("requestId"));
    assertEquals("cmd-1", line.get("commandId"));
    assertEquals("BookRoom", line.get("commandType"));
    assertEquals(3, ((Number) line.get("count")).intValue());
    Instant.parse((String) line.get("timestamp"));
  }

  @Test
  void a_scope_ends_its_fields_and_restores_the_one_before() {
    try (Log.Scope invocation = Log.invocation("projector")) {
      try (Log.Scope event = Log.with("commandId", "c1")) {
        assertEquals("c1", Log.context("commandId"));
      }
      assertNull(Log.context("commandId"));
      assertEquals("projector", Log.context("function"));
    }
    assertNull(Log.context("function"));
  }

  @Test
  void quotes_backslashes_and_control_characters_cannot_break_the_line() {
    String nasty = "say \"hi\"\\ \n next line \r\t \u0000 \u001f \u2028 end";
    Log.warn("odd " + nasty, "value", nasty);
    List<String> lines = lines();
    assertEquals(1, lines.size(), "one physical line: " + lines);
    Map<String, Object> line = Json.parseObject(lines.get(0));
    assertEquals(nasty, line.get("value"));
    assertEquals("odd " + nasty, line.get("msg"));
  }

  @Test
  void null_values_are_left_out_never_written_as_null() {
    try (Log.Scope s = Log.invocation("query-api", "requestId", null)) {
      Log.info("request handled", "route", null, "status", 200);
    }
    String text = lines().get(0);
    assertFalse(text.contains("null"), text);
    Map<String, Object> line = Json.parseObject(text);
    assertFalse(line.containsKey("requestId"));
    assertFalse(line.containsKey("route"));
  }

  @Test
  void an_error_carries_its_stack_in_the_same_line() {
    Log.error("request failed", new IllegalStateException("boom \"quoted\""));
    Map<String, Object> line = only();
    assertEquals("ERROR", line.get("level"));
    assertEquals("IllegalStateException: boom \"quoted\"", line.get("error"));
    assertTrue(((String) line.get("stack")).contains("LogTest"), (String) line.get("stack"));
  }

  @Test
  void the_fixed_fields_cannot_be_overwritten_by_a_line_of_fields() {
    Log.info("real", "msg", "fake", "level", "DEBUG", "timestamp", "yesterday");
    Map<String, Object> line = only();
    assertEquals("real", line.get("msg"));
    assertEquals("INFO", line.get("level"));
    Instant.parse((String) line.get("timestamp"));
  }

  @Test
  void subscribers_get_the_exact_line_written() {
    StringBuilder seen = new StringBuilder();
    Runnable stop = Log.subscribe(e -> seen.append(e.line()));
    try {
      Log.info("hello", "n", 1);
    } finally {
      stop.run();
    }
    Log.info("after");
    assertEquals(lines().get(0), seen.toString());
  }

  @Test
  void json_line_writes_numbers_booleans_maps_and_lists() {
    String line =
        new JsonLine()
            .field("i", 7L)
            .field("d", 1.5)
            .field("whole", 2.0)
            .field("nan", Double.NaN)
            .field("b", true)
            .field("m", Map.of("k", "v"))
            .field("l", List.of(1, "x"))
            .field("skip", null)
            .toString();
    Map<String, Object> parsed = Json.parseObject(line);
    assertEquals(7, ((Number) parsed.get("i")).intValue());
    assertEquals(1.5, ((Number) parsed.get("d")).doubleValue());
    assertEquals("2", parsed.get("whole").toString());
    assertEquals("NaN", parsed.get("nan"));
    assertEquals(true, parsed.get("b"));
    assertEquals(Map.of("k", "v"), parsed.get("m"));
    assertEquals(List.of(1, "x"), parsed.get("l"));
    assertFalse(parsed.containsKey("skip"));
  }
}
