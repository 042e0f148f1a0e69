package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

class InnkeeperAppTest {

  @Test
  void cdkJsonKeepsTheCliQuietAndPointsAtTheFunctionsJar() throws Exception {
    JsonNode cdkJson = Synth.JSON.readTree(java.nio.file.Path.of("cdk.json").toFile());
    assertEquals(false, cdkJson.path("notices").asBoolean(true), "notices off");
    JsonNode context = cdkJson.path("context");
    // Only inside "context" does the CLI honour it.
    assertEquals(false, context.path("cli-telemetry").asBoolean(true), "telemetry off");
    assertEquals(InnkeeperApp.DEFAULT_FUNCTIONS_JAR, context.path("functionsJar").asText());
    assertTrue(context.path("@aws-cdk/aws-iam:minimizePolicies").asBoolean(), "feature flags");
  }

  @Test
  void aMissingFunctionsJarSaysHowToBuildIt() {
    App app =
        App.Builder.create()
            .context(Map.of(InnkeeperApp.FUNCTIONS_JAR, "target/does-not-exist.jar"))
            .build();
    var error = assertThrows(IllegalStateException.class, () -> InnkeeperApp.create(app));
    assertTrue(error.getMessage().contains("mvn -B -q package"), error.getMessage());
  }

  @Test
  void throttlingComesFromContextAsNumberOrString() {
    App app =
        App.Builder.create()
            .context(
                Map.of(
                    InnkeeperApp.FUNCTIONS_JAR,
                    Synth.placeholderJar().toString(),
                    InnkeeperApp.API_RATE_LIMIT,
                    "7.5",
                    InnkeeperApp.API_BURST_LIMIT,
                    9))
            .build();
    InnkeeperStackProps props = InnkeeperApp.propsFromContext(app.getNode());
    assertEquals(7.5, props.apiRateLimit());
    assertEquals(9, props.apiBurstLimit());
  }

  @Test
  void anotherTopologyGivesAnotherStackWithoutCodeChanges() {
    var pk = new TableSpec.KeyAttribute("id", TableSpec.AttributeType.S);
    var index =
        new TableSpec.IndexSpec(
            "byOwner", new TableSpec.KeyAttribute("owner", TableSpec.AttributeType.S), null);
    var topology =
        new Topology(
            List.of(
                new TableSpec(
                    "orders",
                    TableSpec.Role.QUERY,
                    pk,
                    null,
                    TableSpec.StreamView.NONE,
                    null,
                    List.of(index))),
            List.of(new QueueSpec("work", false, 60, 3600, null)),
            List.of(
                new FunctionSpec(
                    "worker",
                    "example.Worker",
                    512,
                    20,
                    Map.of("MODE", new FunctionSpec.EnvValue.Literal("fast")),
                    List.of(
                        new Trigger.SqsTrigger("work", 5, 3),
                        new Trigger.HttpRoute("GET", "/orders", false)),
                    List.of(
                        new FunctionSpec.Access.Table("orders", FunctionSpec.TableLevel.READ),
                        new FunctionSpec.Access.Queue("work", FunctionSpec.QueueLevel.CONSUME)))));
    Synth synth = Synth.of(topology, "other-topology");

    JsonNode table = synth.properties(synth.stack.tables().get("orders"));
    assertEquals("byOwner", table.path("GlobalSecondaryIndexes").get(0).path("IndexName").asText());
    // Reads cover the table's indexes too.
    boolean indexes =
        synth.statements(synth.stack.functions().get("worker")).stream()
            .anyMatch(s -> s.path("Resource").toString().contains("/index/*"));
    assertTrue(indexes, "read grant covers the indexes");
    assertEquals(
        "fast",
        synth
            .properties(synth.stack.functions().get("worker").function())
            .path("Environment")
            .path("Variables")
            .path("MODE")
            .asText());
    assertEquals(1, synth.resources("AWS::ApiGatewayV2::Route").size());
    assertEquals(1, synth.resources("AWS::Lambda::EventSourceMapping").size());
  }
}
