package io.innkeeper.local;

import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A testing aid AWS does not have: runs a topology with every timeout and delay that a scenario can
 * sit out divided by one factor, so a scenario that waits out a crashed batch's visibility timeout
 * or a poison command's retries is the same scenario, only shorter. The figures keep their
 * proportions: each function's timeout, the gateway's integration timeout, each queue's visibility
 * timeout (six times the command handler's, as AWS asks), the command handler's retry delays and
 * the query side's consistency wait. Counts and sizes (receive counts, retry attempts, batch sizes,
 * concurrency) and the order of deliveries do not change.
 *
 * <p>SQS counts visibility timeouts and the command handler's delays in whole seconds, so those are
 * rounded up (a delay of 0 stays 0), which keeps a visibility timeout at least six times its
 * compressed function timeout. Left as they are: the AWS SDK's per-attempt and per-call timeouts
 * (they bound calls to servers that answer at their own speed, which no factor makes faster), and
 * lifetimes nothing waits out (message retention, a stream record's maximum age, token expiry).
 *
 * <p>{@link #none()} (factor 1) is AWS's figures exactly, and the default.
 *
 * @param factor how many times shorter every timeout and delay is; 1 for AWS's figures
 */
public record TimeCompression(int factor) {

  /** The largest factor: beyond it the command handler's 30 s timeout is shorter than a second. */
  public static final int MAX_FACTOR = 30;

  /** The command handler's retry delays, in seconds, comma separated (Redelivery). */
  static final String RETRY_DELAYS = "COMMAND_RETRY_DELAYS";

  /** How long a query bound to a consistency token waits, in milliseconds (QueryApiHandler). */
  static final String CONSISTENCY_WAIT = "CONSISTENCY_WAIT_MS";

  private static final TimeCompression NONE = new TimeCompression(1);

  /**
   * @throws IllegalArgumentException for a factor outside 1..{@value #MAX_FACTOR}
   */
  public TimeCompression {
    if (factor < 1 || factor > MAX_FACTOR) {
      throw new IllegalArgumentException(
          "time compression must be a factor of 1.." + MAX_FACTOR + ", not " + factor);
    }
  }

  /** AWS's figures. */
  public static TimeCompression none() {
    return NONE;
  }

  /** Whether this changes anything. */
  public boolean compresses() {
    return factor > 1;
  }

  /**
   * {@code topology} with its queues' visibility timeouts and its functions' delay settings
   * compressed. Function timeouts stay whole seconds in the topology; the runtime enforces {@link
   * #functionTimeout}.
   */
  public Topology apply(Topology topology) {
    if (!compresses()) {
      return topology;
    }
    return new Topology(
        topology.tables(),
        topology.queues().stream().map(this::queue).toList(),
        topology.functions().stream().map(this::function).toList(),
        topology.projections());
  }

  /** How long {@code function} may run. */
  public Duration functionTimeout(FunctionSpec function) {
    return scale(Duration.ofSeconds(function.timeoutSeconds()));
  }

  /** {@code duration} divided by the factor. */
  public Duration scale(Duration duration) {
    return duration.dividedBy(factor);
  }

  /** Whole seconds divided by the factor, rounded up: how SQS counts them. */
  int seconds(int seconds) {
    return (seconds + factor - 1) / factor;
  }

  private QueueSpec queue(QueueSpec q) {
    return new QueueSpec(
        q.id(),
        q.fifo(),
        seconds(q.visibilityTimeoutSeconds()),
        q.retentionSeconds(),
        q.deadLetter());
  }

  private FunctionSpec function(FunctionSpec f) {
    Map<String, EnvValue> env = new LinkedHashMap<>(f.environment());
    if (env.get(RETRY_DELAYS) instanceof EnvValue.Literal delays) {
      env.put(RETRY_DELAYS, new EnvValue.Literal(retryDelays(delays.value())));
    }
    if (env.get(CONSISTENCY_WAIT) instanceof EnvValue.Literal wait) {
      long millis = Long.parseLong(wait.value().strip());
      env.put(CONSISTENCY_WAIT, new EnvValue.Literal(Long.toString(millis / factor)));
    }
    return new FunctionSpec(
        f.id(), f.handler(), f.memoryMb(), f.timeoutSeconds(), env, f.triggers(), f.access());
  }

  private String retryDelays(String spec) {
    return Arrays.stream(spec.split(","))
        .map(s -> Integer.toString(seconds(Integer.parseInt(s.strip()))))
        .collect(Collectors.joining(","));
  }
}
