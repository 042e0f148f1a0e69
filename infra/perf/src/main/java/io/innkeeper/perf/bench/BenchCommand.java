package io.innkeeper.perf.bench;

import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.fixture.BenchWorkload;
import io.innkeeper.local.LocalOptions;
import io.innkeeper.local.LocalRuntime;
import io.innkeeper.local.lambda.FunctionHost;
import io.innkeeper.ops.Cli;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.perf.BusTap;
import io.innkeeper.perf.Samples;
import io.innkeeper.perf.bench.Ceilings.Rate;
import io.innkeeper.perf.bench.DynamoDbMeter.Meter;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code bench}: starts Innkeeper in this JVM, drives load through its HTTP API in phases and
 * reports throughput, latency, projection lag and the ceiling of the same DynamoDB Local measured
 * in the same run (see {@code bench --help}). Phases, in order:
 *
 * <ol>
 *   <li>warm-up: the command mix and the query mix, unmeasured; the runtime's {@link DynamoDbMeter}
 *       samples the functions' requests meanwhile;
 *   <li>write ceiling: the sampled booking transactions replayed raw ({@link Ceilings#writes});
 *   <li>full speed: the command mix, each client keeping {@code --window} commands outstanding;
 *   <li>half speed: the mix's first kind only (the hotel's bookings), paced at half the full-speed
 *       processed rate — the lag goal's condition, and the cost of one such command;
 *   <li>queries: the query mix, back to back;
 *   <li>read ceiling: the sampled query reads replayed raw ({@link Ceilings#reads});
 *   <li>flash sale: every client booking one room type of one hotel ({@link
 *       BenchWorkload#flashSale}), as fast as it goes, until it sells out and beyond.
 * </ol>
 *
 * <p>After the half-speed phase, the every-request ceiling: every DynamoDB request a booking made
 * there (intake, handler, projector), replayed raw in the same proportions ({@link
 * Ceilings#everyRequest}).
 */
@Command(
    name = "bench",
    header = "Measures throughput, latency, lag, the DynamoDB ceiling and the cost on AWS.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Starts Innkeeper in this JVM (a free port, no demo data), drives load through its HTTP API"
          + " and reports, for this machine (about 3 minutes with the defaults):",
      "  commands   accepted/s, processed/s, accept-to-SUCCEEDED latency p50/p95/p99, at full"
          + " speed and again at half of it",
      "  lag        event written to every read model, p50/p95/p99 (at full and at half speed)",
      "  queries    queries/s and latency p50/p99",
      "  ceiling    the raw rate of every DynamoDB request a booking makes (intake, handler,"
          + " projector), of the booking TransactWriteItems alone and of the same"
          + " GetItem/Query/BatchGetItem calls (queries) against the same DynamoDB Local, and our"
          + " rates as a ratio of it",
      "  flash sale every client booking one room type of one hotel: bookings/s and rejections",
      "  cost       dollars per million bookings and per million queries on AWS, from the calls,"
          + " consumed capacity and handler durations measured here",
      "It writes bench.json, bench.md and bench.png (throughput and latency over time) to --out.",
      ""
    })
public final class BenchCommand extends Cli.Command implements Cli.RuntimeHelp {

  @Option(
      names = "--duration",
      paramLabel = "S",
      defaultValue = "20",
      description = "seconds of each measured load phase (default ${DEFAULT-VALUE})")
  int duration;

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "8",
      description =
          "concurrent command clients, and as many query clients (default ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--window",
      paramLabel = "N",
      defaultValue = "4",
      description = "commands each client keeps outstanding (default ${DEFAULT-VALUE})")
  int window;

  @Option(
      names = "--mix",
      paramLabel = "SPEC",
      description = "command mix by weight, kind=weight,... (default: the domain's, see Domain)")
  String mix;

  @Option(
      names = "--queries",
      paramLabel = "SPEC",
      description = "query mix by weight, kind=weight,... (default: the domain's, see Domain)")
  String queries;

  @Option(
      names = "--ceiling",
      paramLabel = "S",
      defaultValue = "10",
      description =
          "seconds of each raw ceiling run; each ceiling is run from --clients threads and from"
              + " --ceiling-threads, the higher rate counts (default ${DEFAULT-VALUE})")
  int ceiling;

  @Option(
      names = "--ceiling-threads",
      paramLabel = "N",
      defaultValue = "32",
      description = "threads replaying requests in a ceiling run (default ${DEFAULT-VALUE})")
  int ceilingThreads;

  @Option(
      names = "--warmup",
      paramLabel = "S",
      defaultValue = "10",
      description = "seconds of unmeasured load first (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = {"--scale", "--hotels"},
      paramLabel = "N",
      description = "how many of the domain's units to spread the load over (default: see Domain)")
  Integer scale;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "bench-results",
      description = "where the reports go (default ${DEFAULT-VALUE})")
  Path outDir;

  @Option(
      names = "--progress",
      paramLabel = "S",
      defaultValue = "5",
      description = "seconds between progress lines (default ${DEFAULT-VALUE})")
  int progress;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "the workload's seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--outage",
      paramLabel = "S",
      defaultValue = "30",
      description =
          "seconds the domain's subscriber service (guest-messages) fails in the isolation phase,"
              + " a half-speed run beside the first; 0 skips it (default ${DEFAULT-VALUE})")
  int outage;

  /** The bench subcommand: parses {@code args}, runs, and returns the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Cli.run(new BenchCommand(), args, out, err);
  }

  /** The domain's default mixes and scale. */
  @Override
  public void addHelp(CommandLine line) {
    Cli.section(line, "domain", help -> BenchOptions.domainHelp(Domains.load().fixtures().bench()));
  }

  /** The options as the run uses them; a usage error when a value does not fit the workload. */
  BenchOptions options(BenchWorkload workload) {
    Map<String, Integer> commandMix;
    Map<String, Integer> queryMix;
    try {
      commandMix =
          BenchOptions.mix(
              mix == null ? workload.defaultCommandMix() : mix,
              BenchOptions.kinds(workload.defaultCommandMix()));
    } catch (IllegalArgumentException e) {
      throw usage("--mix: " + e.getMessage());
    }
    try {
      queryMix =
          BenchOptions.mix(
              queries == null ? workload.defaultQueryMix() : queries,
              BenchOptions.kinds(workload.defaultQueryMix()));
    } catch (IllegalArgumentException e) {
      throw usage("--queries: " + e.getMessage());
    }
    return new BenchOptions(
        atLeast("--duration", duration, 1),
        atLeast("--clients", clients, 1),
        atLeast("--window", window, 1),
        commandMix,
        queryMix,
        atLeast("--ceiling", ceiling, 1),
        atLeast("--ceiling-threads", ceilingThreads, 1),
        atLeast("--warmup", warmup, 0),
        scale == null ? workload.defaultScale() : atLeast("--scale", scale, 1),
        outDir,
        atLeast("--progress", progress, 1),
        seed);
  }

  @Override
  protected int run() throws Exception {
    Domain domain = Domains.load();
    BenchWorkload workload = domain.fixtures().bench();
    BenchOptions o = options(workload);
    // The functions (and the runtime) log JSON lines to standard error, as on Lambda; here they go
    // to a file beside the reports, so the console shows the benchmark's own lines.
    Files.createDirectories(o.out());
    java.nio.file.Path logFile = o.out().resolve("functions.log");
    PrintStream stderr = System.err;
    Map<String, Object> report;
    try (PrintStream logs =
        new PrintStream(
            new java.io.BufferedOutputStream(Files.newOutputStream(logFile), 1 << 16),
            false,
            java.nio.charset.StandardCharsets.UTF_8)) {
      System.setErr(logs);
      // out keeps pointing at the console stream it was given.
      report = new Bench(domain, workload, o, out, atLeast("--outage", outage, 0)).run();
    } finally {
      System.setErr(stderr);
    }
    BenchReport.write(report, o.out());
    out.println();
    out.print(BenchReport.markdownSummary(report));
    out.printf(
        "bench: reports in %s (bench.json, bench.md, %s)%n",
        o.out().toAbsolutePath(), BenchReport.CHART);
    return Cli.EXIT_OK;
  }

  /** One run. */
  private static final class Bench {
    private final Domain domain;
    private final BenchWorkload workload;
    private final BenchOptions o;
    private final PrintStream out;
    private volatile FunctionTimes times = new FunctionTimes();
    private final List<String> recordedQueries = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final int outageSeconds;
    private BusTap tap;

    Bench(
        Domain domain, BenchWorkload workload, BenchOptions o, PrintStream out, int outageSeconds) {
      this.domain = domain;
      this.workload = workload;
      this.o = o;
      this.out = out;
      this.outageSeconds = outageSeconds;
    }

    Map<String, Object> run() throws Exception {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("machine", machine());
      report.put("options", options());
      long t0 = System.nanoTime();
      Timeline timeline = new Timeline(t0);
      LocalRuntime runtime =
          LocalRuntime.start(LocalOptions.of(domain).withPort(0).withSeed(false));
      long ready = System.nanoTime();
      Map<String, Object> startup = new LinkedHashMap<>();
      startup.put("runtimeStartMillis", round((ready - t0) / 1e6));
      Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(null);
      if (jvmStart != null) {
        startup.put(
            "jvmStartToReadyMillis",
            java.time.Duration.between(jvmStart, Instant.now()).toMillis());
      }
      startup.put("phases", runtime.startupSummary());
      report.put("startup", startup);
      out.printf(
          "bench: runtime ready in %.1f s (%s)%n", (ready - t0) / 1e9, startup.get("phases"));

      // A subscriber of the benchmark's own on the event bus, as a service outside the product
      // subscribes: event-to-subscriber-queue latency.
      SqsClient busSqs = LocalAws.sqs(runtime.sqsEndpoint());
      SnsClient busSns = LocalAws.sns(runtime.snsEndpoint());
      tap =
          BusTap.subscribe(
              busSqs, busSns, runtime.topicArn(Topology.EVENT_BUS), "bench-subscriber", null);
      FunctionHost host = (FunctionHost) runtime.functions();
      BenchLoad load = new BenchLoad(runtime.apiUrl(), o, timeline, runtime::mintToken, workload);
      FunctionHost.InvocationObserver observer =
          (function, event, answer, failed, start, end) -> {
            times.add(function, (end - start) / 1e6);
            if (function.equals("query-api")
                && !failed
                && recordedQueries.size() < 200
                && answer != null
                && answer.contains("\"statusCode\":200")) {
              recordedQueries.add(event);
            }
            if (function.equals("command-handler")) {
              load.handlerInvoked(event, answer, failed, end);
            } else if (function.equals("projector")) {
              load.projectorInvoked(event, answer, failed, end);
            }
          };
      host.observe(observer);
      Meter meter = DynamoDbMeter.start();
      try (DynamoDbClient ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint())) {
        load.setUp();
        out.printf(
            "bench: %d %s set up; %d s warm-up%n",
            o.scale(), workload.scaleUnit(), o.warmupSeconds());
        long warm = System.nanoTime();
        timeline.mark(warm, "warm-up");
        load.stats = new BenchLoad.PhaseStats("warm-up");
        load.commands(warm + seconds(Math.max(1, o.warmupSeconds())), 0, o.commandMix());
        load.drain(System.nanoTime() + seconds(60));
        load.queries(System.nanoTime() + seconds(Math.max(1, o.warmupSeconds() / 2)));
        meter.stopSampling();

        // Each ceiling is measured from as many threads as the load has clients and from
        // --ceiling-threads, and the higher rate counts: DynamoDB Local's transactions only
        // overlap with many callers, while its reads can lose to too many.
        Ceilings ceilings = new Ceilings(ddb, o.clients());
        Ceilings wide = new Ceilings(ddb, o.ceilingThreads());
        out.printf(
            "bench: write ceiling, %d s of raw booking transactions from %d threads, then %d%n",
            o.ceilingSeconds(), o.clients(), o.ceilingThreads());
        timeline.mark(System.nanoTime(), "write ceiling");
        List<TransactWriteItemsRequest> bookings =
            Ceilings.bookings(meter.samples("command-handler/DynamoDb.TransactWriteItems"));
        Rate writeCeiling =
            Ceilings.higher(
                ceilings.writes(runtime.tableName("events"), bookings, o.ceilingSeconds()),
                wide.writes(runtime.tableName("events"), bookings, o.ceilingSeconds()));
        out.printf(
            "bench: write ceiling %.0f TransactWriteItems/s from %d threads (p50 %.1f ms, p99 %.1f"
                + " ms)%n",
            writeCeiling.perSecond(),
            writeCeiling.threads(),
            writeCeiling.p50Millis(),
            writeCeiling.p99Millis());

        Map<String, Object> full =
            commandPhase("full speed", load, meter, timeline, ddb, runtime, 0, o.commandMix());
        double processed = (double) full.get("processedPerSecond");
        Map<String, Object> half =
            commandPhase(
                "half speed",
                load,
                meter,
                timeline,
                ddb,
                runtime,
                processed / 2,
                Map.of(BenchOptions.kinds(workload.defaultCommandMix()).get(0), 1));
        // Every request of a booking, in the proportions the bookings-only phase made them.
        @SuppressWarnings("unchecked")
        Map<String, Double> perBooking = (Map<String, Double>) half.remove("_dynamoDbCalls");
        full.remove("_dynamoDbCalls");
        Map<String, List<SdkRequest>> bookingSamples = new TreeMap<>();
        double callsPerBooking = 0;
        for (var e : perBooking.entrySet()) {
          String key = e.getKey();
          callsPerBooking += e.getValue();
          bookingSamples.put(
              key,
              key.equals("command-handler/DynamoDb.TransactWriteItems")
                  ? new ArrayList<>(Ceilings.bookings(meter.samples(key)))
                  : meter.samples(key));
        }
        out.printf(
            "bench: every-request ceiling, %d s of a booking's %.1f DynamoDB requests, raw, from %d"
                + " threads, then %d%n",
            o.ceilingSeconds(), callsPerBooking, o.clients(), o.ceilingThreads());
        timeline.mark(System.nanoTime(), "every-request ceiling");
        String events = runtime.tableName("events");
        Rate everyRequest =
            Ceilings.higher(
                ceilings.everyRequest(events, bookingSamples, perBooking, o.ceilingSeconds()),
                wide.everyRequest(events, bookingSamples, perBooking, o.ceilingSeconds()));
        double bookingCeiling = everyRequest.perSecond() / callsPerBooking;
        out.printf(
            "bench: every-request ceiling %.0f requests/s = %.1f bookings/s from %d threads%n",
            everyRequest.perSecond(), bookingCeiling, everyRequest.threads());

        Map<String, Object> isolation = null;
        Map<String, Object> down = null;
        long outageEnd = 0;
        var services = domain.subscribers();
        if (outageSeconds > 0 && !services.isEmpty()) {
          String service = services.get(0).id();
          java.util.concurrent.atomic.AtomicLong end = new java.util.concurrent.atomic.AtomicLong();
          down =
              commandPhase(
                  "half speed, " + service + " down " + outageSeconds + " s",
                  load,
                  meter,
                  timeline,
                  ddb,
                  runtime,
                  processed / 2,
                  Map.of(BenchOptions.kinds(workload.defaultCommandMix()).get(0), 1),
                  Math.max(o.duration(), outageSeconds + 10),
                  () -> {
                    // The outage starts a few seconds into the load and ends before it does.
                    Thread t =
                        new Thread(
                            () -> {
                              try {
                                Thread.sleep(5000);
                              } catch (InterruptedException e) {
                                return;
                              }
                              runtime
                                  .chaos()
                                  .failFor(service, java.time.Duration.ofSeconds(outageSeconds));
                              end.set(System.nanoTime() + seconds(outageSeconds));
                            },
                            "bench-outage");
                    t.setDaemon(true);
                    t.start();
                  });
          outageEnd = end.get();
          down.remove("_dynamoDbCalls");
          down.remove("_costInput");
          isolation = new LinkedHashMap<>();
          isolation.put("service", service);
          isolation.put("outageSeconds", outageSeconds);
          isolation.put(
              "acceptToSucceededP50Ratio", ratio(down, half, "acceptToSucceededMillis", "p50"));
          isolation.put(
              "acceptToSucceededP99Ratio", ratio(down, half, "acceptToSucceededMillis", "p99"));
          isolation.put("lagP50Ratio", ratio(down, half, "lagMillis", "p50"));
          isolation.put("lagP99Ratio", ratio(down, half, "lagMillis", "p99"));
        }
        Map<String, Object> queries = queryPhase(load, meter, timeline);

        out.printf(
            "bench: read ceiling, %d s of raw query reads from %d threads, then %d%n",
            o.ceilingSeconds(), o.clients(), o.ceilingThreads());
        timeline.mark(System.nanoTime(), "read ceiling");
        @SuppressWarnings("unchecked")
        Map<String, Long> readCalls = (Map<String, Long>) queries.remove("_calls");
        Map<String, List<SdkRequest>> readSamples = new TreeMap<>();
        for (String key : readCalls.keySet()) {
          if (key.startsWith("query-api/DynamoDb.")) {
            readSamples.put(key, meter.samples(key));
          }
        }
        Rate readCeiling =
            Ceilings.higher(
                ceilings.reads(readSamples, readCalls, o.ceilingSeconds()),
                wide.reads(readSamples, readCalls, o.ceilingSeconds()));
        out.printf("bench: query-api in-process, %d s without HTTP%n", o.ceilingSeconds());
        Rate handlerOnly =
            ceilings.handler(runtime.functions(), List.copyOf(recordedQueries), o.ceilingSeconds());
        out.printf(
            "bench: query-api in-process %.0f queries/s (p50 %.2f ms, p99 %.2f ms)%n",
            handlerOnly.perSecond(), handlerOnly.p50Millis(), handlerOnly.p99Millis());

        Map<String, Object> flash = null;
        if (load.startFlashSale()) {
          flash =
              commandPhase(
                  "flash sale",
                  load,
                  meter,
                  timeline,
                  ddb,
                  runtime,
                  0,
                  Map.of(BenchOptions.kinds(workload.defaultCommandMix()).get(0), 1));
          flash.remove("_costInput");
          flash.remove("_dynamoDbCalls");
          @SuppressWarnings("unchecked")
          Map<String, Long> outcomes = (Map<String, Long>) flash.get("outcomes");
          double seconds = (double) flash.get("seconds");
          flash.put("succeededPerSecond", round(outcomes.getOrDefault("SUCCEEDED", 0L) / seconds));
          flash.put("rejectedPerSecond", round(outcomes.getOrDefault("REJECTED", 0L) / seconds));
        }
        timeline.mark(System.nanoTime(), "end");
        out.printf(
            "bench: read ceiling %.0f calls/s from %d threads (p50 %.2f ms, p99 %.2f ms)%n",
            readCeiling.perSecond(),
            readCeiling.threads(),
            readCeiling.p50Millis(),
            readCeiling.p99Millis());

        // The cost model prices the half-speed phase (bookings only); the mix's inputs go.
        full.remove("_costInput");
        Map<String, Object> commands = new LinkedHashMap<>();
        commands.put("fullSpeed", full);
        commands.put("halfSpeed", half);
        if (down != null) {
          commands.put("halfSpeedSubscriberDown", down);
          isolation.putAll(catchUp(ddb, runtime, domain.subscribers().get(0), outageEnd));
          report.put("isolation", isolation);
        }
        report.put("commands", commands);
        report.put("queries", queries);
        if (flash != null) {
          report.put("flashSale", flash);
        }
        double callsPerQuery = (double) queries.get("dynamoDbCallsPerQuery");
        Map<String, Object> ceiling = new LinkedHashMap<>();
        ceiling.put(
            "everyRequest",
            rate(everyRequest, "every DynamoDB request of a booking (intake, handler, projector)"));
        ceiling.put("dynamoDbCallsPerBooking", round(callsPerBooking));
        ceiling.put("bookingsPerSecondAtEveryRequestCeiling", round(bookingCeiling));
        ceiling.put("processedVsEveryRequestCeiling", round(processed / bookingCeiling));
        ceiling.put("write", rate(writeCeiling, "TransactWriteItems of a booking"));
        ceiling.put("read", rate(readCeiling, "query-api's GetItem/Query/BatchGetItem calls"));
        ceiling.put(
            "queryApiInProcess", rate(handlerOnly, "query-api invoked in-process, no HTTP"));
        double queryCeiling = readCeiling.perSecond() / callsPerQuery;
        ceiling.put("queriesPerSecondAtReadCeiling", round(queryCeiling));
        ceiling.put("processedVsWriteCeiling", round(processed / writeCeiling.perSecond()));
        ceiling.put(
            "queriesVsReadCeiling", round((double) queries.get("perSecond") / queryCeiling));
        report.put("ceiling", ceiling);
        report.put("cost", cost(half, queries));
        report.put("goals", goals(report));
        report.put("timeline", BenchReport.timelineJson(timeline));
        return report;
      } finally {
        host.unobserve(observer);
        DynamoDbMeter.stop();
        tap.close();
        busSqs.close();
        busSns.close();
        runtime.close();
      }
    }

    /** One command phase: load until the duration ends, then until every command is processed. */
    private Map<String, Object> commandPhase(
        String name,
        BenchLoad load,
        Meter meter,
        Timeline timeline,
        DynamoDbClient ddb,
        LocalRuntime runtime,
        double rate,
        Map<String, Integer> mix)
        throws InterruptedException {
      return commandPhase(
          name, load, meter, timeline, ddb, runtime, rate, mix, o.duration(), () -> {});
    }

    /** As above, for {@code seconds}, running {@code atStart} as the load starts. */
    private Map<String, Object> commandPhase(
        String name,
        BenchLoad load,
        Meter meter,
        Timeline timeline,
        DynamoDbClient ddb,
        LocalRuntime runtime,
        double rate,
        Map<String, Integer> mix,
        int seconds,
        Runnable atStart)
        throws InterruptedException {
      out.printf(
          "bench: %s, %d s of %s%s%n",
          name,
          seconds,
          mix,
          rate > 0 ? String.format(" paced at %.1f/s", rate) : " as fast as it goes");
      meter.resetCounts();
      times = new FunctionTimes();
      BenchLoad.PhaseStats s = new BenchLoad.PhaseStats(name);
      load.stats = s;
      long start = System.nanoTime();
      Instant wallStart = Instant.now();
      s.startNanos = start;
      timeline.mark(start, name);
      long until = start + seconds(seconds);
      tap.nextLatency();
      atStart.run();
      Thread progress = progress(s, load, until);
      load.commands(until, rate, mix);
      s.endNanos = System.nanoTime();
      Instant wallEnd = Instant.now();
      progress.interrupt();
      boolean drained = load.drain(System.nanoTime() + seconds(120));
      // The projector is a stream batch or two behind the handler.
      Thread.sleep(2000);
      Map<String, Long> calls = meter.calls();
      Map<String, Double> capacity = meter.capacity();
      FunctionTimes phaseTimes = times;

      Map<String, Object> r = new LinkedHashMap<>();
      r.put("mix", mix);
      r.put("pacedAtPerSecond", rate > 0 ? round(rate) : null);
      r.put("seconds", round(s.seconds()));
      r.put("sent", s.sent.sum());
      r.put("accepted", s.accepted.sum());
      r.put("refused", s.refused.sum());
      r.put("httpStatuses", statuses(s));
      r.put("acceptedPerSecond", round(s.accepted.sum() / s.seconds()));
      r.put("processedPerSecond", round(s.processedInWindow.sum() / s.seconds()));
      r.put("allProcessed", drained);
      Samples succeeded = new Samples();
      Map<String, Long> rejections = new TreeMap<>();
      Map<String, Long> outcomes =
          outcomes(ddb, runtime, wallStart, wallEnd, succeeded, rejections);
      r.put("outcomes", outcomes);
      r.put("rejections", rejections);
      r.put("acceptToSucceededMillis", percentiles(succeeded, 50, 95, 99));
      r.put("sendToProcessedMillis", percentiles(s.settle, 50, 95, 99));
      r.put("lagMillis", percentiles(s.lag, 50, 95, 99));
      r.put("lagSamples", s.lag.count());
      Samples bus = tap.nextLatency();
      r.put("eventToSubscriberQueueMillis", percentiles(bus, 50, 95, 99));
      r.put("eventToSubscriberQueueSamples", bus.count());
      long n = Math.max(1, s.accepted.sum());
      r.put("callsPerCommand", perOperation(calls, n));
      r.put("capacityUnitsPerCommand", perOperation(capacity, n));
      r.put("handlers", handlers(phaseTimes, n));
      r.put("_costInput", costInput(calls, capacity, phaseTimes, n));
      Map<String, Double> dynamoDbCalls = new TreeMap<>();
      calls.forEach(
          (k, v) -> {
            if (k.contains("/DynamoDb.") && !k.startsWith("query-api/")) {
              dynamoDbCalls.put(k, (double) v / n);
            }
          });
      r.put("_dynamoDbCalls", dynamoDbCalls);
      out.printf(
          "bench: %s: accepted %.1f/s, processed %.1f/s, accept-to-SUCCEEDED p50/p95/p99 %s ms,"
              + " lag p50/p95/p99 %s ms, event to subscriber queue p50/p95/p99 %s ms%n",
          name,
          (double) r.get("acceptedPerSecond"),
          (double) r.get("processedPerSecond"),
          triple(succeeded),
          triple(s.lag),
          triple(bus));
      return r;
    }

    private Map<String, Object> queryPhase(BenchLoad load, Meter meter, Timeline timeline)
        throws InterruptedException {
      out.printf("bench: queries, %d s of %s%n", o.duration(), o.queryMix());
      meter.resetCounts();
      times = new FunctionTimes();
      BenchLoad.PhaseStats s = new BenchLoad.PhaseStats("queries");
      load.stats = s;
      long start = System.nanoTime();
      s.startNanos = start;
      timeline.mark(start, "queries");
      long until = start + seconds(o.duration());
      Thread progress = progress(s, load, until);
      load.queries(until);
      s.endNanos = System.nanoTime();
      progress.interrupt();
      Map<String, Long> calls = meter.calls();
      Map<String, Double> capacity = meter.capacity();
      long n = Math.max(1, s.queries.sum());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("mix", o.queryMix());
      r.put("seconds", round(s.seconds()));
      r.put("answered", s.queries.sum());
      r.put("errors", s.queryErrors.sum());
      r.put("errorStatuses", statuses(s));
      r.put("perSecond", round(s.queries.sum() / s.seconds()));
      r.put("latencyMillis", percentiles(s.queryLatency, 50, 99));
      long dynamoCalls = 0;
      for (var e : calls.entrySet()) {
        if (e.getKey().startsWith("query-api/DynamoDb.")) {
          dynamoCalls += e.getValue();
        }
      }
      r.put("dynamoDbCallsPerQuery", round((double) dynamoCalls / n));
      r.put("callsPerQuery", perOperation(calls, n));
      r.put("capacityUnitsPerQuery", perOperation(capacity, n));
      r.put("handlers", handlers(times, n));
      r.put("_costInput", costInput(calls, capacity, times, n));
      r.put("_calls", calls);
      out.printf(
          "bench: queries: %.0f/s, latency p50 %.1f ms, p99 %.1f ms, %d errors%n",
          (double) r.get("perSecond"),
          s.queryLatency.percentile(50),
          s.queryLatency.percentile(99),
          s.queryErrors.sum());
      return r;
    }

    private Thread progress(BenchLoad.PhaseStats s, BenchLoad load, long until) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < until) {
                    Thread.sleep(o.progressSeconds() * 1000L);
                    double elapsed = s.seconds();
                    out.printf(
                        "bench:   %s %3.0f/%d s: accepted %d (%.1f/s), processed %d (%.1f/s),"
                            + " outstanding %d, queries %d (%.0f/s), lag p99 %.0f ms%n",
                        s.name,
                        elapsed,
                        o.duration(),
                        s.accepted.sum(),
                        s.accepted.sum() / elapsed,
                        s.processed.sum(),
                        s.processed.sum() / elapsed,
                        load.outstanding(),
                        s.queries.sum(),
                        s.queries.sum() / elapsed,
                        s.lag.percentile(99));
                    out.flush();
                  }
                } catch (InterruptedException e) {
                  // The phase ended.
                }
              },
              "bench-progress");
      t.setDaemon(true);
      t.start();
      return t;
    }

    /** Outcomes of the commands accepted in the window, and accept-to-SUCCEEDED latencies. */
    private static Map<String, Long> outcomes(
        DynamoDbClient ddb,
        LocalRuntime runtime,
        Instant from,
        Instant to,
        Samples succeeded,
        Map<String, Long> rejections) {
      Map<String, Long> outcomes = new TreeMap<>();
      for (var page :
          ddb.scanPaginator(b -> b.tableName(runtime.tableName("commands")).consistentRead(true))) {
        for (Map<String, AttributeValue> item : page.items()) {
          AttributeValue status = item.get("status");
          AttributeValue accepted = item.get("acceptedAt");
          if (status == null || accepted == null) {
            continue;
          }
          Instant at = Instant.parse(accepted.s());
          if (at.isBefore(from) || at.isAfter(to)) {
            continue;
          }
          outcomes.merge(status.s(), 1L, Long::sum);
          AttributeValue reason = item.get("reason");
          if ("REJECTED".equals(status.s()) && reason != null) {
            rejections.merge(reason.s(), 1L, Long::sum);
          }
          AttributeValue completed = item.get("completedAt");
          if ("SUCCEEDED".equals(status.s()) && completed != null) {
            succeeded.add(
                java.time.Duration.between(at, Instant.parse(completed.s())).toNanos() / 1e6);
          }
        }
      }
      return outcomes;
    }

    private Map<String, Object> handlers(FunctionTimes t, long operations) {
      Map<String, Object> out = new TreeMap<>();
      Map<String, Integer> invocations = t.invocations();
      Map<String, double[]> percentiles = t.percentiles();
      invocations.forEach(
          (f, n) -> {
            double[] p = percentiles.get(f);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("invocations", n);
            h.put("invocationsPerOperation", round((double) n / operations));
            h.put("p50Millis", round(p[0]));
            h.put("p99Millis", round(p[1]));
            h.put("meanMillis", round(p[2]));
            out.put(f, h);
          });
      return out;
    }

    private CostModel.PerOperation costInput(
        Map<String, Long> calls, Map<String, Double> capacity, FunctionTimes t, long n) {
      Map<String, Double> invocations = new TreeMap<>();
      t.invocations().forEach((f, count) -> invocations.put(f, (double) count / n));
      Map<String, Integer> memory = new TreeMap<>();
      for (FunctionSpec f : Topology.innkeeper().functions()) {
        memory.put(f.id(), f.memoryMb());
      }
      double sqs = 0;
      for (var e : calls.entrySet()) {
        if (e.getKey().contains("/Sqs.")) {
          sqs += e.getValue();
        }
      }
      // Lambda's poller receives and deletes each batch of the command queue: two requests.
      sqs += 2.0 * t.invocations().getOrDefault("command-handler", 0);
      double write = 0;
      double read = 0;
      for (var e : capacity.entrySet()) {
        if (CostModel.isRead(e.getKey())) {
          read += e.getValue();
        } else {
          write += e.getValue();
        }
      }
      return new CostModel.PerOperation(
          1.0, // one API Gateway request per command or query
          invocations,
          t.meanBilledMillis(),
          memory,
          sqs / n,
          write / n,
          read / n);
    }

    private Map<String, Object> cost(Map<String, Object> half, Map<String, Object> queries) {
      CostModel.PerOperation booking = (CostModel.PerOperation) half.remove("_costInput");
      CostModel.PerOperation query = (CostModel.PerOperation) queries.remove("_costInput");
      Map<String, Object> cost = new LinkedHashMap<>();
      cost.put("pricesAsOf", CostModel.PRICES_AS_OF);
      cost.put(
          "prices",
          Map.of(
              "apiGatewayHttpPerMillionRequests", CostModel.API_PER_MILLION,
              "lambdaPerMillionRequests", CostModel.LAMBDA_REQUEST_PER_MILLION,
              "lambdaArmPerGbSecond", CostModel.LAMBDA_ARM_GB_SECOND,
              "sqsFifoPerMillionRequests", CostModel.SQS_FIFO_PER_MILLION,
              "dynamoDbPerMillionWriteUnits", CostModel.DYNAMODB_WRITE_UNIT_PER_MILLION,
              "dynamoDbPerMillionReadUnits", CostModel.DYNAMODB_READ_UNIT_PER_MILLION));
      cost.put("perBooking", costInputJson(booking));
      cost.put("perQuery", costInputJson(query));
      cost.put("dollarsPerMillionBookings", rounded(CostModel.perMillion(booking)));
      cost.put("dollarsPerMillionQueries", rounded(CostModel.perMillion(query)));
      return cost;
    }

    private static Map<String, Object> costInputJson(CostModel.PerOperation op) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("apiRequests", op.apiRequests());
      m.put("lambdaInvocations", rounded(op.invocations()));
      m.put("lambdaMeanBilledMillis", rounded(op.handlerMillis()));
      m.put("lambdaMemoryMb", op.memoryMb());
      m.put("sqsRequests", round(op.sqsRequests()));
      m.put("dynamoDbWriteUnits", round(op.writeUnits()));
      m.put("dynamoDbReadUnits", round(op.readUnits()));
      return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> goals(Map<String, Object> report) {
      Map<String, Object> ceiling = (Map<String, Object>) report.get("ceiling");
      Map<String, Object> commands = (Map<String, Object>) report.get("commands");
      Map<String, Object> half = (Map<String, Object>) commands.get("halfSpeed");
      Map<String, Object> startup = (Map<String, Object>) report.get("startup");
      Map<String, Object> full = (Map<String, Object>) commands.get("fullSpeed");
      Map<String, Object> cost = (Map<String, Object>) report.get("cost");
      Map<String, Object> perBooking = (Map<String, Object>) cost.get("perBooking");
      List<Map<String, Object>> goals = new ArrayList<>();
      goals.add(
          goal(
              "processed/s at least 80% of the every-request ceiling",
              (double) ceiling.get("processedVsEveryRequestCeiling"), 0.8, true));
      goals.add(
          goal(
              "processed/s at least 80% of the write ceiling",
              (double) ceiling.get("processedVsWriteCeiling"), 0.8, true));
      goals.add(
          goal(
              "write units per booking at most 10 at half speed",
              (double) perBooking.get("dynamoDbWriteUnits"),
              10,
              false));
      goals.add(
          goal(
              "dollars per million bookings at most 10",
              (double) ((Map<String, Object>) cost.get("dollarsPerMillionBookings")).get("total"),
              10,
              false));
      goals.add(
          goal(
              "dollars per million queries at most 1.50",
              (double) ((Map<String, Object>) cost.get("dollarsPerMillionQueries")).get("total"),
              1.5,
              false));
      Map<String, Object> fullLag = (Map<String, Object>) full.get("lagMillis");
      goals.add(
          goal("lag p99 at most 100 ms at full speed", (double) fullLag.get("p99"), 100, false));
      goals.add(
          goal(
              "queries/s at least 80% of the read ceiling",
              (double) ceiling.get("queriesVsReadCeiling"), 0.8, true));
      Map<String, Object> lag = (Map<String, Object>) half.get("lagMillis");
      goals.add(goal("lag p99 at most 250 ms at half speed", (double) lag.get("p99"), 250, false));
      Map<String, Object> bus = (Map<String, Object>) half.get("eventToSubscriberQueueMillis");
      goals.add(
          goal(
              "event to subscriber queue p99 at most 250 ms at half speed",
              ((Number) bus.get("p99")).doubleValue(),
              250,
              false));
      Map<String, Object> isolation = (Map<String, Object>) report.get("isolation");
      if (isolation != null) {
        goals.add(
            goal(
                "accept-to-SUCCEEDED p99 within 20 % with the subscriber down",
                (double) isolation.get("acceptToSucceededP99Ratio"), 1.2, false));
        goals.add(
            goal(
                "lag p99 within 20 % with the subscriber down",
                (double) isolation.get("lagP99Ratio"), 1.2, false));
        goals.add(
            goal(
                "subscriber caught up exactly (aggregates behind)",
                ((Number) isolation.get("aggregatesBehind")).doubleValue(),
                0,
                false));
      }
      goals.add(
          goal(
              "local runtime ready in at most 8 s",
              ((Number) startup.get("runtimeStartMillis")).doubleValue() / 1000.0,
              8,
              false));
      return goals;
    }

    @SuppressWarnings("unchecked")
    private static double ratio(
        Map<String, Object> phase, Map<String, Object> base, String figure, String p) {
      double a = ((Number) ((Map<String, Object>) phase.get(figure)).get(p)).doubleValue();
      double b = ((Number) ((Map<String, Object>) base.get(figure)).get(p)).doubleValue();
      return round(b == 0 ? Double.NaN : a / b);
    }

    /**
     * Waits until the subscriber service has applied everything the record implies (its marks equal
     * the record's last sequences), at most 4 minutes; how long after the outage's end that was,
     * and what was still missing if it never was.
     */
    private Map<String, Object> catchUp(
        DynamoDbClient ddb,
        LocalRuntime runtime,
        io.innkeeper.core.domain.SubscriberService service,
        long outageEnd)
        throws InterruptedException {
      out.printf("bench: waiting for %s to catch up with the record%n", service.id());
      Map<String, Object> m = new LinkedHashMap<>();
      long deadline = System.nanoTime() + seconds(240);
      List<String> behind;
      while (true) {
        var record =
            io.innkeeper.ops.RecordEvents.read(
                ddb, runtime.tableName("events"), domain, "urn:bench", null);
        behind =
            io.innkeeper.ops.SubscriberMarks.differences(
                ddb, runtime.tableName(service.marksTable()), service, record);
        if (behind.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(2000);
      }
      m.put("caughtUpExactly", behind.isEmpty());
      m.put("aggregatesBehind", behind.size());
      m.put("examplesBehind", behind.stream().limit(5).toList());
      m.put("caughtUpSecondsAfterOutage", round((System.nanoTime() - outageEnd) / 1e9));
      out.printf(
          "bench: %s %s %.0f s after its outage ended%n",
          service.id(),
          behind.isEmpty()
              ? "caught up exactly"
              : "still behind on " + behind.size() + " aggregate(s)",
          (System.nanoTime() - outageEnd) / 1e9);
      return m;
    }

    private static Map<String, Object> goal(
        String name, double value, double limit, boolean atLeast) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("goal", name);
      g.put("value", round(value));
      g.put("limit", limit);
      g.put("met", !Double.isNaN(value) && (atLeast ? value >= limit : value <= limit));
      return g;
    }

    private static Map<String, Object> rate(Rate r, String what) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("what", what);
      m.put("perSecond", round(r.perSecond()));
      m.put("calls", r.ok());
      m.put("failed", r.failed());
      m.put("p50Millis", round(r.p50Millis()));
      m.put("p99Millis", round(r.p99Millis()));
      m.put("threads", r.threads());
      return m;
    }

    private static Map<String, Object> statuses(BenchLoad.PhaseStats s) {
      Map<String, Object> m = new TreeMap<>();
      s.statuses.forEach((status, n) -> m.put(String.valueOf(status), n.sum()));
      return m;
    }

    private static Map<String, Object> perOperation(Map<String, ? extends Number> m, long n) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(k, round(v.doubleValue() / n)));
      return out;
    }

    private static Map<String, Object> percentiles(Samples s, int... ps) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int p : ps) {
        m.put("p" + p, round(s.percentile(p)));
      }
      return m;
    }

    private static String triple(Samples s) {
      return String.format("%.0f/%.0f/%.0f", s.percentile(50), s.percentile(95), s.percentile(99));
    }

    private Map<String, Object> machine() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("processors", Runtime.getRuntime().availableProcessors());
      m.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
      m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      m.put("date", Instant.now().toString());
      return m;
    }

    private Map<String, Object> options() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("duration", o.duration());
      m.put("clients", o.clients());
      m.put("window", o.window());
      m.put("mix", o.commandMix());
      m.put("queries", o.queryMix());
      m.put("ceiling", o.ceilingSeconds());
      m.put("ceilingThreads", o.ceilingThreads());
      m.put("warmup", o.warmupSeconds());
      m.put("scale", o.scale());
      m.put("seed", o.seed());
      return m;
    }
  }

  static long seconds(int s) {
    return s * 1_000_000_000L;
  }

  static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.NaN;
    }
    return Math.round(v * 1000.0) / 1000.0;
  }

  private static Map<String, Object> rounded(Map<String, Double> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, round(v)));
    return out;
  }
}
