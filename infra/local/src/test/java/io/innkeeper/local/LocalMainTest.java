package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return LocalMain.dispatch(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void parsesRunOptions() {
    var options =
        LocalMain.parseRun(List.of("--port", "0", "--data-dir", "data", "--no-seed"), System.err);
    assertEquals(0, options.port());
    assertEquals(Path.of("data").toAbsolutePath(), options.dataDir());
    assertEquals(false, options.seed());
    var defaults = LocalMain.parseRun(List.of(), System.err);
    assertEquals(8080, defaults.port());
    assertNull(defaults.dataDir());
    assertTrue(defaults.seed());
  }

  @Test
  void unknownOptionIsAUsageError() throws Exception {
    assertEquals(2, run("--bogus"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option: --bogus"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage:"));
  }

  @Test
  void badValuesAreUsageErrors() throws Exception {
    assertEquals(2, run("--port", "http"));
    assertEquals(2, run("--port", "70000"));
    assertEquals(2, run("--data-dir"));
  }

  @Test
  void unknownSubcommandIsAUsageError() throws Exception {
    assertEquals(2, run("frobnicate"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown command: frobnicate"));
  }

  @Test
  void helpPrintsUsage() throws Exception {
    assertEquals(0, run("run", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--data-dir DIR"));
  }
}
