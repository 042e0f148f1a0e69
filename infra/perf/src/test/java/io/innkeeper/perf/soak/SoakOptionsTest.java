package io.innkeeper.perf.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.local.chaos.Fault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakOptionsTest {

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private SoakOptions parse(String... args) {
    return SoakOptions.parse(List.of(args), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void defaults_are_ten_thousand_commands_with_every_fault_on() {
    SoakOptions o = parse();

    assertEquals(10_000, o.commands());
    assertEquals(16, o.clients());
    assertEquals(1, o.seed());
    assertNull(o.dataDir());
    assertNull(o.settleTimeout());
    for (Fault f : Fault.values()) {
      assertTrue(o.chaos().rate(f) > 0, f + " is off by default");
    }
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
  }

  @Test
  void chaos_off_injects_nothing() {
    assertFalse(parse("--chaos", "off").chaos().any());
  }

  @Test
  void bad_options_are_refused_with_a_reason() {
    assertNull(parse("--commands", "0"));
    assertNull(parse("--clients", "many"));
    assertNull(parse("--chaos", "duplicate-delivery=2"));
    assertNull(parse("--seed"));
    assertNull(parse("--frobnicate"));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--commands: must be at least 1"), said);
    assertTrue(said.contains("--clients needs a whole number"), said);
    assertTrue(said.contains("must be a probability"), said);
    assertTrue(said.contains("--seed needs a value"), said);
    assertTrue(said.contains("Unknown option: --frobnicate"), said);
  }

  @Test
  void help_is_asked_for() {
    assertTrue(parse("-h").help());
    assertTrue(parse("--commands", "5", "--help").help());
    String usage = SoakOptions.usage(new HotelDomain().fixtures());
    assertTrue(usage.contains(SoakOptions.DEFAULT_CHAOS));
    assertTrue(usage.contains("overbooked nights"), usage);
    assertTrue(usage.contains("--scale N             how many hotels"), usage);
  }

  @Test
  void the_retry_budget_waits_out_every_delivery_of_the_command_queue() {
    var queue = io.innkeeper.topology.Topology.innkeeper().queue("command-queue");
    long deliveries = queue.deadLetter().maxReceiveCount();
    assertEquals(
        Duration.ofSeconds(deliveries * queue.visibilityTimeoutSeconds() + 60),
        SoakCommand.retryBudget());
    assertTrue(SoakCommand.retryBudget().compareTo(Duration.ofMinutes(5)) > 0);
  }
}
