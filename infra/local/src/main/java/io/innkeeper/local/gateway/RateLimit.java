package io.innkeeper.local.gateway;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's throttling, as API Gateway's stage throttling defines it: a steady {@code rate} of
 * requests per second with room for a {@code burst} above it. One bucket serves the whole API, as
 * one stage's default route settings do; requests above it are answered {@code 429} with {@code
 * Retry-After} before any routing, authorization or function work.
 *
 * @param requestsPerSecond tokens added per second, more than 0
 * @param burst the bucket's size: how many requests may arrive at once after a quiet spell, at
 *     least 1
 */
public record RateLimit(double requestsPerSecond, int burst) {

  private static final Pattern SPEC =
      Pattern.compile("^([0-9]{1,9}(?:\\.[0-9]{1,6})?)(?::([0-9]{1,9}))?$");

  public RateLimit {
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("the rate must be more than 0 requests per second");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("the burst must be at least 1");
    }
  }

  /**
   * Reads {@code RPS[:BURST]}, e.g. {@code 100:200} or {@code 0.5:1}; without a burst the bucket
   * holds one second's worth of requests (at least one). {@code off} means no throttling.
   *
   * @return the limit, or {@code null} for {@code off}
   * @throws IllegalArgumentException for anything else, with a message fit for a command line
   */
  public static RateLimit parse(String spec) {
    String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
    if (s.equals("off")) {
      return null;
    }
    Matcher m = SPEC.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected RPS[:BURST] (e.g. 100:200) or off, not \"" + spec + "\"");
    }
    double rate = Double.parseDouble(m.group(1));
    int burst =
        m.group(2) != null ? Integer.parseInt(m.group(2)) : (int) Math.max(1, Math.ceil(rate));
    return new RateLimit(rate, burst);
  }

  /** The spec {@link #parse} reads back to this limit. */
  public String spec() {
    String rate =
        requestsPerSecond == Math.rint(requestsPerSecond)
            ? Long.toString((long) requestsPerSecond)
            : Double.toString(requestsPerSecond);
    return rate + ":" + burst;
  }
}
