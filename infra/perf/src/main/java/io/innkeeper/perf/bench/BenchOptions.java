package io.innkeeper.perf.bench;

import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.fixture.BenchWorkload;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a bench run does.
 *
 * @param duration seconds of each measured load phase (commands at full speed, commands at half
 *     speed, queries)
 * @param clients concurrent HTTP clients sending commands, and as many sending queries
 * @param window commands each client keeps outstanding (sent, not yet processed)
 * @param commandMix weights of the domain's command kinds (the hotel's: {@code book}, {@code
 *     cancel}, {@code allot})
 * @param queryMix weights of the domain's query kinds (the hotel's: {@code hotel}, {@code city},
 *     {@code availability}, {@code reservation}, {@code mine})
 * @param ceilingSeconds seconds of each raw DynamoDB run that measures the ceiling
 * @param ceilingThreads threads that replay requests in a ceiling run: enough to saturate DynamoDB
 *     Local, whose transactions are slow one by one but overlap
 * @param warmupSeconds seconds of unmeasured load first, so the JIT has compiled the hot paths
 * @param scale how many of the domain's units (the hotel's: hotels) the load is spread over
 * @param out the directory the JSON, Markdown and PNG reports go to
 * @param progressSeconds seconds between progress lines
 * @param seed the workload's seed
 * @param help whether only the usage was asked for
 */
record BenchOptions(
    int duration,
    int clients,
    int window,
    Map<String, Integer> commandMix,
    Map<String, Integer> queryMix,
    int ceilingSeconds,
    int ceilingThreads,
    int warmupSeconds,
    int scale,
    Path out,
    int progressSeconds,
    long seed,
    boolean help) {

  /** The defaults, with the domain's mixes and scale. */
  static BenchOptions defaults(BenchWorkload workload) {
    return new BenchOptions(
        20,
        8,
        4,
        mix(workload.defaultCommandMix(), kinds(workload.defaultCommandMix())),
        mix(workload.defaultQueryMix(), kinds(workload.defaultQueryMix())),
        10,
        32,
        10,
        workload.defaultScale(),
        Path.of("bench-results"),
        5,
        1,
        false);
  }

  /** The kinds a mix names: a domain's default mixes name every kind it has. */
  static List<String> kinds(String mix) {
    return java.util.Arrays.stream(mix.split(",")).map(p -> p.split("=")[0].strip()).toList();
  }

  /** The usage, with the domain's mixes and scale. */
  static String usage(BenchWorkload workload) {
    return USAGE.formatted(
        workload.defaultCommandMix(),
        workload.defaultQueryMix(),
        workload.scaleUnit(),
        workload.defaultScale());
  }

  private static final String USAGE =
      """
      Usage: java -jar innkeeper-local.jar bench [options]      (about 3 minutes with the defaults)

      Starts Innkeeper in this JVM (a free port, no demo data), drives load through its HTTP API
      and reports, for this machine:
        commands   accepted/s, processed/s, accept-to-SUCCEEDED latency p50/p95/p99, at full
                   speed and again at half of it
        lag        event written to every read model, p50/p95/p99 (at full and at half speed)
        queries    queries/s and latency p50/p99
        ceiling    the raw rate of the same TransactWriteItems shape (bookings) and of the same
                   GetItem/Query/BatchGetItem calls (queries) against the same DynamoDB Local,
                   and our rates as a ratio of it
        cost       dollars per million bookings and per million queries on AWS, from the calls,
                   consumed capacity and handler durations measured here
      It writes bench.json, bench.md and bench.png (throughput and latency over time) to --out.

      Options:
        --duration S      seconds of each measured load phase (default 20)
        --clients N       concurrent command clients, and as many query clients (default 8)
        --window N        commands each client keeps outstanding (default 4)
        --mix SPEC        command mix by weight (default %s)
        --queries SPEC    query mix by weight (default %s)
        --ceiling S       seconds of each raw ceiling run; each ceiling is run from --clients
                          threads and from --ceiling-threads, the higher rate counts (default 10)
        --ceiling-threads N
                          threads replaying requests in a ceiling run (default 32)
        --warmup S        seconds of unmeasured load first (default 10)
        --scale N         how many %s to spread the load over (default %d)
        --out DIR         where the reports go (default bench-results)
        --progress S      seconds between progress lines (default 5)
        --seed N          the workload's seed (default 1)
        -h, --help        show this help
      """;

  /** The options of {@code args} for the domain on the classpath. */
  static BenchOptions parse(List<String> args, PrintStream err) {
    return parse(args, err, Domains.load().fixtures().bench());
  }

  /** The options of {@code args}; {@code null} (after saying why on {@code err}) if invalid. */
  static BenchOptions parse(List<String> args, PrintStream err, BenchWorkload workload) {
    BenchOptions d = defaults(workload);
    List<String> commandKinds = kinds(workload.defaultCommandMix());
    List<String> queryKinds = kinds(workload.defaultQueryMix());
    int duration = d.duration;
    int clients = d.clients;
    int window = d.window;
    Map<String, Integer> commandMix = d.commandMix;
    Map<String, Integer> queryMix = d.queryMix;
    int ceiling = d.ceilingSeconds;
    int ceilingThreads = d.ceilingThreads;
    int warmup = d.warmupSeconds;
    int scale = d.scale;
    Path out = d.out;
    int progress = d.progressSeconds;
    long seed = d.seed;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-h") || arg.equals("--help")) {
        help = true;
        break;
      }
      if (i + 1 >= args.size() || !arg.startsWith("--")) {
        err.println(arg.startsWith("--") ? arg + " needs a value" : "Unknown argument: " + arg);
        return null;
      }
      String value = args.get(++i);
      try {
        switch (arg) {
          case "--duration" -> duration = atLeast(arg, value, 1);
          case "--clients" -> clients = atLeast(arg, value, 1);
          case "--window" -> window = atLeast(arg, value, 1);
          case "--mix" -> commandMix = mix(value, commandKinds);
          case "--queries" -> queryMix = mix(value, queryKinds);
          case "--ceiling" -> ceiling = atLeast(arg, value, 1);
          case "--ceiling-threads" -> ceilingThreads = atLeast(arg, value, 1);
          case "--warmup" -> warmup = atLeast(arg, value, 0);
          case "--scale", "--hotels" -> scale = atLeast(arg, value, 1);
          case "--out" -> out = Path.of(value);
          case "--progress" -> progress = atLeast(arg, value, 1);
          case "--seed" -> seed = Long.parseLong(value);
          default -> {
            err.println("Unknown option: " + arg);
            return null;
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
    return new BenchOptions(
        duration,
        clients,
        window,
        commandMix,
        queryMix,
        ceiling,
        ceilingThreads,
        warmup,
        scale,
        out,
        progress,
        seed,
        help);
  }

  /** Parses {@code kind=weight,...}; every kind must be known, weights ≥ 0, their sum > 0. */
  static Map<String, Integer> mix(String spec, List<String> kinds) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String[] kv = part.strip().split("=", -1);
      if (kv.length != 2 || !kinds.contains(kv[0].strip())) {
        throw new IllegalArgumentException(
            "expected kind=weight with a kind of " + kinds + ", not '" + part.strip() + "'");
      }
      int weight = Integer.parseInt(kv[1].strip());
      if (weight < 0) {
        throw new IllegalArgumentException("a weight cannot be negative: " + part.strip());
      }
      if (weights.put(kv[0].strip(), weight) != null) {
        throw new IllegalArgumentException(kv[0].strip() + " given twice");
      }
    }
    if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      throw new IllegalArgumentException("at least one weight must be positive");
    }
    return weights;
  }

  private static int atLeast(String option, String value, int min) {
    int n = Integer.parseInt(value);
    if (n < min) {
      throw new IllegalArgumentException("must be at least " + min + ", not " + value);
    }
    return n;
  }
}
