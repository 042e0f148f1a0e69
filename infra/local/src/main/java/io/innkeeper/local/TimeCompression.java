package io.innkeeper.local;

import io.innkeeper.core.command.CommandConsumer;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A testing aid AWS does not have: runs a topology with the waits a scenario sits out divided by
 * one factor, so a scenario that waits out a crashed batch's visibility timeout or a poison
 * command's retries is the same scenario, only shorter. Divided: each queue's visibility timeout,
 * each function's timeout (down to a floor, below), the command handler's retry delays and the
 * query side's consistency wait. Counts and sizes (receive counts, retry attempts, batch sizes,
 * concurrency) and the order of deliveries do not change.
 *
 * <p>A function's timeout is a budget for work, and the work does not get faster with the clock:
 * the command consumer and the projector start work only while two SDK calls' worth of time ({@link
 * CommandConsumer#DEFAULT_RESERVE}, 10 s) is left, and an SDK call still takes what the servers
 * take. So no function timeout is compressed below {@link #MIN_FUNCTION_TIMEOUT} (that reserve plus
 * 2 s of work), nor below its own figure. The visibility timeout stays longer than the compressed
 * timeout of the function the queue triggers, so a batch is never delivered again while its
 * invocation still runs; it is six times the handler's 30 s divided by the factor, which is less
 * than six times the floored timeout: the one ratio compression does not keep. SQS counts
 * visibility timeouts and the handler's delays in whole seconds, so those are rounded up (a delay
 * of 0 stays 0).
 *
 * <p>Left as they are: the AWS SDK's per-attempt and per-call timeouts (they bound calls to servers
 * that answer at their own speed), the gateway's 30 s integration timeout (a function always times
 * out before it), and lifetimes nothing waits out (message retention, a stream record's maximum
 * age, token expiry).
 *
 * <p>{@link #none()} (factor 1) is AWS's figures exactly, and the default.
 *
 * @param factor how many times shorter the waits are; 1 for AWS's figures
 */
public record TimeCompression(int factor) {

  /** The largest factor: the command queue's 180 s visibility timeout then is 9 s. */
  public static final int MAX_FACTOR = 20;

  /**
   * The shortest compressed function timeout: the time the handlers keep in hand before they start
   * work, plus 2 s of work.
   */
  public static final Duration MIN_FUNCTION_TIMEOUT =
      max(CommandConsumer.DEFAULT_RESERVE, ProjectorRuntime.DEFAULT_RESERVE).plusSeconds(2);

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
        topology.queues().stream().map(q -> queue(q, topology)).toList(),
        topology.functions().stream().map(this::function).toList(),
        topology.projections());
  }

  /** How long {@code function} may run: its timeout divided, but not below the floor. */
  public Duration functionTimeout(FunctionSpec function) {
    Duration full = Duration.ofSeconds(function.timeoutSeconds());
    Duration scaled = full.dividedBy(factor);
    Duration floor = full.compareTo(MIN_FUNCTION_TIMEOUT) < 0 ? full : MIN_FUNCTION_TIMEOUT;
    return max(scaled, floor);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? b : a;
  }

  /** Whole seconds divided by the factor, rounded up: how SQS counts them. */
  int seconds(int seconds) {
    return (seconds + factor - 1) / factor;
  }

  /**
   * The visibility timeout divided, and longer than the compressed timeout of each function the
   * queue triggers.
   */
  private QueueSpec queue(QueueSpec q, Topology topology) {
    long visibility = seconds(q.visibilityTimeoutSeconds());
    for (FunctionSpec f : topology.functions()) {
      boolean triggers =
          f.triggers().stream()
              .anyMatch(t -> t instanceof Trigger.SqsTrigger sqs && sqs.queueId().equals(q.id()));
      if (triggers) {
        visibility = Math.max(visibility, functionTimeout(f).toSeconds() + 1);
      }
    }
    return new QueueSpec(q.id(), q.fifo(), (int) visibility, q.retentionSeconds(), q.deadLetter());
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
