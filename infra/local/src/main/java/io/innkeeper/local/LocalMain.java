package io.innkeeper.local;

import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.local.bench.BenchCommand;
import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.coldstart.ColdStartCommand;
import io.innkeeper.local.ops.ReadModelOps;
import io.innkeeper.local.ops.ReadModelTables;
import io.innkeeper.local.ops.RedriveCommand;
import io.innkeeper.local.ops.SmokeCommand;
import io.innkeeper.local.soak.SoakCommand;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code java -jar innkeeper-local.jar [run] [--port N] [--data-dir DIR] [--no-seed]}: starts
 * Innkeeper in this JVM and serves its API on 127.0.0.1 until Ctrl-C.
 *
 * <p>The first argument, when it does not start with {@code --}, names a subcommand: {@code run}
 * (the default), or the read-model operations {@code rebuild} and {@code verify}, which work
 * against a running local runtime or a deployed stack.
 */
public final class LocalMain {

  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private static final String USAGE =
      """
      Usage: java -jar innkeeper-local.jar [run] [options]

      Runs Innkeeper locally: every function in this JVM, against embedded DynamoDB Local and
      ElasticMQ, behind an HTTP API on 127.0.0.1.

      Options:
        --port N          API port (default 8080; 0 picks a free one)
        --data-dir DIR    keep tables, queues and stream checkpoints in DIR across restarts
                          (default: in memory, gone on exit)
        --no-seed         do not add the domain's demo data
        --domain NAME     run the domain of this name, where several are on the classpath
                          (default: the only one, or the one INNKEEPER_DOMAIN names)
        --chaos SPEC      inject faults, e.g. seed=7,duplicate-delivery=0.05,dynamodb-5xx=0.01
                          (faults: duplicate-delivery, crash-before-ack, dynamodb-throttle,
                          dynamodb-5xx, stream-redelivery, projector-crash, slow-consumer,
                          transaction-conflict, throttled-transaction, unprocessed-keys,
                          unprocessed-items, slow-call, function-timeout, sqs-throttle,
                          shard-rollover; slow-millis=N, slow-call-millis=N and
                          timeout-headroom-millis=N set how slow)
        --rate-limit RPS[:BURST]
                          throttle each route like an API Gateway stage's default route
                          throttling (429 above the rate); off by default
        -h, --help        show this help

      Read-model operations (against a running runtime or a deployed stack):
        java -jar innkeeper-local.jar verify  (--endpoint URL | --outputs FILE) [options]
            projects every event from scratch and compares with the query tables;
            prints the drift and exits 1 if there is any
        java -jar innkeeper-local.jar rebuild (--endpoint URL | --outputs FILE) [--reset]
            replays every event into the query tables (safe while commands flow);
            --reset first deletes every query row (only with the projector stopped)

        java -jar innkeeper-local.jar redrive [commands|projections]
                (--endpoint URL --sqs-endpoint URL | --outputs FILE)
            puts dead-lettered commands back on the command queue (in order per group) and
            re-projects parked stream records (in order per aggregate); see redrive --help

        java -jar innkeeper-local.jar smoke (--outputs FILE | --api URL)
            checks a deployment end to end as a client: registers a hotel, books a room, reads
            the booking back, cancels it and sees the nights free again (a throwaway Cognito
            user on AWS); see smoke --help

        java -jar innkeeper-local.jar soak [--commands N] [--clients N] [--chaos SPEC]
            runs a load of mixed commands with faults injected on a runtime of its own, then
            checks that nothing was oversold, lost, doubled or left behind; see soak --help

        java -jar innkeeper-local.jar bench [--duration S] [--clients N] [--mix SPEC]
            drives load through the API on a runtime of its own and reports throughput,
            latency, lag, the ceiling of the same DynamoDB Local and a cost model; see bench --help

        java -jar innkeeper-local.jar coldstart [--runs N] [--out DIR] [--artifact JAR]
            starts each function in a fresh JVM as Lambda does (N times, default 5) beside a
            hello-world handler; prints median init / first-invoke, ratio and artifact size
            against the goals; see coldstart --help

        --endpoint URL    the local runtime's DynamoDB endpoint (printed at start-up)
        --outputs FILE    a deployed stack: the file `cdk deploy --outputs-file FILE` wrote;
                          AWS credentials and region from the default chains
        --stack NAME      the stack in the outputs file (default Innkeeper)
        --region REGION   the AWS region, if not the default chain's
      """;

  private LocalMain() {}

  /** A subcommand: parses its own options, runs, and returns the exit code. */
  private interface Command {
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
  }

  private static final Map<String, Command> COMMANDS =
      Map.of(
          "run", LocalMain::run,
          "rebuild", LocalMain::rebuild,
          "verify", LocalMain::verify,
          "redrive", RedriveCommand::run,
          "smoke", SmokeCommand::run,
          "soak", SoakCommand::run,
          "bench", BenchCommand::run,
          "coldstart", ColdStartCommand::run);

  public static void main(String[] args) {
    int code;
    try {
      code = dispatch(Arrays.asList(args), System.out, System.err);
    } catch (Exception e) {
      System.err.println("innkeeper-local: " + e);
      code = EXIT_FAILED;
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  static int dispatch(List<String> args, PrintStream out, PrintStream err) throws Exception {
    String name = "run";
    List<String> rest = args;
    if (!args.isEmpty() && !args.get(0).startsWith("-")) {
      name = args.get(0);
      rest = args.subList(1, args.size());
    }
    Command command = COMMANDS.get(name);
    if (command == null) {
      err.println("Unknown command: " + name);
      err.print(USAGE);
      return EXIT_USAGE;
    }
    return command.run(rest, out, err);
  }

  /** Options of {@code run}; {@code null} when the arguments are not valid. */
  record RunOptions(
      int port,
      Path dataDir,
      boolean seed,
      boolean help,
      ChaosConfig chaos,
      io.innkeeper.local.gateway.RateLimit rateLimit,
      String domain) {}

  static RunOptions parseRun(List<String> args, PrintStream err) {
    int port = 8080;
    Path dataDir = null;
    boolean seed = true;
    ChaosConfig chaos = ChaosConfig.none();
    io.innkeeper.local.gateway.RateLimit rateLimit = null;
    String domain = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-h", "--help" -> {
          return new RunOptions(port, dataDir, seed, true, chaos, rateLimit, domain);
        }
        case "--no-seed" -> seed = false;
        case "--port", "--data-dir", "--chaos", "--rate-limit", "--domain" -> {
          if (i + 1 >= args.size()) {
            err.println(arg + " needs a value");
            return null;
          }
          String value = args.get(++i);
          if (arg.equals("--rate-limit")) {
            try {
              rateLimit = io.innkeeper.local.gateway.RateLimit.parse(value);
            } catch (IllegalArgumentException e) {
              err.println("--rate-limit: " + e.getMessage());
              return null;
            }
          } else if (arg.equals("--chaos")) {
            try {
              chaos = ChaosConfig.parse(value);
            } catch (IllegalArgumentException e) {
              err.println("--chaos: " + e.getMessage());
              return null;
            }
          } else if (arg.equals("--domain")) {
            domain = value;
          } else if (arg.equals("--port")) {
            try {
              port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
              port = -1;
            }
            if (port < 0 || port > 65_535) {
              err.println("--port must be a number from 0 to 65535, not " + value);
              return null;
            }
          } else {
            dataDir = Path.of(value).toAbsolutePath();
          }
        }
        default -> {
          err.println("Unknown option: " + arg);
          return null;
        }
      }
    }
    return new RunOptions(port, dataDir, seed, false, chaos, rateLimit, domain);
  }

  private static int run(List<String> args, PrintStream out, PrintStream err)
      throws InterruptedException {
    RunOptions parsed = parseRun(args, err);
    if (parsed == null) {
      err.print(USAGE);
      return EXIT_USAGE;
    }
    if (parsed.help()) {
      out.print(USAGE);
      return 0;
    }
    long started = System.nanoTime();
    Domain domain;
    try {
      domain = parsed.domain() == null ? Domains.load() : Domains.named(parsed.domain());
    } catch (IllegalStateException e) {
      err.println("innkeeper-local: " + e.getMessage());
      return EXIT_USAGE;
    }
    LocalOptions options =
        LocalOptions.of(domain)
            .withPort(parsed.port())
            .withDataDir(parsed.dataDir())
            .withSeed(parsed.seed())
            .withChaos(parsed.chaos())
            .withRateLimit(parsed.rateLimit());
    LocalRuntime runtime;
    try {
      runtime = LocalRuntime.start(options);
    } catch (BindException e) {
      err.println(
          "innkeeper-local: port "
              + parsed.port()
              + " on 127.0.0.1 is already in use. Stop what uses it, or choose another port"
              + " with --port N (0 picks a free one).");
      return EXIT_FAILED;
    } catch (Exception e) {
      err.println("innkeeper-local: could not start: " + describe(e));
      e.printStackTrace(err);
      return EXIT_FAILED;
    }
    long readyMillis = (System.nanoTime() - started) / 1_000_000;

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err.println("innkeeper-local: stopping");
                  runtime.close();
                  stopped.countDown();
                },
                "innkeeper-local-shutdown"));
    printBanner(out, runtime, parsed, readyMillis);
    stopped.await();
    return 0;
  }

  /** Where a read-model operation works; {@code null} when the arguments are not valid. */
  record OpsOptions(URI endpoint, Path outputs, String stack, String region, boolean reset) {}

  static OpsOptions parseOps(List<String> args, boolean allowReset, PrintStream err) {
    URI endpoint = null;
    Path outputs = null;
    String stack = "Innkeeper";
    String region = null;
    boolean reset = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--reset") && allowReset) {
        reset = true;
        continue;
      }
      if (!List.of("--endpoint", "--outputs", "--stack", "--region").contains(arg)) {
        err.println("Unknown option: " + arg);
        return null;
      }
      if (i + 1 >= args.size()) {
        err.println(arg + " needs a value");
        return null;
      }
      String value = args.get(++i);
      switch (arg) {
        case "--endpoint" -> {
          try {
            endpoint = URI.create(value);
          } catch (IllegalArgumentException e) {
            endpoint = null;
          }
          if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null) {
            err.println("--endpoint must be a URL such as http://127.0.0.1:8000, not " + value);
            return null;
          }
        }
        case "--outputs" -> outputs = Path.of(value);
        case "--stack" -> stack = value;
        default -> region = value;
      }
    }
    if ((endpoint == null) == (outputs == null)) {
      err.println(
          "Say where the tables are: --endpoint URL (a local runtime) or --outputs FILE (a"
              + " deployed stack), not both.");
      return null;
    }
    return new OpsOptions(endpoint, outputs, stack, region, reset);
  }

  private static int rebuild(List<String> args, PrintStream out, PrintStream err) throws Exception {
    OpsOptions o = parseOps(args, true, err);
    if (o == null) {
      err.print(USAGE);
      return EXIT_USAGE;
    }
    try (DynamoDbClient ddb = client(o)) {
      var rebuilt = new ReadModelOps(ddb, tables(o)).rebuild(o.reset(), REBUILD_THREADS);
      out.printf(
          "rebuild: replayed %d events of %d streams into the query tables in %.1f s%s%n",
          rebuilt.events(),
          rebuilt.streams(),
          rebuilt.millis() / 1000.0,
          o.reset() ? " (after deleting every query row)" : "");
      return 0;
    }
  }

  private static int verify(List<String> args, PrintStream out, PrintStream err) throws Exception {
    OpsOptions o = parseOps(args, false, err);
    if (o == null) {
      err.print(USAGE);
      return EXIT_USAGE;
    }
    try (DynamoDbClient ddb = client(o)) {
      ReadModelOps.Drift drift = new ReadModelOps(ddb, tables(o)).verify();
      ReadModelOps.print(drift, out);
      return drift.none() ? 0 : EXIT_FAILED;
    }
  }

  /** Streams replayed at once by rebuild; each stream stays in order. */
  private static final int REBUILD_THREADS = 4;

  private static ReadModelTables tables(OpsOptions o) throws java.io.IOException {
    return o.endpoint() != null
        ? ReadModelTables.local()
        : ReadModelTables.fromOutputs(o.outputs(), o.stack());
  }

  private static DynamoDbClient client(OpsOptions o) {
    if (o.endpoint() != null) {
      return LocalAws.dynamoDb(o.endpoint());
    }
    var b = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
    if (o.region() != null) {
      b.region(Region.of(o.region()));
    }
    return b.build();
  }

  private static void printBanner(
      PrintStream out, LocalRuntime runtime, RunOptions options, long readyMillis) {
    String api = runtime.apiUrl().toString();
    String admin = runtime.mintToken("admin", List.of("admin"));
    String guest = runtime.mintToken("guest", List.of());
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "%nInnkeeper local runtime ready in %.1f s (%s)%n%n",
            readyMillis / 1000.0, runtime.startupSummary()));
    b.append("  API        ").append(api).append('\n');
    b.append("  DynamoDB   ")
        .append(runtime.dynamoDbEndpoint())
        .append("   (region ")
        .append(LocalAws.REGION)
        .append(", access key \"")
        .append(LocalAws.ACCESS_KEY_ID)
        .append("\")\n");
    b.append("  SQS        ").append(runtime.sqsEndpoint()).append('\n');
    if (runtime.snsEndpoint() != null) {
      b.append("  SNS        ").append(runtime.snsEndpoint()).append('\n');
    }
    b.append("  Topic      ")
        .append(runtime.topicArn(io.innkeeper.topology.Topology.EVENT_BUS))
        .append("   (the event bus: integration events, CloudEvents JSON)\n");
    b.append("  Data       ")
        .append(
            options.dataDir() == null ? "in memory (gone on exit)" : options.dataDir().toString())
        .append("\n\n");
    Seeder.Seeded seeded = runtime.seeded();
    if (!seeded.lines().isEmpty()) {
      b.append(seeded.title()).append(":\n");
      seeded.lines().forEach(line -> b.append("  ").append(line).append('\n'));
      b.append('\n');
    }
    b.append("Tokens (valid 12 h):\n");
    b.append("  export ADMIN_TOKEN=").append(admin).append('\n');
    b.append("  export GUEST_TOKEN=").append(guest).append("\n\n");
    b.append("Try:\n");
    runtime
        .domain()
        .fixtures()
        .examples(api)
        .forEach(line -> b.append("  ").append(line).append('\n'));
    b.append("  curl -s ")
        .append(api)
        .append("/commands/COMMAND_ID -H \"Authorization: Bearer $ADMIN_TOKEN\"\n");
    b.append("  curl -s -X POST ")
        .append(api)
        .append("/_local/tokens -d '{\"sub\":\"alice\",\"groups\":[]}'\n\n");
    b.append("Ctrl-C stops.\n");
    out.print(b);
    out.flush();
  }

  private static String describe(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
      parts.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return String.join(": ", parts);
  }
}
