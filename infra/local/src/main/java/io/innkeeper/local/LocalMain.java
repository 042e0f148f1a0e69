package io.innkeeper.local;

import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.console.Console;
import io.innkeeper.local.gateway.RateLimit;
import io.innkeeper.ops.Cli;
import io.innkeeper.ops.LocalAws;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code java -jar innkeeper-local.jar [--port N] [--data-dir DIR] [--no-seed] ...}: starts
 * Innkeeper in this JVM and serves its API on 127.0.0.1 until Ctrl-C.
 *
 * <p>The operator tool ({@code verify}, {@code rebuild}, {@code redrive}, {@code smoke}) is {@code
 * innkeeper-ops.jar}; the performance tools ({@code bench}, {@code soak}, {@code coldstart}) are
 * {@code innkeeper-perf.jar}.
 */
@Command(
    name = "innkeeper-local",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Runs Innkeeper locally: every function in this JVM, against embedded DynamoDB Local and"
          + " ElasticMQ, behind an HTTP API on 127.0.0.1.",
      ""
    },
    footer = {
      "",
      "The operator tool (verify, rebuild, redrive, smoke) is"
          + " infra/ops/target/innkeeper-ops.jar; bench, soak and coldstart are"
          + " infra/perf/target/innkeeper-perf.jar. Each takes --help."
    })
public final class LocalMain extends Cli.Command {

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      converter = Port.class,
      description = "API port (default ${DEFAULT-VALUE}; 0 picks a free one)")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "keep tables, queues and stream checkpoints in DIR across restarts (default: in memory,"
              + " gone on exit)")
  Path dataDir;

  @Option(names = "--no-seed", description = "do not add the domain's demo data")
  boolean noSeed;

  @Option(
      names = "--domain",
      paramLabel = "NAME",
      description =
          "run the domain of this name, where several are on the classpath (default: the only"
              + " one, or the one INNKEEPER_DOMAIN names)")
  String domain;

  @Option(
      names = "--chaos",
      paramLabel = "SPEC",
      converter = Chaos.class,
      description = {
        "inject faults, e.g. seed=7,duplicate-delivery=0.05,dynamodb-5xx=0.01 (faults:"
            + " duplicate-delivery, crash-before-ack, dynamodb-throttle, dynamodb-5xx,"
            + " stream-redelivery, projector-crash, slow-consumer, transaction-conflict,"
            + " throttled-transaction, unprocessed-keys, unprocessed-items, slow-call,"
            + " function-timeout, sqs-throttle, shard-rollover; slow-millis=N, slow-call-millis=N"
            + " and timeout-headroom-millis=N set how slow)"
      })
  ChaosConfig chaos = ChaosConfig.none();

  @Option(
      names = "--rate-limit",
      paramLabel = "RPS[:BURST]",
      converter = Throttle.class,
      description =
          "throttle each route like an API Gateway stage's default route throttling (429 above"
              + " the rate); off by default")
  RateLimit rateLimit;

  @Option(
      names = "--compress-time",
      paramLabel = "N",
      converter = Compression.class,
      description =
          "a testing aid AWS does not have: the waits a scenario sits out (visibility timeouts,"
              + " down to just above the function's timeout; command retry delays; the"
              + " consistency wait) N times shorter (1 to "
              + TimeCompression.MAX_FACTOR
              + "; default 1, AWS's figures)")
  TimeCompression timeCompression = TimeCompression.none();

  public static void main(String[] args) {
    Cli.main(new LocalMain(), withoutRun(args));
  }

  /**
   * {@code run} was the runtime's command name when this jar also held the tools; the README and
   * scripts still write {@code innkeeper-local.jar run --chaos ...}, so a leading {@code run} is
   * accepted and means the same as none.
   */
  static String[] withoutRun(String... args) {
    return args.length > 0 && args[0].equals("run")
        ? java.util.Arrays.copyOfRange(args, 1, args.length)
        : args;
  }

  /** Parses {@code args} as {@code main} would, without running anything. */
  static LocalMain parse(String... args) {
    LocalMain options = new LocalMain();
    new CommandLine(options).parseArgs(withoutRun(args));
    return options;
  }

  /** The data directory, absolute; {@code null} for in memory. */
  Path dataDir() {
    return dataDir == null ? null : dataDir.toAbsolutePath();
  }

  @Override
  protected int run() throws InterruptedException {
    long started = System.nanoTime();
    Domain chosen;
    try {
      chosen = domain == null ? Domains.load() : Domains.named(domain);
    } catch (IllegalStateException e) {
      throw usage(e.getMessage());
    }
    LocalOptions options =
        LocalOptions.of(chosen)
            .withPort(port)
            .withDataDir(dataDir())
            .withSeed(!noSeed)
            .withChaos(chaos)
            .withRateLimit(rateLimit)
            .withTimeCompression(timeCompression);
    LocalRuntime runtime;
    try {
      runtime = LocalRuntime.start(options);
    } catch (BindException e) {
      err.println(
          "innkeeper-local: port "
              + port
              + " on 127.0.0.1 is already in use. Stop what uses it, or choose another port"
              + " with --port N (0 picks a free one).");
      return Cli.EXIT_FAILED;
    } catch (Exception e) {
      err.println("innkeeper-local: could not start: " + describe(e));
      e.printStackTrace(err);
      return Cli.EXIT_FAILED;
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
    printBanner(out, runtime, dataDir(), readyMillis);
    stopped.await();
    return Cli.EXIT_OK;
  }

  /** {@code --port}: 0 to 65535. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int port;
      try {
        port = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65_535) {
        throw new TypeConversionException("must be a number from 0 to 65535, not " + value);
      }
      return port;
    }
  }

  /** {@code --chaos SPEC}. */
  static final class Chaos implements ITypeConverter<ChaosConfig> {
    @Override
    public ChaosConfig convert(String value) {
      try {
        return ChaosConfig.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --rate-limit RPS[:BURST]}. */
  static final class Throttle implements ITypeConverter<RateLimit> {
    @Override
    public RateLimit convert(String value) {
      try {
        return RateLimit.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /**
   * {@code --compress-time N}: a factor of 1 to {@link TimeCompression#MAX_FACTOR}. Public so the
   * tools that start a runtime of their own (soak) take the option with the same words.
   */
  public static final class Compression implements ITypeConverter<TimeCompression> {
    @Override
    public TimeCompression convert(String value) {
      try {
        return new TimeCompression(Integer.parseInt(value));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "must be a factor from 1 to " + TimeCompression.MAX_FACTOR + ", not " + value);
      }
    }
  }

  private static void printBanner(
      PrintStream out, LocalRuntime runtime, Path dataDir, long readyMillis) {
    String api = runtime.apiUrl().toString();
    String admin = runtime.mintToken("admin", List.of("admin"));
    String guest = runtime.mintToken("guest", List.of());
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "%nInnkeeper local runtime ready in %.1f s (%s)%n%n",
            readyMillis / 1000.0, runtime.startupSummary()));
    b.append("  API        ").append(api).append('\n');
    // The console first after the API: it is where a newcomer watches a command travel.
    b.append("  Console    ")
        .append(api)
        .append(Console.PATH)
        .append("/   (open it in a browser)\n");
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
        .append(dataDir == null ? "in memory (gone on exit)" : dataDir.toString())
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
