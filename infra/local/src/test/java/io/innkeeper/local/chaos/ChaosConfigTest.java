package io.innkeeper.local.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChaosConfigTest {

  @Test
  void a_spec_names_the_seed_the_rates_and_the_slowness() {
    ChaosConfig c =
        ChaosConfig.parse(
            "seed=7, duplicate-delivery=0.05,dynamodb-5xx=0.01 ,slow-consumer=0.2,slow-millis=30");
    assertEquals(7, c.seed());
    assertEquals(0.05, c.rate(Fault.DUPLICATE_DELIVERY));
    assertEquals(0.01, c.rate(Fault.DYNAMODB_5XX));
    assertEquals(0.2, c.rate(Fault.SLOW_CONSUMER));
    assertEquals(0.0, c.rate(Fault.PROJECTOR_CRASH), "a fault not named is not injected");
    assertEquals(30, c.slowMillis());
    assertTrue(c.any());
  }

  @Test
  void every_fault_has_a_key_the_spec_accepts() {
    StringBuilder spec = new StringBuilder("seed=1");
    for (Fault f : Fault.values()) {
      spec.append(',').append(f.key()).append("=0.5");
      assertEquals(f, Fault.of(f.key()));
    }
    ChaosConfig c = ChaosConfig.parse(spec.toString());
    for (Fault f : Fault.values()) {
      assertEquals(0.5, c.rate(f), f.key());
    }
    assertEquals("crash-before-ack", Fault.CRASH_BEFORE_ACK.key());
  }

  @Test
  void defaults_seed_zero_slow_100_ms_and_nothing_injected() {
    ChaosConfig empty = ChaosConfig.parse("");
    assertEquals(0, empty.seed());
    assertEquals(100, empty.slowMillis());
    assertFalse(empty.any());
    assertFalse(ChaosConfig.none().any());
    assertFalse(ChaosConfig.parse("seed=3,duplicate-delivery=0").any(), "a zero rate is off");
  }

  @Test
  void the_spec_of_a_config_parses_back_to_it() {
    ChaosConfig c = ChaosConfig.parse("dynamodb-throttle=0.25,seed=-9,crash-before-ack=1");
    assertEquals("seed=-9,crash-before-ack=1,dynamodb-throttle=0.25,slow-millis=100", c.spec());
    assertEquals(c, ChaosConfig.parse(c.spec()));
  }

  @Test
  void a_chaos_file_has_one_entry_a_line_and_comments(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("chaos.properties");
    Files.writeString(
        file,
        """
        # a repeatable run
        seed=42
        duplicate-delivery=0.1   # SQS at least once
        stream-redelivery=0.2, slow-millis=5

        """);
    ChaosConfig c = ChaosConfig.parse("@" + file);
    assertEquals(42, c.seed());
    assertEquals(0.1, c.rate(Fault.DUPLICATE_DELIVERY));
    assertEquals(0.2, c.rate(Fault.STREAM_REDELIVERY));
    assertEquals(5, c.slowMillis());
    assertEquals(c, ChaosConfig.load(file));

    Files.writeString(file, "seed=1\nduplicate-delivery=2\n");
    var bad = assertThrows(IllegalArgumentException.class, () -> ChaosConfig.parse("@" + file));
    assertEquals(
        file + ": duplicate-delivery must be a probability from 0 to 1, not 2.0", bad.getMessage());

    var missing =
        assertThrows(
            IllegalArgumentException.class, () -> ChaosConfig.parse("@" + dir.resolve("nope")));
    assertTrue(
        missing.getMessage().startsWith("cannot read the chaos file " + dir.resolve("nope")),
        missing.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "duplicate-delivery=1.5 | duplicate-delivery must be a probability from 0 to 1, not 1.5",
        "dynamodb-5xx=-0.1 | dynamodb-5xx must be a probability from 0 to 1, not -0.1",
        "stream-redelivery=NaN | stream-redelivery must be a probability from 0 to 1, not NaN",
        "slow-consumer=often | slow-consumer needs a number, not 'often'",
        "seed=abc | seed needs a number, not 'abc'",
        "slow-millis=-1 | slow-millis must not be negative",
        "seed | 'seed' is not key=value",
        "=0.1 | '=0.1' is not key=value",
        "seed=1,seed=2 | seed is given twice",
        "duplicate-delivery=0.1,duplicate-delivery=0.2 | duplicate-delivery is given twice",
      })
  void a_bad_spec_says_what_is_wrong(String spec, String message) {
    var e = assertThrows(IllegalArgumentException.class, () -> ChaosConfig.parse(spec));
    assertEquals(message, e.getMessage());
  }

  @Test
  void an_unknown_key_lists_the_known_ones() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> ChaosConfig.parse("dupes=0.1,seed=1"));
    assertEquals(
        "unknown key 'dupes'; expected seed, slow-millis, slow-call-millis,"
            + " timeout-headroom-millis, outage or a fault: duplicate-delivery, crash-before-ack,"
            + " dynamodb-throttle, dynamodb-5xx, stream-redelivery, projector-crash,"
            + " slow-consumer, transaction-conflict, throttled-transaction, unprocessed-keys,"
            + " unprocessed-items, slow-call, function-timeout, sqs-throttle, shard-rollover,"
            + " function-outage",
        e.getMessage());
  }

  @Test
  void the_stall_and_the_headroom_are_set_in_the_spec_and_printed_back_when_not_defaults() {
    ChaosConfig c =
        ChaosConfig.parse("seed=3,slow-call=0.1,slow-call-millis=2500,timeout-headroom-millis=50");
    assertEquals(2500, c.slowCallMillis());
    assertEquals(50, c.timeoutHeadroomMillis());
    assertEquals(c, ChaosConfig.parse(c.spec()));
    ChaosConfig defaults = ChaosConfig.parse("function-timeout=0.1");
    assertEquals(30_000, defaults.slowCallMillis());
    assertEquals(500, defaults.timeoutHeadroomMillis());
    assertThrows(IllegalArgumentException.class, () -> ChaosConfig.parse("slow-call-millis=-1"));
  }

  // -----------------------------------------------------------------------------------------------
  // Chaos: the seeded decider

  private static List<Object> decisions(Chaos chaos, int n) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Fault f = Fault.values()[i % Fault.values().length];
      boolean hit = chaos.strikes(f);
      out.add(hit);
      if (hit) {
        out.add(chaos.nextInt(10));
      }
    }
    return out;
  }

  @Test
  void the_same_seed_decides_the_same_way() {
    String spec =
        "seed=7,duplicate-delivery=0.3,crash-before-ack=0.2,dynamodb-throttle=0.1,dynamodb-5xx=0.4,"
            + "stream-redelivery=0.5,projector-crash=0.6,slow-consumer=0.7";
    Chaos a = new Chaos(ChaosConfig.parse(spec));
    Chaos b = new Chaos(ChaosConfig.parse(spec));
    List<Object> first = decisions(a, 2000);
    assertEquals(first, decisions(b, 2000));
    assertEquals(a.injected(), b.injected());
    assertNotEquals(
        first,
        decisions(new Chaos(ChaosConfig.parse(spec.replace("seed=7", "seed=8"))), 2000),
        "another seed decides otherwise");
  }

  @Test
  void it_counts_what_it_injected_near_the_rate() {
    Chaos chaos = new Chaos(ChaosConfig.parse("seed=11,duplicate-delivery=0.25,slow-consumer=1"));
    int hits = 0;
    for (int i = 0; i < 4000; i++) {
      if (chaos.strikes(Fault.DUPLICATE_DELIVERY)) {
        hits++;
      }
    }
    assertEquals(hits, chaos.injected().get(Fault.DUPLICATE_DELIVERY));
    assertTrue(hits > 850 && hits < 1150, "0.25 of 4000: " + hits);
    for (int i = 0; i < 10; i++) {
      assertTrue(chaos.strikes(Fault.SLOW_CONSUMER), "rate 1 always strikes");
    }
    assertEquals(10, chaos.injected().get(Fault.SLOW_CONSUMER));
    assertEquals(0, chaos.injected().get(Fault.PROJECTOR_CRASH));
    assertEquals(Fault.values().length, chaos.injected().size(), "every kind is reported");
  }

  @Test
  void a_fault_that_is_off_neither_strikes_nor_shifts_the_others() {
    Chaos plain = new Chaos(ChaosConfig.parse("seed=5,duplicate-delivery=0.5"));
    Chaos withOff = new Chaos(ChaosConfig.parse("seed=5,duplicate-delivery=0.5"));
    List<Boolean> a = new ArrayList<>();
    List<Boolean> b = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      a.add(plain.strikes(Fault.DUPLICATE_DELIVERY));
      assertFalse(withOff.strikes(Fault.PROJECTOR_CRASH));
      b.add(withOff.strikes(Fault.DUPLICATE_DELIVERY));
    }
    assertEquals(a, b);
    assertFalse(Chaos.off().strikes(Fault.DYNAMODB_5XX));
    assertEquals(0L, Chaos.off().injected().values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void variants_are_counted_by_name() {
    Chaos chaos = new Chaos(ChaosConfig.none());
    chaos.note("dynamodb-5xx-after-write");
    chaos.note("dynamodb-5xx-after-write");
    chaos.note("dynamodb-5xx-before-write");
    assertEquals(
        Map.of("dynamodb-5xx-after-write", 2L, "dynamodb-5xx-before-write", 1L), chaos.variants());
  }

  @Test
  void outages_are_windows_per_function_that_parse_back_and_count_each_failed_invocation() {
    ChaosConfig c = ChaosConfig.parse("seed=3,outage=guest-messages@10s+30s;publisher@0s+1s");
    assertEquals(
        List.of(
            new ChaosConfig.Outage(
                "guest-messages",
                java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(30)),
            new ChaosConfig.Outage(
                "publisher", java.time.Duration.ZERO, java.time.Duration.ofSeconds(1))),
        c.outages());
    assertTrue(c.any(), "an outage alone is chaos");
    assertEquals(c, ChaosConfig.parse(c.spec()));
    var bad =
        assertThrows(IllegalArgumentException.class, () -> ChaosConfig.parse("outage=publisher"));
    assertTrue(bad.getMessage().contains("FUNCTION@STARTs+LENGTHs"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChaosConfig.parse("outage=x@1s+0s"));

    // The config's window for guest-messages starts 10 s after the chaos does: not yet.
    Chaos chaos = new Chaos(c);
    assertFalse(chaos.inOutage("guest-messages"));
    // One started now, for an hour: this function fails, the others do not.
    chaos.failFor("projector", java.time.Duration.ofHours(1));
    assertTrue(chaos.inOutage("projector"));
    assertFalse(chaos.inOutage("command-handler"));
    // One that is already over.
    chaos.failFor("command-handler", java.time.Duration.ofNanos(1));
    assertFalse(chaos.inOutage("command-handler"));
    assertEquals(1L, chaos.injected().get(Fault.FUNCTION_OUTAGE), "one invocation failed");
  }
}
