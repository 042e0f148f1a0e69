package io.innkeeper.perf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.hotel.HotelDomain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchOptionsTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private BenchOptions parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.options(new HotelDomain().fixtures().bench());
  }

  private int run(String... args) {
    return BenchCommand.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void defaults_are_a_two_and_a_half_minute_run_with_the_documented_mixes() {
    BenchOptions o = parse();
    assertEquals(20, o.duration());
    assertEquals(8, o.clients());
    assertEquals(Map.of("book", 85, "cancel", 10, "allot", 5), o.commandMix());
    assertEquals(5, o.queryMix().size());
    assertEquals(32, o.ceilingThreads());
    assertEquals(Path.of("bench-results"), o.out());
    assertEquals(new HotelDomain().fixtures().bench().defaultScale(), o.scale());
  }

  @Test
  void options_override_the_defaults() {
    BenchOptions o =
        parse(
            "--duration",
            "5",
            "--clients",
            "3",
            "--mix",
            "book=1",
            "--queries",
            "hotel=2,mine=1",
            "--ceiling-threads",
            "4",
            "--out",
            "x");
    assertEquals(5, o.duration());
    assertEquals(3, o.clients());
    assertEquals(Map.of("book", 1), o.commandMix());
    assertEquals(Map.of("hotel", 2, "mine", 1), o.queryMix());
    assertEquals(4, o.ceilingThreads());
    assertEquals(Path.of("x"), o.out());
  }

  @Test
  void bad_values_are_refused_with_a_reason() {
    assertEquals(2, run("--duration", "0"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--duration: must be at least 1"));
    assertEquals(2, run("--clients", "many"));
    assertEquals(2, run("--bogus", "1"));
    assertEquals(2, run("--duration"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains("Missing required parameter for option '--duration'"));
  }

  @Test
  void help_names_the_domains_mixes() {
    assertEquals(0, run("--help"));
    String usage = out.toString(StandardCharsets.UTF_8);
    assertTrue(usage.contains("--mix book=85,cancel=10,allot=5"), usage);
    assertTrue(usage.contains("--ceiling-threads=N"), usage);
  }

  @Test
  void a_mix_names_known_kinds_once_with_weights_that_are_not_all_zero() {
    List<String> kinds =
        BenchOptions.kinds(new HotelDomain().fixtures().bench().defaultCommandMix());
    assertEquals(List.of("book", "cancel", "allot"), kinds);
    assertEquals(Map.of("book", 3, "allot", 0), BenchOptions.mix("book=3, allot=0", kinds));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.mix("launch=1", kinds));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.mix("book=-1", kinds));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.mix("book=1,book=2", kinds));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.mix("book=0", kinds));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.mix("book", kinds));
  }

  @Test
  void bench_rejects_a_bad_mix_with_its_usage() throws Exception {
    int code =
        BenchCommand.run(
            List.of("--mix", "book=1,launch=2"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--mix: expected kind=weight"), said);
    assertTrue(said.contains("Usage: bench"), said);
  }
}
