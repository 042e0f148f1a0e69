package io.innkeeper.local.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which faults to inject and how often, and the seed that makes a run repeatable. Written as a
 * spec: {@code
 * seed=42,duplicate-delivery=0.05,dynamodb-5xx=0.01,slow-consumer=0.02,slow-millis=200} (each fault
 * key from {@link Fault#key()} with a probability in [0, 1]). The same keys, one per line ({@code
 * #} starts a comment), make a chaos file, named in a spec as {@code @path}.
 *
 * @param seed the random seed; the same seed and the same workload give the same decisions
 * @param rates probability per fault, for each point where it can be injected
 * @param slowMillis how long a slow consumer waits
 * @param slowCallMillis how long a stalled call stalls: the URL-connection HTTP client's own read
 *     timeout (30 s) by default, which is how long a stalled call would hang without an attempt
 *     timeout
 * @param timeoutHeadroomMillis what is left of an invocation that {@link Fault#FUNCTION_TIMEOUT}
 *     strikes
 * @param outages functions that fail every invocation for a window of time ({@link
 *     Fault#FUNCTION_OUTAGE}), written {@code outage=FUNCTION@START+LENGTH} (seconds after the
 *     runtime started, e.g. {@code outage=guest-messages@10s+30s}), several separated by {@code ;}
 */
public record ChaosConfig(
    long seed,
    Map<Fault, Double> rates,
    long slowMillis,
    long slowCallMillis,
    long timeoutHeadroomMillis,
    java.util.List<Outage> outages) {

  /**
   * A function failing every invocation from {@code start} after the runtime started, for {@code
   * length}.
   */
  public record Outage(String function, java.time.Duration start, java.time.Duration length) {
    public Outage {
      java.util.Objects.requireNonNull(function, "function");
      if (start.isNegative() || length.isNegative() || length.isZero()) {
        throw new IllegalArgumentException("an outage needs a start >= 0 and a length > 0");
      }
    }

    /** {@code FUNCTION@STARTs+LENGTHs}. */
    static Outage parse(String text) {
      var m =
          java.util.regex.Pattern.compile("([a-z][a-z0-9-]*)@([0-9]+)s?\\+([0-9]+)s?")
              .matcher(text.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "outage must be FUNCTION@STARTs+LENGTHs, e.g. guest-messages@10s+30s, not '"
                + text
                + "'");
      }
      return new Outage(
          m.group(1),
          java.time.Duration.ofSeconds(Long.parseLong(m.group(2))),
          java.time.Duration.ofSeconds(Long.parseLong(m.group(3))));
    }

    String spec() {
      return function + "@" + start.toSeconds() + "s+" + length.toSeconds() + "s";
    }
  }

  static final long DEFAULT_SLOW_MILLIS = 100;
  static final long DEFAULT_SLOW_CALL_MILLIS = 30_000;
  static final long DEFAULT_TIMEOUT_HEADROOM_MILLIS = 500;

  public ChaosConfig {
    EnumMap<Fault, Double> copy = new EnumMap<>(Fault.class);
    rates.forEach(
        (fault, rate) -> {
          if (rate == null || rate < 0 || rate > 1 || rate.isNaN()) {
            throw new IllegalArgumentException(
                fault.key() + " must be a probability from 0 to 1, not " + rate);
          }
          copy.put(fault, rate);
        });
    rates = Collections.unmodifiableMap(copy);
    if (slowMillis < 0) {
      throw new IllegalArgumentException("slow-millis must not be negative");
    }
    if (slowCallMillis < 0) {
      throw new IllegalArgumentException("slow-call-millis must not be negative");
    }
    if (timeoutHeadroomMillis < 0) {
      throw new IllegalArgumentException("timeout-headroom-millis must not be negative");
    }
    outages = java.util.List.copyOf(outages);
  }

  /** Without outages. */
  public ChaosConfig(
      long seed,
      Map<Fault, Double> rates,
      long slowMillis,
      long slowCallMillis,
      long timeoutHeadroomMillis) {
    this(seed, rates, slowMillis, slowCallMillis, timeoutHeadroomMillis, java.util.List.of());
  }

  /** With the default stall and headroom. */
  public ChaosConfig(long seed, Map<Fault, Double> rates, long slowMillis) {
    this(seed, rates, slowMillis, DEFAULT_SLOW_CALL_MILLIS, DEFAULT_TIMEOUT_HEADROOM_MILLIS);
  }

  /** No faults at all. */
  public static ChaosConfig none() {
    return new ChaosConfig(0, Map.of(), 0);
  }

  public double rate(Fault fault) {
    return rates.getOrDefault(fault, 0.0);
  }

  public boolean any() {
    return !outages.isEmpty() || rates.values().stream().anyMatch(r -> r > 0);
  }

  /**
   * Parses a spec such as {@code seed=7,duplicate-delivery=0.05,slow-millis=100}, or {@code @path}:
   * the chaos file at {@code path}. Entries are separated by commas or line breaks; {@code #}
   * starts a comment; a fault not named is not injected; the seed defaults to 0, slow-millis to
   * 100, slow-call-millis to 30000 and timeout-headroom-millis to 500.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static ChaosConfig parse(String spec) {
    String s = spec.strip();
    if (s.startsWith("@")) {
      return load(Path.of(s.substring(1).strip()));
    }
    return parseEntries(s);
  }

  /**
   * Reads a chaos file: the entries of a spec, one per line, {@code #} comments allowed.
   *
   * @throws IllegalArgumentException when the file cannot be read or names something wrong
   */
  public static ChaosConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the chaos file " + file + ": " + e, e);
    }
    try {
      return parseEntries(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static ChaosConfig parseEntries(String spec) {
    long seed = 0;
    long slowMillis = DEFAULT_SLOW_MILLIS;
    long slowCallMillis = DEFAULT_SLOW_CALL_MILLIS;
    long headroomMillis = DEFAULT_TIMEOUT_HEADROOM_MILLIS;
    Map<Fault, Double> rates = new EnumMap<>(Fault.class);
    java.util.List<Outage> outages = new java.util.ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String line : spec.split("\\R")) {
      int hash = line.indexOf('#');
      String content = hash < 0 ? line : line.substring(0, hash);
      for (String part : content.split(",")) {
        String p = part.strip();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("'" + p + "' is not key=value");
        }
        String key = p.substring(0, eq).strip();
        String value = p.substring(eq + 1).strip();
        if (!seen.add(key)) {
          throw new IllegalArgumentException(key + " is given twice");
        }
        try {
          switch (key) {
            case "seed" -> seed = Long.parseLong(value);
            case "slow-millis" -> slowMillis = Long.parseLong(value);
            case "slow-call-millis" -> slowCallMillis = Long.parseLong(value);
            case "timeout-headroom-millis" -> headroomMillis = Long.parseLong(value);
            case "outage" -> {
              for (String one : value.split(";")) {
                outages.add(Outage.parse(one));
              }
            }
            default -> rates.put(fault(key), Double.parseDouble(value));
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(key + " needs a number, not '" + value + "'");
        }
      }
    }
    return new ChaosConfig(seed, rates, slowMillis, slowCallMillis, headroomMillis, outages);
  }

  private static Fault fault(String key) {
    try {
      return Fault.of(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown key '"
              + key
              + "'; expected seed, slow-millis, slow-call-millis, timeout-headroom-millis, outage or a"
              + " fault: "
              + Fault.keys(),
          e);
    }
  }

  /** The spec this config parses from, faults in declaration order. */
  public String spec() {
    StringBuilder b = new StringBuilder("seed=").append(seed);
    // Plain decimals (0.0005, not 5.0E-4), so the spec reads as it was written.
    rates.forEach(
        (f, r) ->
            b.append(',')
                .append(f.key())
                .append('=')
                .append(java.math.BigDecimal.valueOf(r).stripTrailingZeros().toPlainString()));
    b.append(",slow-millis=").append(slowMillis);
    if (slowCallMillis != DEFAULT_SLOW_CALL_MILLIS) {
      b.append(",slow-call-millis=").append(slowCallMillis);
    }
    if (timeoutHeadroomMillis != DEFAULT_TIMEOUT_HEADROOM_MILLIS) {
      b.append(",timeout-headroom-millis=").append(timeoutHeadroomMillis);
    }
    if (!outages.isEmpty()) {
      b.append(",outage=").append(String.join(";", outages.stream().map(Outage::spec).toList()));
    }
    return b.toString();
  }
}
