package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputsTest {

  private final Synth synth = Synth.innkeeper();

  @Test
  void apiAndUserPoolAreOutputs() {
    JsonNode outputs = synth.json.path("Outputs");
    String api = synth.logicalId(synth.stack.api().httpApi());
    assertEquals(List.of(api), Synth.referencedIds(outputs.path("ApiUrl").path("Value")));
    assertEquals(
        synth.logicalId(synth.stack.api().userPool()),
        outputs.path("UserPoolId").path("Value").path("Ref").asText());
    assertEquals(
        synth.logicalId(synth.stack.api().userPoolClient()),
        outputs.path("UserPoolClientId").path("Value").path("Ref").asText());
  }

  @Test
  void everyTableNameAndQueueUrlIsAnOutput() {
    JsonNode outputs = synth.json.path("Outputs");
    synth
        .stack
        .tables()
        .forEach(
            (id, table) -> {
              JsonNode output = outputs.path(InnkeeperStack.tableNameOutput(id));
              assertFalse(output.isMissingNode(), "output for table " + id);
              assertEquals(synth.logicalId(table), output.path("Value").path("Ref").asText());
            });
    synth
        .stack
        .queues()
        .forEach(
            (id, queue) -> {
              JsonNode output = outputs.path(InnkeeperStack.queueUrlOutput(id));
              assertFalse(output.isMissingNode(), "output for queue " + id);
              // A queue's Ref is its URL.
              assertEquals(synth.logicalId(queue), output.path("Value").path("Ref").asText());
            });
    assertEquals("TableEventsName", InnkeeperStack.tableNameOutput("events"));
    assertEquals("QueueCommandQueueUrl", InnkeeperStack.queueUrlOutput("command-queue"));
  }
}
