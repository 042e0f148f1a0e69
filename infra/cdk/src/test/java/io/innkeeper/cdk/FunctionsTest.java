package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

class FunctionsTest {

  private final Synth synth = Synth.innkeeper();

  @Test
  void everyTopologyFunctionIsDeployedAsSpecified() {
    var topology = synth.stack.topology();
    assertEquals(
        topology.functions().size(), synth.resources("AWS::Lambda::Function").size(), "functions");
    for (FunctionSpec spec : topology.functions()) {
      JsonNode props = synth.properties(synth.stack.functions().get(spec.id()).function());
      String what = spec.id() + ": ";
      assertEquals("java21", props.path("Runtime").asText(), what + "runtime");
      assertEquals("[\"arm64\"]", props.path("Architectures").toString(), what + "architecture");
      assertEquals(spec.memoryMb(), props.path("MemorySize").asInt(), what + "memory");
      assertEquals(spec.timeoutSeconds(), props.path("Timeout").asInt(), what + "timeout");
      assertEquals(spec.handler() + "::handleRequest", props.path("Handler").asText(), what);
      assertEquals(
          "PublishedVersions",
          props.path("SnapStart").path("ApplyOn").asText(),
          what + "SnapStart");
      assertFalse(props.has("FunctionName"), what + "no hard-coded function name");
    }
  }

  @Test
  void environmentIsResolvedFromTheTopology() {
    for (FunctionSpec spec : synth.stack.topology().functions()) {
      JsonNode env =
          synth
              .properties(synth.stack.functions().get(spec.id()).function())
              .path("Environment")
              .path("Variables");
      var names = new TreeSet<String>();
      env.fieldNames().forEachRemaining(names::add);
      assertEquals(spec.environment().keySet(), names, spec.id() + ": environment keys");
      for (Map.Entry<String, EnvValue> e : spec.environment().entrySet()) {
        JsonNode actual = env.path(e.getKey());
        if (e.getValue() instanceof EnvValue.Literal literal) {
          assertEquals(literal.value(), actual.asText(), e.getKey());
        } else if (e.getValue() instanceof EnvValue.TableName table) {
          String tableId = synth.logicalId(synth.stack.tables().get(table.tableId()));
          assertEquals(tableId, actual.path("Ref").asText(), e.getKey() + " is the table's name");
        } else if (e.getValue() instanceof EnvValue.QueueUrl queue) {
          String queueId = synth.logicalId(synth.stack.queues().get(queue.queueId()));
          assertEquals(queueId, actual.path("Ref").asText(), e.getKey() + " is the queue's URL");
        } else if (e.getValue() instanceof EnvValue.TopicArn topic) {
          String topicId = synth.logicalId(synth.stack.topics().get(topic.topicId()));
          assertEquals(topicId, actual.path("Ref").asText(), e.getKey() + " is the topic's ARN");
        } else if (e.getValue() instanceof EnvValue.ServiceName) {
          assertEquals("AWS::StackName", actual.path("Ref").asText(), e.getKey() + " stack name");
        } else if (e.getValue() instanceof EnvValue.DeploymentKey) {
          JsonNode select = actual.path("Fn::Select");
          assertEquals(2, select.get(0).asInt(), e.getKey() + " is the stack id's UUID");
          assertEquals(
              "AWS::StackId",
              select.get(1).path("Fn::Split").get(1).path("Ref").asText(),
              e.getKey() + " derives from the stack id");
        } else {
          throw new AssertionError("unchecked environment value " + e.getValue());
        }
      }
    }
  }

  /**
   * Every function in the template, whatever the topology says: the dashboard and alarms select
   * metrics by the stack name, so a function publishing under another name would go unseen.
   */
  @Test
  void everyFunctionPublishesItsMetricsUnderTheStackName() {
    Map<String, JsonNode> functions = synth.resources("AWS::Lambda::Function");
    assertEquals(synth.stack.functions().size(), functions.size());
    functions.forEach(
        (id, fn) ->
            assertEquals(
                "AWS::StackName",
                fn.path("Properties")
                    .path("Environment")
                    .path("Variables")
                    .path(MetricCatalog.SERVICE_NAME_ENV)
                    .path("Ref")
                    .asText(),
                id + ": " + MetricCatalog.SERVICE_NAME_ENV));
  }

  @Test
  void everyFunctionIsTracedByXRayAndMayWriteItsTraces() {
    Map<String, JsonNode> functions = synth.resources("AWS::Lambda::Function");
    assertEquals(synth.stack.functions().size(), functions.size());
    functions.forEach(
        (id, fn) ->
            assertEquals(
                "Active",
                fn.path("Properties").path("TracingConfig").path("Mode").asText(),
                id + ": active tracing"));
    for (InnkeeperFunction fn : synth.stack.functions().values()) {
      var actions = new TreeSet<String>();
      synth.statements(fn).forEach(statement -> actions.addAll(Synth.actions(statement)));
      assertTrue(
          actions.containsAll(List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords")),
          fn.spec().id() + " may send its traces: " + actions);
    }
  }

  @Test
  void everyFunctionHasALiveAliasOnItsPublishedVersion() {
    for (InnkeeperFunction fn : synth.stack.functions().values()) {
      JsonNode alias = synth.properties(fn.alias());
      assertEquals("live", alias.path("Name").asText());
      assertEquals(synth.logicalId(fn.function()), alias.path("FunctionName").path("Ref").asText());
      String version = alias.path("FunctionVersion").path("Fn::GetAtt").get(0).asText();
      assertEquals("AWS::Lambda::Version", synth.resource(version).path("Type").asText());
    }
  }

  @Test
  void synthesisLeavesNoWarningsAndNoErrors() {
    // The SnapStart-needs-published-versions warning is acknowledged because the alias does that.
    var annotations = Annotations.fromStack(synth.stack);
    assertEquals(List.of(), annotations.findWarning("*", Match.anyValue()), "warnings");
    assertEquals(List.of(), annotations.findError("*", Match.anyValue()), "errors");
  }

  @Test
  void logsGoToAnOwnLogGroupWithRetentionAndOnlyThere() {
    for (InnkeeperFunction fn : synth.stack.functions().values()) {
      JsonNode props = synth.properties(fn.function());
      String logGroup = synth.logicalId(fn.logGroup());
      assertEquals(logGroup, props.path("LoggingConfig").path("LogGroup").path("Ref").asText());
      JsonNode group = synth.resource(logGroup);
      assertEquals(30, group.path("Properties").path("RetentionInDays").asInt());
      assertFalse(group.path("Properties").has("LogGroupName"), "no hard-coded log group name");
      JsonNode role = synth.properties(fn.role());
      assertFalse(role.has("ManagedPolicyArns"), "no AWSLambdaBasicExecutionRole (any log group)");
      assertFalse(role.has("RoleName"), "no hard-coded role name");
    }
  }
}
