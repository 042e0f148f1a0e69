package io.innkeeper.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaEnvironmentTest {

  @Test
  void everyFunctionOfTheRealTopologyPublishesMetricsAsTheLocalService() {
    Map<String, String> env =
        LambdaEnvironment.resolve(
            Topology.innkeeper(),
            table -> "local-" + table,
            queue -> "http://q/" + queue,
            topic -> "arn:local:" + topic);
    assertEquals(MetricCatalog.LOCAL_SERVICE_NAME, env.get(MetricCatalog.SERVICE_NAME_ENV));
    assertEquals("local-events", env.get("EVENTS_TABLE"));
    assertEquals("http://q/command-queue", env.get("COMMAND_QUEUE_URL"));
    assertEquals("arn:local:event-bus", env.get("EVENT_TOPIC_ARN"));
  }

  @Test
  void aTopicTheRuntimeDidNotProvisionIsRefusedByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LambdaEnvironment.resolve(Topology.innkeeper(), t -> t, q -> q));
    assertEquals("no topic event-bus was provisioned", e.getMessage());
  }

  @Test
  void twoFunctionsDisagreeingOnOneVariableCannotShareTheJvm() {
    Topology clash =
        new Topology(
            List.of(),
            List.of(),
            List.of(
                function("a", Map.of("MODE", new EnvValue.Literal("fast"))),
                function("b", Map.of("MODE", new EnvValue.Literal("slow")))));
    assertThrows(
        IllegalArgumentException.class, () -> LambdaEnvironment.resolve(clash, t -> t, q -> q));
  }

  private static FunctionSpec function(String id, Map<String, EnvValue> env) {
    return new FunctionSpec(id, "x.Handler", 128, 3, env, List.of(), List.of());
  }
}
