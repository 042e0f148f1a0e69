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
 */
public record ChaosConfig(long seed, Map<Fault, Double> rates, long slowMillis) {

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
  }

  /** No faults at all. */
  public static ChaosConfig none() {
    return new ChaosConfig(0, Map.of(), 0);
  }

  public double rate(Fault fault) {
    return rates.getOrDefault(fault, 0.0);
  }

  public boolean any() {
    return rates.values().stream().anyMatch(r -> r > 0);
  }

  /**
   * Parses a spec such as {@code seed=7,duplicate-delivery=0.05,slow-millis=100}, or {@code @path}:
   * the chaos file at {@code path}. Entries are separated by commas or line breaks; {@code #}
   * starts a comment; a fault not named is not injected; the seed defaults to 0 and slow-millis to
   * 100.
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
    long slowMillis = 100;
    Map<Fault, Double> rates = new EnumMap<>(Fault.class);
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
            default -> rates.put(fault(key), Double.parseDouble(value));
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(key + " needs a number, not '" + value + "'");
        }
      }
    }
    return new ChaosConfig(seed, rates, slowMillis);
  }

  private static Fault fault(String key) {
    try {
      return Fault.of(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown key '" + key + "'; expected seed, slow-millis or a fault: " + Fault.keys(), e);
    }
  }

  /** The spec this config parses from, faults in declaration order. */
  public String spec() {
    StringBuilder b = new StringBuilder("seed=").append(seed);
    rates.forEach((f, r) -> b.append(',').append(f.key()).append('=').append(r));
    return b.append(",slow-millis=").append(slowMillis).toString();
  }
}
