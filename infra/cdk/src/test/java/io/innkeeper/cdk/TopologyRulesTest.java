package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.Access;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks that keep a broken topology from reaching CloudFormation. No CDK involved. */
class TopologyRulesTest {

  private static final TableSpec EVENTS =
      new TableSpec(
          "events",
          TableSpec.Role.RECORD,
          new TableSpec.KeyAttribute("pk", TableSpec.AttributeType.S),
          null,
          TableSpec.StreamView.NEW_IMAGE,
          null,
          List.of());

  @Test
  void innkeepersTopologyPasses() {
    assertDoesNotThrow(() -> TopologyRules.check(Topology.innkeeper()));
  }

  @Test
  void aFifoOnFailureDestinationIsRejected() {
    var parked = new QueueSpec("parked", true, 30, 3600, null);
    String message = rejection(List.of(EVENTS), List.of(parked), streamFunction("parked"));
    assertTrue(message.contains("must be a standard queue"), message);
  }

  @Test
  void aStreamTriggerOnATableWithoutStreamIsRejected() {
    var noStream =
        new TableSpec(
            "events",
            TableSpec.Role.RECORD,
            new TableSpec.KeyAttribute("pk", TableSpec.AttributeType.S),
            null,
            TableSpec.StreamView.NONE,
            null,
            List.of());
    String message = rejection(List.of(noStream), List.of(), streamFunction(null));
    assertTrue(message.contains("has no stream"), message);
  }

  @Test
  void aQueueThatHidesMessagesShorterThanTheHandlerRunsIsRejected() {
    var queue = new QueueSpec("q", false, 10, 3600, null);
    var fn = function(30, new Trigger.SqsTrigger("q", 10, 2));
    String message = rejection(List.of(), List.of(queue), fn);
    assertTrue(message.contains("visibility timeout"), message);
  }

  @Test
  void fifoBatchesAboveTenAndConcurrencyBelowTwoAreRejected() {
    var queue = new QueueSpec("q", true, 60, 3600, null);
    String message =
        rejection(List.of(), List.of(queue), function(30, new Trigger.SqsTrigger("q", 11, 1)));
    assertTrue(message.contains("FIFO batch size"), message);
    assertTrue(message.contains("maximum concurrency"), message);
  }

  @Test
  void deadLetterQueuesMustMatchFifonessAndKeepMessagesAsLong() {
    var dlq = new QueueSpec("dlq", false, 30, 60, null);
    var queue = new QueueSpec("q", true, 30, 3600, new QueueSpec.DeadLetter("dlq", 3));
    String message = rejection(List.of(), List.of(queue, dlq));
    assertTrue(message.contains("FIFO exactly when"), message);
    assertTrue(message.contains("keeps messages less long"), message);
  }

  @Test
  void unknownQueuesAndNameClashesAreRejected() {
    var a = new QueueSpec("command-queue", false, 30, 3600, new QueueSpec.DeadLetter("nope", 3));
    var b = new QueueSpec("command_queue", false, 30, 3600, null);
    String message = rejection(List.of(), List.of(a, b));
    assertTrue(message.contains("unknown queue nope"), message);
    assertTrue(message.contains("same name"), message);
  }

  @Test
  void namesArePascalCase() {
    assertEquals("CommandQueue", Names.pascal("command-queue"));
    assertEquals("ProjectorParked", Names.pascal("projector_parked"));
    assertEquals("Events", Names.pascal("events"));
    assertThrows(IllegalArgumentException.class, () -> Names.pascal("--"));
  }

  private static FunctionSpec streamFunction(String parkedQueue) {
    return function(
        30,
        new Trigger.StreamTrigger("events", 100, "TRIM_HORIZON", null, 3, true, 3600, parkedQueue));
  }

  private static FunctionSpec function(int timeout, Trigger trigger) {
    return new FunctionSpec(
        "fn",
        "example.Handler",
        512,
        timeout,
        Map.<String, EnvValue>of(),
        List.of(trigger),
        List.<Access>of());
  }

  private static String rejection(
      List<TableSpec> tables, List<QueueSpec> queues, FunctionSpec... functions) {
    var topology = new Topology(tables, queues, List.of(functions));
    return assertThrows(IllegalArgumentException.class, () -> TopologyRules.check(topology))
        .getMessage();
  }
}
