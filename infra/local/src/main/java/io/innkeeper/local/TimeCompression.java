package io.innkeeper.local;

import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A testing aid AWS does not have: runs a topology with the waits a scenario sits out divided by
 * one factor, so a scenario that waits out a crashed batch's visibility timeout or a poison
 * command's retries is the same scenario, only shorter. Divided: each queue's visibility timeout,
 * the command handler's retry delays and the query side's consistency wait. Counts and sizes
 * (receive counts, retry attempts, batch sizes, concurrency) and the order of deliveries do not
 * change.
 *
 * <p>Function timeouts are not divided. They are budgets for work, and the work does not get faster
 * with the clock: the command consumer and the projector start work only while two SDK calls' worth
 * of time (10 s) is left, and an SDK call still takes what the servers take, so a shorter timeout
 * would shrink the window in which a batch runs and hand messages back (each a receive) where AWS
 * would not. So a queue's visibility timeout is divided but stays longer than the timeout of the
 * function it triggers: a batch is never delivered again while its invocation still runs, which is
 * what AWS's rule (six times the function's timeout) guarantees, with less margin. SQS counts
 * visibility timeouts and the handler's delays in whole seconds, so those are rounded up (a delay
 * of 0 stays 0).
 *
 * <p>Also left as they are: the AWS SDK's timeouts, the gateway's 30 s integration timeout, and
 * lifetimes nothing waits out (message retention, a stream record's maximum age, token expiry).
 *
 * <p>{@link #none()} (factor 1) is AWS's figures exactly, and the default.
 *
 * @param factor how many times shorter the waits are; 1 for AWS's figures
 */
public record TimeCompression(int factor) {

  /** The largest factor: every retry delay of the topology is then 1 s. */
  public static final int MAX_FACTOR = 20;

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

  /** {@code topology} with its queues' visibility timeouts and its functions' delays compressed. */
  public Topology apply(Topology topology) {
    if (!compresses()) {
      return topology;
    }
    return new Topology(
        topology.tables(),
        topology.queues().stream().map(q -> queue(q, topology)).toList(),
        topology.functions().stream().map(this::function).toList(),
        topology.projections(),
        topology.topics(),
        topology.subscriptions());
  }

  /** Whole seconds divided by the factor, rounded up: how SQS counts them. */
  int seconds(int seconds) {
    return (seconds + factor - 1) / factor;
  }

  /**
   * The visibility timeout divided, and longer than the timeout of each function the queue
   * triggers.
   */
  private QueueSpec queue(QueueSpec q, Topology topology) {
    int visibility = seconds(q.visibilityTimeoutSeconds());
    for (FunctionSpec f : topology.functions()) {
      boolean triggers =
          f.triggers().stream()
              .anyMatch(t -> t instanceof Trigger.SqsTrigger sqs && sqs.queueId().equals(q.id()));
      if (triggers) {
        visibility = Math.max(visibility, f.timeoutSeconds() + 1);
      }
    }
    return new QueueSpec(q.id(), q.fifo(), visibility, q.retentionSeconds(), q.deadLetter());
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
