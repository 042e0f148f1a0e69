package io.innkeeper.cdk;

import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Checks a topology for mistakes that CloudFormation would only report halfway through a deploy, or
 * that AWS would accept and then misbehave on. Failing at synth time is cheaper.
 */
final class TopologyRules {

  /** FIFO event source mappings take at most this many messages per batch. */
  static final int FIFO_MAX_BATCH = 10;

  private TopologyRules() {}

  static void check(Topology topology) {
    List<String> problems = new ArrayList<>();
    uniqueIds(topology, problems);
    for (QueueSpec queue : topology.queues()) {
      if (queue.deadLetter() != null) {
        QueueSpec dlq = find(topology, queue.deadLetter().queueId(), problems, queue.id());
        if (dlq != null && dlq.fifo() != queue.fifo()) {
          problems.add(
              "queue " + queue.id() + ": its dead-letter queue must be FIFO exactly when it is");
        }
        // A standard queue's message keeps its original enqueue time in the dead-letter queue, so
        // a shorter retention there silently drops what was just parked.
        if (dlq != null && dlq.retentionSeconds() < queue.retentionSeconds()) {
          problems.add("queue " + queue.id() + ": its dead-letter queue keeps messages less long");
        }
      }
    }
    for (FunctionSpec function : topology.functions()) {
      for (Trigger trigger : function.triggers()) {
        checkTrigger(topology, function, trigger, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid topology:\n  " + String.join("\n  ", problems));
    }
  }

  private static void checkTrigger(
      Topology topology, FunctionSpec function, Trigger trigger, List<String> problems) {
    String where = "function " + function.id();
    if (trigger instanceof Trigger.SqsTrigger sqs) {
      QueueSpec queue = find(topology, sqs.queueId(), problems, where);
      if (queue == null) {
        return;
      }
      // Lambda refuses a mapping whose queue could hand a message to a second invocation while
      // the first still runs.
      if (queue.visibilityTimeoutSeconds() < function.timeoutSeconds()) {
        problems.add(where + ": queue " + queue.id() + " visibility timeout is below its timeout");
      }
      if (queue.fifo() && sqs.batchSize() > FIFO_MAX_BATCH) {
        problems.add(where + ": FIFO batch size above " + FIFO_MAX_BATCH);
      }
      if (sqs.maxConcurrency() < 2) {
        problems.add(where + ": SQS maximum concurrency below the AWS minimum of 2");
      }
    } else if (trigger instanceof Trigger.StreamTrigger stream) {
      TableSpec table = topology.findTable(stream.tableId()).orElse(null);
      if (table == null) {
        problems.add(where + ": unknown table " + stream.tableId());
      } else if (table.stream() == TableSpec.StreamView.NONE) {
        problems.add(where + ": table " + table.id() + " has no stream");
      }
      if (stream.onFailureQueueId() != null) {
        QueueSpec parked = find(topology, stream.onFailureQueueId(), problems, where);
        // AWS accepts a FIFO destination in the template and then fails every delivery to it.
        if (parked != null && parked.fifo()) {
          problems.add(where + ": on-failure queue " + parked.id() + " must be a standard queue");
        }
      }
    }
  }

  private static void uniqueIds(Topology topology, List<String> problems) {
    // Construct ids are derived from topology ids, so two ids differing only in separators clash.
    unique("table", topology.tables().stream().map(TableSpec::id).toList(), problems);
    unique("queue", topology.queues().stream().map(QueueSpec::id).toList(), problems);
    unique("function", topology.functions().stream().map(FunctionSpec::id).toList(), problems);
  }

  private static void unique(String kind, List<String> ids, List<String> problems) {
    var seen = new HashSet<String>();
    for (String id : ids) {
      if (!seen.add(Names.pascal(id))) {
        problems.add(kind + " " + id + ": another " + kind + " has the same name");
      }
    }
  }

  private static QueueSpec find(Topology topology, String id, List<String> problems, String who) {
    return topology.queues().stream()
        .filter(q -> q.id().equals(id))
        .findFirst()
        .orElseGet(
            () -> {
              problems.add(who + ": unknown queue " + id);
              return null;
            });
  }
}
