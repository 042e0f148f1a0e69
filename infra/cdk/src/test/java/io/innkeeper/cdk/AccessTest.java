package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.Access;
import io.innkeeper.topology.FunctionSpec.QueueLevel;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Trigger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {

  private static final Set<String> TABLE_WRITE_ACTIONS =
      Set.of(
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:BatchWriteItem",
          "dynamodb:*");
  private static final Set<String> SEND_ACTIONS =
      Set.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");
  private static final Set<String> STREAM_ACTIONS =
      Set.of(
          "dynamodb:DescribeStream",
          "dynamodb:GetRecords",
          "dynamodb:GetShardIterator",
          "dynamodb:ListStreams");

  private final Synth synth = Synth.innkeeper();

  @Test
  void theQueryApiOnlyReadsQueryTables() {
    InnkeeperFunction queryApi = synth.stack.functions().get("query-api");
    Set<String> forbidden = new HashSet<>();
    for (TableSpec table : synth.stack.topology().tables()) {
      if (table.role() == TableSpec.Role.RECORD) {
        forbidden.add(synth.logicalId(synth.stack.tables().get(table.id())));
      }
    }
    assertFalse(forbidden.isEmpty());
    for (JsonNode statement : synth.statements(queryApi)) {
      for (String action : Synth.actions(statement)) {
        assertFalse(TABLE_WRITE_ACTIONS.contains(action), "query-api may not " + action);
        assertFalse(action.startsWith("sqs:"), "query-api may not " + action);
        assertFalse(STREAM_ACTIONS.contains(action), "query-api may not " + action);
      }
      for (String id : Synth.referencedIds(statement.path("Resource"))) {
        assertFalse(forbidden.contains(id), "query-api may not touch the events table");
      }
    }
  }

  @Test
  void onlyTheProjectorWritesQueryTables() {
    Set<String> queryTables = new HashSet<>();
    for (TableSpec table : synth.stack.topology().tables()) {
      if (table.role() == TableSpec.Role.QUERY) {
        queryTables.add(synth.logicalId(synth.stack.tables().get(table.id())));
      }
    }
    // The domain's query tables and the projector's watermarks, each its own table.
    assertEquals(
        io.innkeeper.core.domain.Domains.load().queryTables().size() + 1,
        queryTables.size(),
        queryTables.toString());
    Set<String> writers = new HashSet<>();
    for (InnkeeperFunction fn : synth.stack.functions().values()) {
      for (JsonNode statement : synth.statements(fn)) {
        boolean writes = Synth.actions(statement).stream().anyMatch(TABLE_WRITE_ACTIONS::contains);
        boolean onQueryTable =
            Synth.referencedIds(statement.path("Resource")).stream()
                .anyMatch(queryTables::contains);
        if (writes && onQueryTable) {
          writers.add(fn.spec().id());
        }
      }
    }
    assertEquals(Set.of("projector"), writers);
  }

  /**
   * docs/architecture.md: command-api writes only command status (and idempotency records), sends
   * only to the command queue, and may read the reservations read model for the owner check on a
   * cancel.
   */
  @Test
  void theCommandApiOnlySendsCommandsWritesCommandStatusAndReadsReservations() {
    InnkeeperFunction commandApi = synth.stack.functions().get("command-api");
    Set<String> allowed = new HashSet<>(resourcesNamedIn(commandApi.spec()));
    allowed.add(synth.logicalId(commandApi.logGroup()));
    String commandQueue = synth.logicalId(synth.stack.queues().get("command-queue"));
    String commandsTable = synth.logicalId(synth.stack.tables().get("commands"));
    String reservationsTable = synth.logicalId(synth.stack.tables().get("reservations"));
    List<String> readActions =
        AccessGrants.tableActions(io.innkeeper.topology.FunctionSpec.TableLevel.READ);
    boolean sends = false;
    for (JsonNode statement : synth.statements(commandApi)) {
      List<String> resources = Synth.referencedIds(statement.path("Resource"));
      assertTrue(allowed.containsAll(resources), "command-api touches only " + allowed);
      for (String action : Synth.actions(statement)) {
        if (action.startsWith("sqs:")) {
          assertTrue(SEND_ACTIONS.contains(action), "command-api may not " + action);
          assertEquals(List.of(commandQueue), resources, action + " only on the command queue");
          sends |= action.equals("sqs:SendMessage");
        } else if (action.startsWith("dynamodb:")) {
          assertFalse(STREAM_ACTIONS.contains(action), "command-api may not " + action);
          for (String resource : resources) {
            assertTrue(
                resource.equals(commandsTable)
                    || (resource.equals(reservationsTable) && readActions.contains(action)),
                "command-api may not " + action + " on " + resource);
          }
        }
      }
    }
    assertTrue(sends, "command-api can send commands");
  }

  @Test
  void everyFunctionGetsExactlyTheTableActionsItsAccessNames() {
    for (FunctionSpec spec : synth.stack.topology().functions()) {
      InnkeeperFunction fn = synth.stack.functions().get(spec.id());
      Map<String, Set<String>> granted = tableActions(fn);
      Map<String, Set<String>> expected = new HashMap<>();
      for (Access access : spec.access()) {
        if (access instanceof Access.Table t) {
          expected
              .computeIfAbsent(
                  synth.logicalId(synth.stack.tables().get(t.tableId())), k -> new HashSet<>())
              .addAll(AccessGrants.tableActions(t.level()));
        }
      }
      assertEquals(expected, granted, spec.id() + ": item actions per table");
    }
  }

  @Test
  void onlyStreamTriggeredFunctionsReadStreamsAndOnlyTheirOwn() {
    for (FunctionSpec spec : synth.stack.topology().functions()) {
      Set<String> streamTables = new HashSet<>();
      for (Trigger trigger : spec.triggers()) {
        if (trigger instanceof Trigger.StreamTrigger stream) {
          streamTables.add(synth.logicalId(synth.stack.tables().get(stream.tableId())));
        }
      }
      Set<String> read = new HashSet<>();
      for (JsonNode statement : synth.statements(synth.stack.functions().get(spec.id()))) {
        List<String> actions = Synth.actions(statement);
        if (actions.stream()
            .anyMatch(a -> STREAM_ACTIONS.contains(a) && !a.endsWith("ListStreams"))) {
          for (JsonNode resource : Synth.list(statement.path("Resource"))) {
            assertEquals("StreamArn", resource.path("Fn::GetAtt").get(1).asText(), spec.id());
            read.add(resource.path("Fn::GetAtt").get(0).asText());
          }
        }
      }
      assertEquals(streamTables, read, spec.id() + ": streams it may read");
    }
  }

  @Test
  void queueAccessIsSendOrConsumeAsNamedAndNothingElse() {
    for (FunctionSpec spec : synth.stack.topology().functions()) {
      Map<String, Set<String>> expected = new HashMap<>();
      for (Access access : spec.access()) {
        if (access instanceof Access.Queue q) {
          String queue = synth.logicalId(synth.stack.queues().get(q.queueId()));
          expected.computeIfAbsent(queue, k -> new HashSet<>()).addAll(queueActions(q.level()));
        }
      }
      for (Trigger trigger : spec.triggers()) {
        if (trigger instanceof Trigger.StreamTrigger s && s.onFailureQueueId() != null) {
          String queue = synth.logicalId(synth.stack.queues().get(s.onFailureQueueId()));
          expected.computeIfAbsent(queue, k -> new HashSet<>()).addAll(SEND_ACTIONS);
        }
      }
      Map<String, Set<String>> granted = new HashMap<>();
      for (JsonNode statement : synth.statements(synth.stack.functions().get(spec.id()))) {
        for (String action : Synth.actions(statement)) {
          if (action.startsWith("sqs:")) {
            for (String id : Synth.referencedIds(statement.path("Resource"))) {
              granted.computeIfAbsent(id, k -> new HashSet<>()).add(action);
            }
          }
        }
      }
      assertEquals(expected, granted, spec.id() + ": queue actions per queue");
    }
  }

  private static final String XRAY_PUT_TRACE_SEGMENTS = "xray:PutTraceSegments";
  private static final String XRAY_PUT_TELEMETRY_RECORDS = "xray:PutTelemetryRecords";

  /**
   * The only actions granted on {@code "*"}, each with the reason AWS leaves no narrower resource.
   * Anything else on {@code "*"} fails the build.
   */
  static final Map<String, String> REQUIRED_WILDCARDS =
      Map.of(
          "dynamodb:ListStreams",
          "ListStreams lists the account's streams; IAM has no resource-level permission for it,"
              + " and Lambda's event source mapping calls it for the projector's stream",
          XRAY_PUT_TRACE_SEGMENTS,
          "Active tracing sends segments to X-Ray, whose actions have no resource-level"
              + " permissions",
          XRAY_PUT_TELEMETRY_RECORDS,
          "Active tracing reports the tracer's own telemetry to X-Ray, likewise without"
              + " resource-level permissions");

  @Test
  void everyWildcardResourceInTheTemplateIsOneAwsRequiresWithItsReason() {
    int policies = 0;
    for (JsonNode policy : synth.resources("AWS::IAM::Policy").values()) {
      policies++;
      for (JsonNode statement :
          Synth.list(policy.path("Properties").path("PolicyDocument").path("Statement"))) {
        assertEquals("Allow", statement.path("Effect").asText());
        for (String action : Synth.actions(statement)) {
          assertFalse(action.endsWith("*"), "wildcard action " + action);
        }
        if (Synth.list(statement.path("Resource")).stream().anyMatch(r -> "*".equals(r.asText()))) {
          for (String action : Synth.actions(statement)) {
            assertTrue(
                REQUIRED_WILDCARDS.containsKey(action),
                action + " on * has no reason listed in REQUIRED_WILDCARDS");
          }
        }
      }
    }
    assertTrue(policies >= synth.stack.functions().size(), "every function's policy was checked");
    for (InnkeeperFunction fn : synth.stack.functions().values()) {
      Set<String> onWildcard = new HashSet<>();
      for (JsonNode statement : synth.statements(fn)) {
        if (Synth.list(statement.path("Resource")).stream().anyMatch(r -> "*".equals(r.asText()))) {
          onWildcard.addAll(Synth.actions(statement));
        }
      }
      Set<String> expected =
          new HashSet<>(Set.of(XRAY_PUT_TRACE_SEGMENTS, XRAY_PUT_TELEMETRY_RECORDS));
      if (fn.spec().triggers().stream().anyMatch(Trigger.StreamTrigger.class::isInstance)) {
        // Only a stream reader lists streams.
        expected.add("dynamodb:ListStreams");
      }
      assertEquals(expected, onWildcard, fn.spec().id() + ": actions on *");
    }
  }

  private Set<String> resourcesNamedIn(FunctionSpec spec) {
    Set<String> ids = new HashSet<>();
    for (Access access : spec.access()) {
      if (access instanceof Access.Table t) {
        ids.add(synth.logicalId(synth.stack.tables().get(t.tableId())));
      } else if (access instanceof Access.Queue q) {
        ids.add(synth.logicalId(synth.stack.queues().get(q.queueId())));
      }
    }
    return ids;
  }

  /** Item-level DynamoDB actions per table logical id (stream actions excluded). */
  private Map<String, Set<String>> tableActions(InnkeeperFunction fn) {
    Map<String, Set<String>> granted = new HashMap<>();
    for (JsonNode statement : synth.statements(fn)) {
      List<String> actions =
          Synth.actions(statement).stream()
              .filter(a -> a.startsWith("dynamodb:") && !STREAM_ACTIONS.contains(a))
              .toList();
      if (actions.isEmpty()) {
        continue;
      }
      for (String id : Synth.referencedIds(statement.path("Resource"))) {
        granted.computeIfAbsent(id, k -> new HashSet<>()).addAll(actions);
      }
    }
    return granted;
  }

  private static Set<String> queueActions(QueueLevel level) {
    return switch (level) {
      case SEND -> SEND_ACTIONS;
      case CONSUME ->
          Set.of(
              "sqs:ReceiveMessage",
              "sqs:ChangeMessageVisibility",
              "sqs:GetQueueUrl",
              "sqs:DeleteMessage",
              "sqs:GetQueueAttributes");
    };
  }
}
