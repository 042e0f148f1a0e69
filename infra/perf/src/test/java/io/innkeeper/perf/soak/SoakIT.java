package io.innkeeper.perf.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak, shorter: {@code soak} through {@link SoakCommand#run} with three hundred mixed commands
 * and the default chaos (every fault kind at a moderate rate, fixed seed: the platform's delivery
 * faults and AWS's own, from throttled transactions to stalled calls, shortened invocations and
 * shard rollovers), in its own embedded runtime. It must exit 0 and print each of the five checks
 * with a count of 0.
 *
 * <p>It runs with compressed time (factor 6, {@code --compress-time}): the waits the faults cause
 * are those of AWS divided by six (the command queue's visibility timeout 31 s instead of 180 s,
 * the guest-messages queue's 16 s instead of 90 s), while counts, sizes, function timeouts and
 * ordering stay AWS's. A delivery the chaos fails (a shortened invocation of guest-messages, say)
 * comes back in seconds rather than minutes, so the checks finish in seconds. Its settle budget is
 * 90 s, under the compressed command queue's retry budget (5 deliveries x 31 s + 60 s): a command
 * that needs more than two redeliveries fails it, which in a run this short means the handler gave
 * up on a command, itself worth a look. Sizes, chaos and time can be changed for a longer run by
 * hand: {@code -Dsoak.commands=10000 -Dsoak.clients=16 -Dsoak.seed=3 -Dsoak.chaos=SPEC
 * -Dsoak.settle=960 -Dsoak.compress=1}.
 */
class SoakIT {

  static final List<String> CHECKS =
      List.of(
          "overbooked nights",
          "SUCCEEDED commands whose effect is missing or doubled",
          "REJECTED or FAILED commands that left a trace",
          "drift from verify",
          "commands still PENDING past the retry budget",
          "integration events not delivered to guest-messages exactly once in order");

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void a_short_soak_under_chaos_passes_every_check() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--commands", System.getProperty("soak.commands", "300"),
                "--clients", System.getProperty("soak.clients", "12"),
                "--seed", System.getProperty("soak.seed", "1"),
                "--settle-timeout", System.getProperty("soak.settle", "90"),
                "--converge-timeout", "60",
                "--compress-time", System.getProperty("soak.compress", "6"),
                "--progress", "10"));
    String chaos = System.getProperty("soak.chaos");
    if (chaos != null) {
      args.addAll(List.of("--chaos", chaos));
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(tee(captured, System.out), true, StandardCharsets.UTF_8);
    long started = System.nanoTime();

    int code = SoakCommand.run(args, out, System.err);

    String text = captured.toString(StandardCharsets.UTF_8);
    System.out.printf(
        "SoakIT: soak exited %d after %.1f s%n", code, (System.nanoTime() - started) / 1e9);
    for (String check : CHECKS) {
      Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(check) + ": (\\d+)\\b").matcher(text);
      assertTrue(m.find(), "the soak did not print the check '" + check + "':\n" + text);
      assertEquals("0", m.group(1), check + ":\n" + text);
    }
    assertTrue(text.contains("Faults injected:"), text);
    if (chaos == null) {
      // The default chaos names every fault the runtime can inject, and the report counts each.
      String spec =
          text.lines().filter(l -> l.startsWith("soak: chaos ")).findFirst().orElseThrow();
      String faults =
          text.lines().filter(l -> l.startsWith("Faults injected:")).findFirst().orElseThrow();
      for (io.innkeeper.local.chaos.Fault f : io.innkeeper.local.chaos.Fault.values()) {
        // An outage is a window (outage=FUNCTION@START+LENGTH), not a rate; it is counted all
        // the same. IntegrationEventsIT and bench open one.
        if (f != io.innkeeper.local.chaos.Fault.FUNCTION_OUTAGE) {
          assertTrue(
              spec.contains(f.key() + "="), f.key() + " is not in the default chaos: " + spec);
        }
        assertTrue(faults.contains(" " + f.key() + " "), f.key() + " is not counted: " + faults);
      }
    }
    assertTrue(text.contains("soak: PASSED"), text);
    assertEquals(0, code, text);
  }

  private static OutputStream tee(OutputStream a, OutputStream b) {
    return new OutputStream() {
      @Override
      public void write(int c) {
        try {
          a.write(c);
          b.write(c);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public void write(byte[] bytes, int off, int len) throws java.io.IOException {
        a.write(bytes, off, len);
        b.write(bytes, off, len);
      }

      @Override
      public void flush() throws java.io.IOException {
        a.flush();
        b.flush();
      }
    };
  }
}
