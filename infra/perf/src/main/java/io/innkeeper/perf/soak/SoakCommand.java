package io.innkeeper.perf.soak;

import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.SubscriberService;
import io.innkeeper.core.domain.fixture.RecordChecks;
import io.innkeeper.core.domain.fixture.SoakWorkload;
import io.innkeeper.local.LocalMain;
import io.innkeeper.local.LocalOptions;
import io.innkeeper.local.LocalRuntime;
import io.innkeeper.local.TimeCompression;
import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.ops.Cli;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.ops.ReadModelOps;
import io.innkeeper.ops.ReadModelTables;
import io.innkeeper.ops.RecordCheck;
import io.innkeeper.ops.RecordEvents;
import io.innkeeper.ops.SubscriberMarks;
import io.innkeeper.perf.BusTap;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code soak}: starts Innkeeper in this JVM with faults injected, drives thousands of the domain's
 * mixed commands over its HTTP API (its {@link io.innkeeper.core.domain.fixture.SoakWorkload}, run
 * by {@link Workload}), waits until every command settled, and checks what the system recorded.
 * Each check is a count that must be 0:
 *
 * <ol>
 *   <li>the domain's own checks of its invariants ({@link
 *       io.innkeeper.core.domain.fixture.RecordChecks}; the hotel's: no night overbooked, in the
 *       inventory rows or by the record's own account, and no reservation placed or cancelled
 *       twice);
 *   <li><b>SUCCEEDED commands whose effect is missing or doubled</b>: a SUCCEEDED command without
 *       an event carrying its id, without its applied-command marker, with a marker that does not
 *       point at its event, with an event of another type than its command type appends, or on
 *       another stream than the 202 named (missing); or with its id on more than one set of events,
 *       or an idempotent repeat answered with a second command id (doubled);
 *   <li><b>REJECTED or FAILED commands that left a trace</b>: such a command whose id is on any
 *       event or applied-command marker; events of a command without any status count too;
 *   <li><b>drift from verify</b>: the rows {@code verify} reports differing between the query
 *       tables and a replay of every event ({@link ReadModelOps#verify()}), once the projector had
 *       time to catch up;
 *   <li><b>commands still PENDING past the retry budget</b>: statuses still PENDING once the settle
 *       budget (by default the command queue's, maxReceiveCount x visibility timeout + 60 s) ran
 *       out, and commands answered 202 that have no status at all.
 * </ol>
 *
 * It prints the faults injected by kind, the outcomes by type, status and reason, the throughput
 * and the duration, and exits 1 if any check fails (or the workload itself met answers it did not
 * expect).
 */
@Command(
    name = "soak",
    header = "Runs mixed load under faults, then checks nothing was lost, doubled or oversold.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Starts Innkeeper in this JVM (a free port, no demo data) with faults injected, drives the"
          + " domain's mix of commands over its HTTP API from many clients on contended state (the"
          + " hotel domain's: bookings, their cancellations, allotment changes, some of them bound"
          + " to be rejected), waits until every command settled, then checks the record and"
          + " prints each check with its count (see Checks), the faults injected by kind,"
          + " throughput and duration. Exits 1 if any check fails.",
      ""
    })
public final class SoakCommand extends Cli.Command implements Cli.RuntimeHelp {

  @Option(
      names = "--commands",
      paramLabel = "N",
      defaultValue = "10000",
      description = "mixed commands to send (default ${DEFAULT-VALUE})")
  int commands;

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "16",
      description = "concurrent HTTP clients (default ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--chaos",
      paramLabel = "SPEC",
      defaultValue = SoakOptions.DEFAULT_CHAOS,
      description =
          "faults to inject (default: every kind at a moderate rate, seed 7: ${DEFAULT-VALUE});"
              + " 'off' injects none")
  String chaos;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "the workload's seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "keep the runtime's data in DIR (default: in memory)")
  Path dataDir;

  @Option(
      names = {"--scale", "--hotels"},
      paramLabel = "N",
      description = "how many of the domain's units to contend for (default: see Domain)")
  Integer scale;

  @Option(
      names = "--settle-timeout",
      paramLabel = "S",
      description =
          "seconds to wait for every command to settle (default: the command queue's retry"
              + " budget, maxReceiveCount x visibility timeout + 60 s)")
  Integer settleTimeout;

  @Option(
      names = "--converge-timeout",
      paramLabel = "S",
      defaultValue = "120",
      description = "seconds to wait for verify to report no drift (default ${DEFAULT-VALUE})")
  int convergeTimeout;

  @Option(
      names = "--compress-time",
      paramLabel = "N",
      converter = LocalMain.Compression.class,
      description =
          "a testing aid AWS does not have: the runtime's waits (visibility timeouts, down to just"
              + " above the function's timeout; command retry delays; the consistency wait) N"
              + " times shorter, and the default settle budget with them (1 to "
              + TimeCompression.MAX_FACTOR
              + "; default 1, AWS's figures)")
  TimeCompression timeCompression = TimeCompression.none();

  @Option(
      names = "--progress",
      paramLabel = "S",
      defaultValue = "5",
      description = "seconds between progress lines (default ${DEFAULT-VALUE})")
  int progress;

  /** The soak subcommand: parses {@code args}, runs, and returns the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Cli.run(new SoakCommand(), args, out, err);
  }

  /** The checks, the domain's first, and what the domain's load contends for. */
  @Override
  public void addHelp(CommandLine line) {
    Cli.section(line, "checks", help -> SoakOptions.checks(Domains.load().fixtures()));
  }

  /** The options as the run uses them; a usage error when a value is out of range. */
  SoakOptions options(Domain domain) {
    ChaosConfig faults;
    try {
      faults =
          chaos.equals("off") || chaos.equals("none")
              ? ChaosConfig.none()
              : ChaosConfig.parse(chaos);
    } catch (IllegalArgumentException e) {
      throw usage("--chaos: " + e.getMessage());
    }
    return new SoakOptions(
        atLeast("--commands", commands, 1),
        atLeast("--clients", clients, 1),
        faults,
        seed,
        dataDir == null ? null : dataDir.toAbsolutePath(),
        scale == null ? domain.fixtures().soak().defaultScale() : atLeast("--scale", scale, 1),
        settleTimeout == null
            ? null
            : Duration.ofSeconds(atLeast("--settle-timeout", settleTimeout, 1)),
        Duration.ofSeconds(atLeast("--converge-timeout", convergeTimeout, 1)),
        Duration.ofSeconds(atLeast("--progress", progress, 1)),
        timeCompression);
  }

  @Override
  protected int run() throws Exception {
    Domain domain = Domains.load();
    SoakOptions o = options(domain);
    // Tens of thousands of commands would write hundreds of thousands of INFO lines; the report
    // is what a soak is for. LOG_LEVEL, when set, still decides.
    if (System.getenv("LOG_LEVEL") == null && System.getProperty("LOG_LEVEL") == null) {
      System.setProperty("LOG_LEVEL", "WARN");
    }
    return new Soak(domain, o, out).run();
  }

  /**
   * How long a command may take to settle when its deliveries keep failing: at worst every one of
   * its maxReceiveCount deliveries waits out the command queue's visibility timeout (an invocation
   * that fails as a whole, or a crash, leaves the message to it), then the command is FAILED. A
   * minute on top for the deciding itself. Failures the handler reports may come back sooner.
   */
  static Duration retryBudget(TimeCompression compression) {
    QueueSpec queue = compression.apply(Topology.innkeeper()).queue("command-queue");
    int receives = queue.deadLetter() == null ? 1 : queue.deadLetter().maxReceiveCount();
    return Duration.ofSeconds((long) receives * queue.visibilityTimeoutSeconds() + 60);
  }

  /** One run. */
  private static final class Soak {
    private final Domain domain;
    private final SoakWorkload soak;
    private final SoakOptions o;
    private final PrintStream out;

    Soak(Domain domain, SoakOptions o, PrintStream out) {
      this.domain = domain;
      this.soak = domain.fixtures().soak();
      this.o = o;
      this.out = out;
    }

    int run() throws Exception {
      Duration settleBudget =
          o.settleTimeout() != null ? o.settleTimeout() : retryBudget(o.timeCompression());
      String chaos = o.chaos().any() ? o.chaos().spec() : "off";
      out.printf(
          "soak: %d commands from %d clients on %d %s, domain %s, workload seed %d%n",
          o.commands(), o.clients(), o.scale(), soak.scaleUnit(), domain.name(), o.seed());
      out.printf("soak: chaos %s%n", chaos);
      out.printf(
          "soak: repeat with: soak --commands %d --clients %d --scale %d --seed %d --chaos '%s'%s%n",
          o.commands(),
          o.clients(),
          o.scale(),
          o.seed(),
          o.chaos().any() ? chaos : "off",
          o.timeCompression().compresses()
              ? " --compress-time " + o.timeCompression().factor()
              : "");
      out.flush();
      long t0 = System.nanoTime();
      LocalOptions options =
          LocalOptions.of(domain)
              .withPort(0)
              .withSeed(false)
              .withDataDir(o.dataDir())
              .withChaos(o.chaos())
              .withTimeCompression(o.timeCompression());
      try (LocalRuntime runtime = LocalRuntime.start(options);
          DynamoDbClient ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint());
          SqsClient sqs = LocalAws.sqs(runtime.sqsEndpoint());
          SnsClient sns = LocalAws.sns(runtime.snsEndpoint())) {
        long started = System.nanoTime();
        out.printf(
            "soak: runtime up in %.1f s at %s (data %s)%n",
            seconds(started - t0),
            runtime.apiUrl(),
            o.dataDir() == null ? "in memory" : o.dataDir());
        SoakStats stats = new SoakStats();
        try (StatusTracker tracker = new StatusTracker(ddb, runtime.tableName("commands"), stats)) {
          SoakApi api = new SoakApi(runtime.apiUrl(), runtime::mintToken, stats, tracker);
          SoakWorkload.Load load = soak.load(o.scale(), o.seed(), api);
          Workload workload = new Workload(load, api, stats, o.commands());
          // For each subscriber service, a queue of our own with the same subscription (raw, the
          // same filter): what the bus delivered to the service, in the order it did.
          Map<String, BusTap> taps = new java.util.LinkedHashMap<>();
          for (SubscriberService service : domain.subscribers()) {
            taps.put(
                service.id(),
                BusTap.subscribe(
                    sqs,
                    sns,
                    runtime.topicArn(Topology.EVENT_BUS),
                    "soak-" + service.id(),
                    io.innkeeper.events.Json.write(Map.of("type", service.types()))));
          }
          int setup = load.setUp(System.nanoTime() + Duration.ofMinutes(2).toNanos());
          long loadStart = System.nanoTime();
          out.printf(
              "soak: %d setup commands settled in %.1f s; %s; load starts%n",
              setup, seconds(loadStart - started), load.describe());
          out.flush();
          long settledBefore = stats.settled.sum();
          Progress progress =
              new Progress(
                  workload,
                  tracker,
                  stats,
                  runtime,
                  loadStart,
                  settledBefore,
                  out,
                  o.progressEvery());
          Thread progressThread = new Thread(progress, "soak-progress");
          progressThread.setDaemon(true);
          progressThread.start();
          workload.run(o.clients());
          long sentAt = System.nanoTime();
          boolean allSettled = tracker.awaitNone(sentAt + settleBudget.toNanos());
          long settledAt = System.nanoTime();
          progress.stop();
          progressThread.interrupt();
          progressThread.join(1000);
          progress.print();
          out.printf(
              "soak: all %d commands sent in %.1f s; %s %.1f s later%n",
              workload.sentSoFar(),
              seconds(sentAt - loadStart),
              allSettled
                  ? "every command settled"
                  : tracker.outstanding()
                      + " still PENDING when the settle budget ("
                      + settleBudget.toSeconds()
                      + " s) ran out",
              seconds(settledAt - sentAt));
          out.flush();

          // Read models: give the projector time to catch up, then verify.
          long verifyStart = System.nanoTime();
          ReadModelOps ops = new ReadModelOps(ddb, ReadModelTables.local(domain));
          ReadModelOps.Drift drift = ops.verify();
          int verifies = 1;
          long convergeDeadline = verifyStart + o.convergeTimeout().toNanos();
          while (!drift.none() && System.nanoTime() < convergeDeadline) {
            Thread.sleep(2000);
            drift = ops.verify();
            verifies++;
          }
          long verifiedAt = System.nanoTime();

          RecordCheck checker =
              new RecordCheck(
                  ddb,
                  runtime.tableName("events"),
                  runtime.tableName("commands"),
                  domain.fixtures().recordChecks());
          RecordCheck.Snapshot snapshot = checker.read();
          List<RecordChecks.Check> checks = new ArrayList<>(checker.domain(snapshot));
          checks.add(checker.effects(snapshot, api.expected(), stats.repeatMismatches.sum()));
          checks.add(checker.traces(snapshot));
          checks.add(
              new RecordChecks.Check(
                  "drift from verify",
                  drift.lines().size(),
                  Map.of(
                      "events replayed", (long) drift.events(),
                      "verify runs", (long) verifies),
                  drift.lines().stream().limit(5).toList()));
          checks.add(checker.pending(snapshot, api.acceptedIds()));
          for (SubscriberService service : domain.subscribers()) {
            checks.add(busCheck(ddb, runtime, service, taps.get(service.id()), o));
          }
          taps.values().forEach(BusTap::close);
          long checkedAt = System.nanoTime();

          printOutcomes(snapshot, stats);
          printQueues(runtime, sqs);
          boolean passed = printChecks(checks);
          printFaults(runtime);
          long mixSettled = stats.settled.sum() - settledBefore;
          out.printf(
              "Throughput: %d commands (%d accepted) settled in %.1f s from the first send: %.1f"
                  + " commands/s; accept-to-settle latency p50 %d ms, p99 %d ms%n",
              o.commands(),
              stats.accepted.sum() - setup,
              seconds(settledAt - loadStart),
              mixSettled / Math.max(0.001, seconds(settledAt - loadStart)),
              stats.latencyPercentile(50),
              stats.latencyPercentile(99));
          out.println(
              "Latency accept-to-settle by type (p50 / p99 / max ms, seen by polling): "
                  + stats.latencyByType());
          out.printf(
              "Duration: %.1f s (start %.1f s, setup %.1f s, load %.1f s, settle %.1f s, verify"
                  + " %.1f s, checks %.1f s)%n",
              seconds(checkedAt - t0),
              seconds(started - t0),
              seconds(loadStart - started),
              seconds(sentAt - loadStart),
              seconds(settledAt - sentAt),
              seconds(verifiedAt - verifyStart),
              seconds(checkedAt - verifiedAt));
          long unexpected = stats.unexpectedCount();
          if (unexpected > 0) {
            out.printf("Workload: %d unexpected answer(s), e.g.:%n", unexpected);
            stats.unexpectedExamples().forEach(e -> out.println("  " + e));
          }
          boolean ok = passed && unexpected == 0;
          out.println(
              ok
                  ? "soak: PASSED"
                  : "soak: FAILED"
                      + (unexpected > 0 && passed ? " (the workload met unexpected answers)" : ""));
          out.flush();
          return ok ? Cli.EXIT_OK : Cli.EXIT_FAILED;
        }
      }
    }

    /**
     * Every integration event of the record reached the subscriber service exactly once after
     * deduplication and in order: its queue's twin received every event of the types it follows,
     * each id once and each aggregate's in sequence order, and the service's marks are the record's
     * last sequences (it applied each aggregate's events up to the last, and nothing beyond). Waits
     * for the bus to settle first, as verify waits for the projector.
     */
    private RecordChecks.Check busCheck(
        DynamoDbClient ddb,
        LocalRuntime runtime,
        SubscriberService service,
        BusTap tap,
        SoakOptions o)
        throws InterruptedException {
      long deadline =
          System.nanoTime()
              + o.convergeTimeout().toNanos()
              + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
      Map<String, List<io.innkeeper.events.published.CloudEvent>> expected;
      BusTap.Comparison compared;
      List<String> marks;
      while (true) {
        Map<String, List<io.innkeeper.events.published.CloudEvent>> record =
            RecordEvents.read(ddb, runtime.tableName("events"), domain, "urn:soak", null);
        expected = new java.util.TreeMap<>();
        for (var e : record.entrySet()) {
          var followed =
              e.getValue().stream().filter(c -> service.types().contains(c.type())).toList();
          if (!followed.isEmpty()) {
            expected.put(e.getKey(), followed);
          }
        }
        compared = tap.compare(expected);
        marks =
            SubscriberMarks.differences(
                ddb, runtime.tableName(service.marksTable()), service, record);
        if ((compared.problems() == 0 && marks.isEmpty()) || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(2000);
      }
      List<String> examples = new ArrayList<>(compared.examples());
      marks.stream().limit(3).forEach(m -> examples.add("mark " + m));
      long events = expected.values().stream().mapToLong(List::size).sum();
      return new RecordChecks.Check(
          "integration events not delivered to " + service.id() + " exactly once in order",
          compared.problems() + marks.size(),
          Map.of(
              "events of its types", events,
              "missing", (long) compared.missing().size(),
              "doubled", (long) compared.doubled().size(),
              "out of order", (long) compared.outOfOrder().size(),
              "marks off", (long) marks.size()),
          examples);
    }

    private void printOutcomes(RecordCheck.Snapshot snapshot, SoakStats stats) {
      out.println("Outcomes (command statuses by type, status and reason, setup included):");
      RecordCheck.outcomes(snapshot).forEach((k, v) -> out.printf("  %-46s %7d%n", k, v));
      out.printf(
          "Requests: %d commands sent, %d accepted (202, setup included), %d refused at intake"
              + " as the load expected (e.g. 403), %d idempotent repeats, %d retries after"
              + " 5xx/429/no answer, %d given up; HTTP answers %s%n",
          stats.sent.sum(),
          stats.accepted.sum(),
          stats.refused.sum(),
          stats.repeats.sum(),
          stats.retries.sum(),
          stats.gaveUp.sum(),
          stats.answers());
    }

    private void printQueues(LocalRuntime runtime, SqsClient sqs) {
      StringBuilder b = new StringBuilder("Queues at check time:");
      for (String queue : List.of("command-queue", "command-dlq", "projector-parked")) {
        try {
          var a =
              sqs.getQueueAttributes(
                      r ->
                          r.queueUrl(runtime.queueUrl(queue))
                              .attributeNames(
                                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                  .attributes();
          b.append(
              String.format(
                  " %s %s waiting, %s in flight;",
                  queue,
                  a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                  a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
        } catch (RuntimeException e) {
          b.append(' ').append(queue).append(" unknown (").append(e.getMessage()).append(");");
        }
      }
      out.println(b);
    }

    private boolean printChecks(List<RecordChecks.Check> checks) {
      out.println("Checks:");
      boolean passed = true;
      for (RecordChecks.Check c : checks) {
        passed &= c.passed();
        StringBuilder parts = new StringBuilder();
        c.parts()
            .forEach(
                (k, v) ->
                    parts.append(parts.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        out.printf(
            "  %-54s %s%n      (%s)%n",
            c.name() + ": " + c.count(), c.passed() ? "ok" : "FAILED", parts);
        c.examples().forEach(e -> out.println("      e.g. " + e));
      }
      return passed;
    }

    private void printFaults(LocalRuntime runtime) {
      Map<Fault, Long> injected = runtime.chaos().injected();
      long total = injected.values().stream().mapToLong(Long::longValue).sum();
      StringBuilder b = new StringBuilder("Faults injected:");
      for (Fault f : Fault.values()) {
        b.append(' ').append(f.key()).append(' ').append(injected.getOrDefault(f, 0L)).append(',');
      }
      b.append(" total ").append(total);
      out.println(b);
      Map<String, Long> variants = runtime.chaos().variants();
      if (!variants.isEmpty()) {
        out.println("  of which " + variants);
      }
      out.println(
          "Invocations failed for running past their timeout, by function: "
              + runtime.timedOutInvocations());
      if (total == 0 && o.chaos().any()) {
        out.println(
            "  (none although the spec asks for some: this runtime does not inject those faults"
                + " yet)");
      }
    }
  }

  /** The progress line, every few seconds while the load runs. */
  private static final class Progress implements Runnable {
    private final Workload workload;
    private final StatusTracker tracker;
    private final SoakStats stats;
    private final LocalRuntime runtime;
    private final long loadStart;
    private final long settledBefore;
    private final long succeededBefore;
    private final long rejectedBefore;
    private final long failedBefore;
    private final PrintStream out;
    private final Duration every;
    private volatile boolean running = true;
    private long lastNanos;
    private long lastSettled;

    Progress(
        Workload workload,
        StatusTracker tracker,
        SoakStats stats,
        LocalRuntime runtime,
        long loadStart,
        long settledBefore,
        PrintStream out,
        Duration every) {
      this.workload = workload;
      this.tracker = tracker;
      this.stats = stats;
      this.runtime = runtime;
      this.loadStart = loadStart;
      this.settledBefore = settledBefore;
      this.succeededBefore = stats.succeeded.sum();
      this.rejectedBefore = stats.rejected.sum();
      this.failedBefore = stats.failed.sum();
      this.out = out;
      this.every = every;
      this.lastNanos = loadStart;
      this.lastSettled = settledBefore;
    }

    @Override
    public void run() {
      while (running) {
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        if (running) {
          print();
        }
      }
    }

    void stop() {
      running = false;
    }

    synchronized void print() {
      long now = System.nanoTime();
      long settled = stats.settled.sum();
      double rate = (settled - lastSettled) / Math.max(0.001, seconds(now - lastNanos));
      lastNanos = now;
      lastSettled = settled;
      long faults = runtime.chaos().injected().values().stream().mapToLong(Long::longValue).sum();
      out.printf(
          "soak: %6.1f s  sent %d/%d  settled %d (succeeded %d, rejected %d, failed %d)"
              + "  pending %d  %.0f commands/s  faults %d%n",
          seconds(now - loadStart),
          workload.sentSoFar(),
          workload.total(),
          settled - settledBefore,
          stats.succeeded.sum() - succeededBefore,
          stats.rejected.sum() - rejectedBefore,
          stats.failed.sum() - failedBefore,
          tracker.outstanding(),
          rate,
          faults);
      out.flush();
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
