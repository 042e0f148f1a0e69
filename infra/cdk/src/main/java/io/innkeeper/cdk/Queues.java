package io.innkeeper.cdk;

import io.innkeeper.topology.QueueSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/** SQS queues from {@link QueueSpec}s. */
final class Queues {

  private Queues() {}

  /**
   * One queue per spec, under a {@code Queues} construct, keyed by topology id in spec order. A
   * dead-letter queue is built before the queues that redrive to it, wherever it is declared.
   */
  static Map<String, Queue> create(Construct scope, List<QueueSpec> specs) {
    Construct group = new Construct(scope, "Queues");
    Map<String, QueueSpec> byId = new LinkedHashMap<>();
    specs.forEach(spec -> byId.put(spec.id(), spec));
    Map<String, Queue> built = new LinkedHashMap<>();
    for (QueueSpec spec : specs) {
      build(group, spec, byId, built, 0);
    }
    // Hand them back in declaration order, whatever order redrive forced on construction.
    Map<String, Queue> ordered = new LinkedHashMap<>();
    specs.forEach(spec -> ordered.put(spec.id(), built.get(spec.id())));
    return ordered;
  }

  private static Queue build(
      Construct scope,
      QueueSpec spec,
      Map<String, QueueSpec> byId,
      Map<String, Queue> built,
      int depth) {
    Queue existing = built.get(spec.id());
    if (existing != null) {
      return existing;
    }
    if (depth > byId.size()) {
      throw new IllegalArgumentException("dead-letter queues form a cycle at " + spec.id());
    }
    var builder =
        Queue.Builder.create(scope, Names.pascal(spec.id()))
            .visibilityTimeout(Duration.seconds(spec.visibilityTimeoutSeconds()))
            .retentionPeriod(Duration.seconds(spec.retentionSeconds()))
            // SSE-SQS: encrypted at rest with no KMS key, so no kms: grants for senders, the
            // event source mappings or the on-failure destination, and no KMS calls per message.
            // A customer managed key would only add key-level revocation, which nothing needs.
            .encryption(QueueEncryption.SQS_MANAGED)
            // A queue policy refuses every request that does not come over TLS.
            .enforceSsl(true);
    if (spec.fifo()) {
      // The command API sets an explicit deduplication id per command; hashing bodies would
      // also swallow two distinct commands that happen to look the same.
      builder.fifo(true).contentBasedDeduplication(false);
    }
    if (spec.deadLetter() != null) {
      QueueSpec dlqSpec = byId.get(spec.deadLetter().queueId());
      if (dlqSpec == null) {
        throw new IllegalArgumentException(
            "queue " + spec.id() + ": unknown dead-letter queue " + spec.deadLetter().queueId());
      }
      builder.deadLetterQueue(
          DeadLetterQueue.builder()
              .queue(build(scope, dlqSpec, byId, built, depth + 1))
              .maxReceiveCount(spec.deadLetter().maxReceiveCount())
              .build());
    }
    Queue queue = builder.build();
    built.put(spec.id(), queue);
    return queue;
  }
}
