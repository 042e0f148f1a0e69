package io.innkeeper.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.ops.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The performance tools' command line: its commands, help and usage errors. */
class PerfMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Cli.run(
        new PerfMain(),
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void help_lists_every_performance_tool() {
    assertEquals(0, run("--help"));
    String usage = out.toString(StandardCharsets.UTF_8);
    for (String command : List.of("bench", "soak", "coldstart")) {
      assertTrue(usage.contains("\n  " + command + " "), command + " in\n" + usage);
    }
  }

  @Test
  void no_command_or_an_operator_command_is_a_usage_error() {
    assertEquals(2, run());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Name a command"));
    assertEquals(2, run("verify"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("innkeeper-ops.jar"));
  }

  @Test
  void a_bad_value_of_a_tool_is_its_usage_error() {
    assertEquals(2, run("bench", "--mix", "book=1,launch=2"));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--mix: expected kind=weight"), said);
    assertTrue(said.contains("Usage: innkeeper-perf bench"), said);
  }
}
