package io.innkeeper.perf.bench;

import io.innkeeper.core.domain.fixture.BenchWorkload;
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
    long seed) {

  /** The kinds a mix names: a domain's default mixes name every kind it has. */
  static List<String> kinds(String mix) {
    return java.util.Arrays.stream(mix.split(",")).map(p -> p.split("=")[0].strip()).toList();
  }

  /** The usage's part that is the domain's: its mixes and scale. */
  static String domainHelp(BenchWorkload workload) {
    return """

        Domain: --mix %s, --queries %s, --scale %d (%s).
        """
        .formatted(
            workload.defaultCommandMix(),
            workload.defaultQueryMix(),
            workload.defaultScale(),
            workload.scaleUnit());
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
}
