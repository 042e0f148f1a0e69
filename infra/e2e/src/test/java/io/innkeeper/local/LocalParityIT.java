package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.innkeeper.topology.DeploymentSummary;
import io.innkeeper.topology.Topology;
import org.junit.jupiter.api.Test;

/**
 * The local runtime runs what the topology describes: the handler classes its host loaded, its
 * pollers' triggers, its gateway's routes, and the tables and queues as the emulators describe them
 * equal the topology's {@link DeploymentSummary}. The CDK's {@code ParityTest} holds the
 * synthesized template to the same summary, so local and AWS agree.
 */
class LocalParityIT {

  @Test
  void the_running_runtime_equals_the_topologys_deployment_summary() {
    LocalRuntime runtime = SharedRuntime.get();

    assertEquals(DeploymentSummary.of(Topology.innkeeper()), runtime.deploymentSummary());
  }

  @Test
  void every_route_asks_for_a_token_exactly_when_the_topology_says() {
    LocalRuntime runtime = SharedRuntime.get();
    Api api = new Api(runtime.apiUrl());
    for (Topology.RouteBinding b : Topology.innkeeper().routes()) {
      String path = b.route().path().replaceAll("\\{[A-Za-z]+}", "parity-x");
      Api.Answer a =
          b.route().method().equals("GET")
              ? api.get(path, null)
              : api.post(path, null, "application/json", "{}");
      if (b.route().authenticated()) {
        assertEquals(401, a.status(), b.route().routeKey() + " without a token");
      } else {
        assertNotEquals(401, a.status(), b.route().routeKey() + " is public");
        assertFalse(a.body().contains("No such route"), b.route().routeKey() + " is served");
      }
    }
    assertEquals(404, api.get("/not-a-route", null).status());
  }
}
