package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.QueueSpec;
import org.junit.jupiter.api.Test;

class QueuesTest {

  private final Synth synth = Synth.innkeeper();

  @Test
  void everyTopologyQueueIsDeployedAsSpecified() {
    var topology = synth.stack.topology();
    assertEquals(topology.queues().size(), synth.resources("AWS::SQS::Queue").size());
    for (QueueSpec spec : topology.queues()) {
      JsonNode props = synth.properties(synth.stack.queues().get(spec.id()));
      String what = spec.id() + ": ";
      assertEquals(spec.fifo(), props.path("FifoQueue").asBoolean(), what + "FIFO");
      if (spec.fifo()) {
        assertTrue(props.has("ContentBasedDeduplication"), what + "dedup set explicitly");
        assertFalse(props.path("ContentBasedDeduplication").asBoolean(), what + "dedup by id");
      } else {
        // SQS rejects FifoQueue=false on a standard queue; the property must be absent.
        assertFalse(props.has("FifoQueue"), what);
      }
      assertEquals(spec.visibilityTimeoutSeconds(), props.path("VisibilityTimeout").asInt(), what);
      assertEquals(spec.retentionSeconds(), props.path("MessageRetentionPeriod").asInt(), what);
      assertTrue(props.path("SqsManagedSseEnabled").asBoolean(), what + "encrypted");
      assertFalse(props.has("QueueName"), what + "no hard-coded queue name");
      if (spec.deadLetter() == null) {
        assertFalse(props.has("RedrivePolicy"), what + "no redrive");
      } else {
        JsonNode redrive = props.path("RedrivePolicy");
        String dlq = synth.logicalId(synth.stack.queues().get(spec.deadLetter().queueId()));
        assertEquals(dlq, redrive.path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText());
        assertEquals(spec.deadLetter().maxReceiveCount(), redrive.path("maxReceiveCount").asInt());
      }
    }
  }

  @Test
  void theCommandQueueIsFifoWithADeadLetterQueue() {
    QueueSpec commands =
        synth.stack.topology().queues().stream()
            .filter(q -> q.fifo() && q.deadLetter() != null)
            .findFirst()
            .orElseThrow(() -> new AssertionError("a FIFO queue with a DLQ"));
    assertTrue(synth.stack.topology().queue(commands.deadLetter().queueId()).fifo());
  }

  @Test
  void everyQueueRefusesPlainHttp() {
    for (var entry : synth.stack.queues().entrySet()) {
      String queueId = synth.logicalId(entry.getValue());
      boolean denied =
          synth.resources("AWS::SQS::QueuePolicy").values().stream()
              .filter(
                  p -> Synth.referencedIds(p.path("Properties").path("Queues")).contains(queueId))
              .flatMap(
                  p ->
                      Synth.list(p.path("Properties").path("PolicyDocument").path("Statement"))
                          .stream())
              .anyMatch(
                  s ->
                      "Deny".equals(s.path("Effect").asText())
                          && "false"
                              .equals(
                                  s.path("Condition")
                                      .path("Bool")
                                      .path("aws:SecureTransport")
                                      .asText()));
      assertTrue(denied, entry.getKey() + " enforces SSL");
    }
  }
}
