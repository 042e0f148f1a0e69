package io.innkeeper.perf.soak;

import io.innkeeper.core.domain.fixture.Fixtures;
import io.innkeeper.local.chaos.ChaosConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a soak run does.
 *
 * @param commands the mixed commands to send (setup commands come on top)
 * @param clients concurrent HTTP clients, each with guests of its own
 * @param chaos the faults the runtime injects
 * @param seed the workload's seed: which operations, guests, hotels, dates and sizes
 * @param dataDir where the runtime keeps its data, or {@code null} for in memory
 * @param scale how many of the domain's units (the hotel's: hotels) the load contends for; 0 for
 *     the domain's default
 * @param settleTimeout how long to wait, after the last command was sent, for every command to
 *     leave PENDING; {@code null} for the retry budget (see {@link SoakCommand#retryBudget()})
 * @param convergeTimeout how long to wait for {@code verify} to report no drift
 * @param progressEvery how often a progress line is printed
 * @param help whether only the usage was asked for
 */
record SoakOptions(
    int commands,
    int clients,
    ChaosConfig chaos,
    long seed,
    Path dataDir,
    int scale,
    Duration settleTimeout,
    Duration convergeTimeout,
    Duration progressEvery,
    boolean help) {

  static final int DEFAULT_COMMANDS = 10_000;
  static final int DEFAULT_CLIENTS = 16;
  static final long DEFAULT_SEED = 1;
  static final Duration DEFAULT_CONVERGE = Duration.ofSeconds(120);
  static final Duration DEFAULT_PROGRESS = Duration.ofSeconds(5);

  /**
   * Every fault kind on at a moderate rate, with a fixed seed: the default, printed at the start so
   * a run can be repeated. The faults that cost time are rarer: a stalled call holds its thread for
   * an attempt timeout (2 s), a shard rollover makes the poller start another shard.
   */
  static final String DEFAULT_CHAOS =
      "seed=7,duplicate-delivery=0.05,crash-before-ack=0.03,dynamodb-throttle=0.01,"
          + "dynamodb-5xx=0.01,stream-redelivery=0.05,projector-crash=0.03,slow-consumer=0.02,"
          + "transaction-conflict=0.01,throttled-transaction=0.01,unprocessed-keys=0.02,"
          + "unprocessed-items=0.02,slow-call=0.0005,function-timeout=0.005,sqs-throttle=0.01,"
          + "shard-rollover=0.005,slow-millis=100";

  static SoakOptions defaults() {
    return new SoakOptions(
        DEFAULT_COMMANDS,
        DEFAULT_CLIENTS,
        ChaosConfig.parse(DEFAULT_CHAOS),
        DEFAULT_SEED,
        null,
        0,
        null,
        DEFAULT_CONVERGE,
        DEFAULT_PROGRESS,
        false);
  }

  /** The usage, with what the domain's load contends for and what its checks check. */
  static String usage(Fixtures fixtures) {
    return USAGE.formatted(
        fixtures.recordChecks().usage().stripTrailing(),
        DEFAULT_CHAOS,
        fixtures.soak().scaleUnit(),
        fixtures.soak().defaultScale());
  }

  private static final String USAGE =
      """
      Usage: java -jar innkeeper-local.jar soak [options]

      Starts Innkeeper in this JVM (a free port, no demo data) with faults injected, drives the
      domain's mix of commands over its HTTP API from many clients on contended state (the hotel
      domain's: bookings, their cancellations, allotment changes, some of them bound to be
      rejected), waits until every command settled, then checks the record and prints each check
      with its count, the domain's first:

      %s
        SUCCEEDED commands whose effect is missing or doubled
                                        no events or no applied-marker for the command id, events
                                        not where the command said, or more than one set of events
        REJECTED or FAILED commands that left a trace
                                        any event or applied-marker carrying such a command's id
        drift from verify               rows verify reports differing from a replay of the record
        commands still PENDING past the retry budget
                                        PENDING statuses, and accepted commands without a status

      and the faults injected by kind, throughput and duration. Exits 1 if any check fails.

      Options:
        --commands N          mixed commands to send (default 10000)
        --clients N           concurrent HTTP clients (default 16)
        --chaos SPEC          faults to inject (default: every kind at a moderate rate, seed 7:
                              %s);
                              'off' injects none
        --seed N              the workload's seed (default 1)
        --data-dir DIR        keep the runtime's data in DIR (default: in memory)
        --scale N             how many %s to contend for (default %d)
        --settle-timeout S    seconds to wait for every command to settle (default: the command
                              queue's retry budget, maxReceiveCount x visibility timeout + 60 s)
        --converge-timeout S  seconds to wait for verify to report no drift (default 120)
        --progress S          seconds between progress lines (default 5)
        -h, --help            show this help
      """;

  /** These options at another scale. */
  SoakOptions withScale(int scale) {
    return new SoakOptions(
        commands,
        clients,
        chaos,
        seed,
        dataDir,
        scale,
        settleTimeout,
        convergeTimeout,
        progressEvery,
        help);
  }

  /** The options of {@code args}; {@code null} (after saying why on {@code err}) if invalid. */
  static SoakOptions parse(List<String> args, PrintStream err) {
    SoakOptions o = defaults();
    int commands = o.commands;
    int clients = o.clients;
    ChaosConfig chaos = o.chaos;
    long seed = o.seed;
    Path dataDir = null;
    int scale = o.scale;
    Duration settle = null;
    Duration converge = o.convergeTimeout;
    Duration progress = o.progressEvery;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-h") || arg.equals("--help")) {
        return new SoakOptions(
            commands, clients, chaos, seed, dataDir, scale, settle, converge, progress, true);
      }
      if (!List.of(
              "--commands",
              "--clients",
              "--chaos",
              "--seed",
              "--data-dir",
              "--scale",
              "--hotels",
              "--settle-timeout",
              "--converge-timeout",
              "--progress")
          .contains(arg)) {
        err.println("Unknown option: " + arg);
        return null;
      }
      if (i + 1 >= args.size()) {
        err.println(arg + " needs a value");
        return null;
      }
      String value = args.get(++i);
      try {
        switch (arg) {
          case "--commands" -> commands = positive(arg, value, 1);
          case "--clients" -> clients = positive(arg, value, 1);
          case "--scale", "--hotels" -> scale = positive(arg, value, 1);
          case "--seed" -> seed = Long.parseLong(value);
          case "--data-dir" -> dataDir = Path.of(value).toAbsolutePath();
          case "--settle-timeout" -> settle = Duration.ofSeconds(positive(arg, value, 1));
          case "--converge-timeout" -> converge = Duration.ofSeconds(positive(arg, value, 1));
          case "--progress" -> progress = Duration.ofSeconds(positive(arg, value, 1));
          default -> {
            chaos =
                value.equals("off") || value.equals("none")
                    ? ChaosConfig.none()
                    : ChaosConfig.parse(value);
          }
        }
      } catch (NumberFormatException e) {
        err.println(arg + " needs a whole number, not " + value);
        return null;
      } catch (IllegalArgumentException e) {
        err.println(arg + ": " + e.getMessage());
        return null;
      }
    }
    return new SoakOptions(
        commands, clients, chaos, seed, dataDir, scale, settle, converge, progress, false);
  }

  private static int positive(String option, String value, int min) {
    int n = Integer.parseInt(value);
    if (n < min) {
      throw new IllegalArgumentException("must be at least " + min + ", not " + value);
    }
    return n;
  }
}
