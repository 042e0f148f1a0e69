package io.innkeeper.perf.soak;

import io.innkeeper.core.domain.fixture.Fixtures;
import io.innkeeper.local.TimeCompression;
import io.innkeeper.local.chaos.ChaosConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a soak run does.
 *
 * @param commands the mixed commands to send (setup commands come on top)
 * @param clients concurrent HTTP clients, each with guests of its own
 * @param chaos the faults the runtime injects
 * @param seed the workload's seed: which operations, guests, hotels, dates and sizes
 * @param dataDir where the runtime keeps its data, or {@code null} for in memory
 * @param scale how many of the domain's units (the hotel's: hotels) the load contends for
 * @param settleTimeout how long to wait, after the last command was sent, for every command to
 *     leave PENDING; {@code null} for the retry budget (see {@link SoakCommand#retryBudget})
 * @param convergeTimeout how long to wait for {@code verify} to report no drift
 * @param progressEvery how often a progress line is printed
 * @param timeCompression how many times shorter the runtime's waits are (a testing aid, see {@link
 *     TimeCompression})
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
    TimeCompression timeCompression) {

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

  /** The usage's checks, the domain's first, and what the domain's load contends for. */
  static String checks(Fixtures fixtures) {
    return CHECKS.formatted(
        fixtures.recordChecks().usage().stripTrailing(),
        fixtures.soak().defaultScale(),
        fixtures.soak().scaleUnit());
  }

  private static final String CHECKS =
      """

      Checks, each a count that must be 0, the domain's first:
      %s
        SUCCEEDED commands whose effect is missing or doubled
                                        no events or no applied-marker for the command id, events
                                        not where the command said, or more than one set of events
        REJECTED or FAILED commands that left a trace
                                        any event or applied-marker carrying such a command's id
        drift from verify               rows verify reports differing from a replay of the record
        commands still PENDING past the retry budget
                                        PENDING statuses, and accepted commands without a status

      Domain: the load contends for %d %s unless --scale says otherwise.
      """;
}
