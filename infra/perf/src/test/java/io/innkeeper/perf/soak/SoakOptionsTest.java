package io.innkeeper.perf.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.local.TimeCompression;
import io.innkeeper.local.chaos.Fault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SoakOptionsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private SoakOptions parse(String... args) {
    SoakCommand command = new SoakCommand();
    new CommandLine(command).parseArgs(args);
    return command.options(new HotelDomain());
  }

  private int run(String... args) {
    return SoakCommand.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void defaults_are_ten_thousand_commands_with_every_fault_on() {
    SoakOptions o = parse();

    assertEquals(10_000, o.commands());
    assertEquals(16, o.clients());
    assertEquals(1, o.seed());
    assertNull(o.dataDir());
    assertNull(o.settleTimeout());
    assertEquals(new HotelDomain().fixtures().soak().defaultScale(), o.scale());
    for (Fault f : Fault.values()) {
      // An outage is a window the run names (outage=FUNCTION@STARTs+LENGTHs), not a rate.
      if (f != Fault.FUNCTION_OUTAGE) {
        assertTrue(o.chaos().rate(f) > 0, f + " is off by default");
      }
    }
    assertTrue(o.chaos().outages().isEmpty(), "no outage unless asked for");
    assertEquals(7, o.chaos().seed());
  }

  @Test
  void options_are_read() {
    SoakOptions o =
        parse(
            "--commands",
            "800",
            "--clients",
            "4",
            "--seed",
            "9",
            "--chaos",
            "seed=3,dynamodb-5xx=0.1",
            "--settle-timeout",
            "30",
            "--hotels",
            "2");

    assertEquals(800, o.commands());
    assertEquals(4, o.clients());
    assertEquals(9, o.seed());
    assertEquals(3, o.chaos().seed());
    assertEquals(0.1, o.chaos().rate(Fault.DYNAMODB_5XX));
    assertEquals(0.0, o.chaos().rate(Fault.DUPLICATE_DELIVERY));
    assertEquals(Duration.ofSeconds(30), o.settleTimeout());
    assertEquals(2, o.scale());
    assertEquals(3, parse("--scale", "3").scale());
  }

  @Test
  void chaos_off_injects_nothing() {
    assertFalse(parse("--chaos", "off").chaos().any());
  }

  @Test
  void bad_options_are_refused_with_a_reason_and_the_usage() {
    assertEquals(2, run("--commands", "0"));
    assertEquals(2, run("--clients", "many"));
    assertEquals(2, run("--chaos", "duplicate-delivery=2"));
    assertEquals(2, run("--seed"));
    assertEquals(2, run("--frobnicate"));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--commands: must be at least 1"), said);
    assertTrue(said.contains("Invalid value for option '--clients': 'many' is not an int"), said);
    assertTrue(said.contains("must be a probability"), said);
    assertTrue(said.contains("Missing required parameter for option '--seed'"), said);
    assertTrue(said.contains("Unknown option: '--frobnicate'"), said);
    assertTrue(said.contains("Usage: soak"), said);
  }

  @Test
  void help_names_the_default_chaos_and_the_domains_checks() {
    assertEquals(0, run("--help"));
    String usage = out.toString(StandardCharsets.UTF_8);
    assertTrue(
        usage.contains("duplicate-delivery=0.05") && usage.contains("slow-millis=100"), usage);
    assertTrue(usage.contains("overbooked nights"), usage);
    assertTrue(usage.contains("drift from verify"), usage);
    assertTrue(usage.contains("Domain: the load contends for 4 hotels"), usage);
  }

  @Test
  void the_retry_budget_waits_out_every_delivery_of_the_command_queue() {
    var queue = io.innkeeper.topology.Topology.innkeeper().queue("command-queue");
    long deliveries = queue.deadLetter().maxReceiveCount();
    assertEquals(
        Duration.ofSeconds(deliveries * queue.visibilityTimeoutSeconds() + 60),
        SoakCommand.retryBudget(TimeCompression.none()));
    assertTrue(
        SoakCommand.retryBudget(TimeCompression.none()).compareTo(Duration.ofMinutes(5)) > 0);
  }

  @Test
  void compressed_time_shortens_the_retry_budget_with_the_queue_it_waits_out() {
    var queue =
        new TimeCompression(6)
            .apply(io.innkeeper.topology.Topology.innkeeper())
            .queue("command-queue");
    assertEquals(31, queue.visibilityTimeoutSeconds());
    assertEquals(
        Duration.ofSeconds(queue.deadLetter().maxReceiveCount() * 31L + 60),
        SoakCommand.retryBudget(new TimeCompression(6)));
    assertEquals(6, parse("--compress-time", "6").timeCompression().factor());
    assertEquals(1, parse().timeCompression().factor());
    assertEquals(2, run("--compress-time", "21"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("must be a factor from 1 to 20, not 21"),
        err.toString(StandardCharsets.UTF_8));
  }
}
