package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.ops.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Cli.run(
        new LocalMain(),
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void parsesRunOptions() {
    var options = LocalMain.parse("--port", "0", "--data-dir", "data", "--no-seed");
    assertEquals(0, options.port);
    assertEquals(Path.of("data").toAbsolutePath(), options.dataDir());
    assertTrue(options.noSeed);
    var defaults = LocalMain.parse();
    assertEquals(8080, defaults.port);
    assertNull(defaults.dataDir());
    assertFalse(defaults.noSeed);
    assertFalse(defaults.chaos.any(), "no faults unless asked for");
    assertNull(defaults.rateLimit, "no throttling unless asked for");
    var throttled = LocalMain.parse("--rate-limit", "20:40");
    assertEquals(io.innkeeper.local.gateway.RateLimit.parse("20:40"), throttled.rateLimit);
  }

  @Test
  void aLeadingRunMeansTheRuntimeAsBefore() {
    var options = LocalMain.parse("run", "--port", "0", "--no-seed");
    assertEquals(0, options.port);
    assertTrue(options.noSeed);
    assertEquals(List.of("--port", "run"), List.of(LocalMain.withoutRun("--port", "run")));
  }

  @Test
  void aDomainIsPickedByNameAndAnUnknownOneIsRefusedNamingThoseFound() {
    assertEquals("rooms", LocalMain.parse("--domain", "rooms").domain);
    assertNull(LocalMain.parse().domain, "INNKEEPER_DOMAIN or the only");

    assertEquals(2, run("--domain", "spa", "--port", "0"));
    assertTrue(err().contains("INNKEEPER_DOMAIN=spa names no domain"), err());
    assertTrue(err().contains("hotel") && err().contains("rooms"), err());
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertEquals(2, run("--bogus"));
    assertTrue(err().contains("Unknown option: '--bogus'"), err());
    assertTrue(err().contains("Usage: innkeeper-local"), err());
  }

  @Test
  void badValuesAreUsageErrors() {
    assertEquals(2, run("--port", "http"));
    assertEquals(2, run("--port", "70000"));
    assertTrue(err().contains("must be a number from 0 to 65535, not 70000"), err());
    assertEquals(2, run("--data-dir"));
    assertEquals(2, run("--rate-limit", "fast"));
    assertTrue(err().contains("'--rate-limit'"), err());
    assertEquals(2, run("--chaos", "duplicate-delivery=2"));
    assertTrue(err().contains("'--chaos'"), err());
  }

  @Test
  void theOperatorsAndThePerformanceToolsAreOtherJars() {
    assertEquals(2, run("verify", "--endpoint", "http://127.0.0.1:8000"));
    assertTrue(err().contains("Unmatched arguments"), err());
    assertTrue(err().contains("innkeeper-ops.jar"), "the usage says where verify went: " + err());
  }

  @Test
  void helpPrintsUsageAndVersionTheVersion() {
    assertEquals(0, run("--help"));
    String usage = out.toString(StandardCharsets.UTF_8);
    assertTrue(usage.contains("--data-dir=DIR"), usage);
    assertTrue(usage.contains("--rate-limit=RPS[:BURST]"), usage);
    assertTrue(usage.contains("(default 8080; 0 picks a free one)"), usage);
    out.reset();
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("innkeeper-local "));
  }
}
