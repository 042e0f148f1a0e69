package io.innkeeper.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.client.Json;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.PhysicalNames;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What {@code redrive} works on, taken from the topology: each queue with a dead-letter queue
 * (Innkeeper: command-queue ← command-dlq), each on-failure queue of a stream trigger on the events
 * table (Innkeeper: the projector's projector-parked), and the tables the projector writes. Queue
 * URLs come from the local runtime (by its physical names) or from a deployed stack's outputs
 * ({@code Queue<Id>Url}, {@code Table<Id>Name}).
 *
 * @param deadLetters where each dead-letter queue's messages go back to
 * @param parked the on-failure queues of the projector
 * @param tables the events table and the query tables
 */
public record RedriveTargets(
    List<DeadLetters> deadLetters, List<Parked> parked, ReadModelTables tables) {

  public RedriveTargets {
    deadLetters = List.copyOf(deadLetters);
    parked = List.copyOf(parked);
  }

  /** A queue and its dead-letter queue. */
  public record DeadLetters(String queueId, String queueUrl, String dlqId, String dlqUrl) {}

  /** A stream trigger's on-failure queue. */
  public record Parked(String functionId, String tableId, String queueId, String queueUrl) {}

  /** The local runtime's queues (looked up by their physical names) and tables. */
  public static RedriveTargets local(Topology topology, SqsClient sqs) {
    return of(
        topology,
        id -> sqs.getQueueUrl(b -> b.queueName(PhysicalNames.queue(topology.queue(id)))).queueUrl(),
        ReadModelTables.local());
  }

  /**
   * A deployed stack's queues and tables, from the outputs file {@code cdk deploy --outputs-file}
   * wrote.
   *
   * @throws IllegalArgumentException if the file lacks the stack or one of the outputs needed
   */
  public static RedriveTargets fromOutputs(Topology topology, Path outputsFile, String stack)
      throws IOException {
    JsonNode outputs = Json.MAPPER.readTree(Files.readAllBytes(outputsFile)).path(stack);
    ReadModelTables tables = ReadModelTables.fromOutputs(outputsFile, stack);
    return of(
        topology,
        id -> {
          String url = outputs.path(OutputNames.queueUrl(id)).asText("");
          if (url.isEmpty()) {
            throw new IllegalArgumentException(
                "stack " + stack + " has no output " + OutputNames.queueUrl(id));
          }
          return url;
        },
        tables);
  }

  private static RedriveTargets of(
      Topology topology, Function<String, String> queueUrl, ReadModelTables tables) {
    List<DeadLetters> deadLetters = new ArrayList<>();
    for (QueueSpec q : topology.queues()) {
      if (q.deadLetter() != null) {
        String dlq = q.deadLetter().queueId();
        deadLetters.add(new DeadLetters(q.id(), queueUrl.apply(q.id()), dlq, queueUrl.apply(dlq)));
      }
    }
    List<Parked> parked = new ArrayList<>();
    for (FunctionSpec f : topology.functions()) {
      for (Trigger t : f.triggers()) {
        // Only the events table's projector: what is parked there is replayed with its projections.
        if (t instanceof Trigger.StreamTrigger s
            && s.onFailureQueueId() != null
            && topology.table(s.tableId()).role() == TableSpec.Role.RECORD) {
          parked.add(
              new Parked(
                  f.id(), s.tableId(), s.onFailureQueueId(), queueUrl.apply(s.onFailureQueueId())));
        }
      }
    }
    return new RedriveTargets(deadLetters, parked, tables);
  }
}
