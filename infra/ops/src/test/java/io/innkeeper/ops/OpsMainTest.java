package io.innkeeper.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator tool's command line: its commands, help, version and usage errors. */
class OpsMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Cli.run(
        new OpsMain(),
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void help_lists_every_operator_command() {
    assertEquals(0, run("--help"));
    String usage = out.toString(StandardCharsets.UTF_8);
    for (String command : List.of("verify", "rebuild", "redrive", "smoke")) {
      assertTrue(usage.contains("\n  " + command + " "), command + " in\n" + usage);
    }
    out.reset();
    assertEquals(0, run("help", "redrive"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--discard-trimmed"));
  }

  @Test
  void no_command_or_an_unknown_one_is_a_usage_error() {
    assertEquals(2, run());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Name a command"));
    assertEquals(2, run("bench"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unmatched argument"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: innkeeper-ops"));
  }

  @Test
  void version_names_the_tool() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("innkeeper-ops "));
    out.reset();
    assertEquals(0, run("smoke", "--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("innkeeper-ops smoke "));
  }
}
