package io.innkeeper.topology;

import java.util.List;
import java.util.Optional;

/**
 * The one description of Innkeeper's deployable shape: tables, queues, functions and their
 * triggers. {@code infra/local} starts exactly this in one JVM and {@code infra/cdk} synthesizes
 * exactly this for AWS, so the two cannot drift.
 *
 * <p>Resources are named by logical id only. Physical names are chosen by the platform
 * (CloudFormation on AWS, the local runtime locally) and reach functions through their environment.
 */
public record Topology(
    List<TableSpec> tables, List<QueueSpec> queues, List<FunctionSpec> functions) {

  /**
   * How long a query bound to a consistency token waits for the read model to catch up (API.md: 5
   * s); a projection lagging longer turns such queries into timeouts.
   */
  public static final int CONSISTENCY_WAIT_MILLIS = InnkeeperTopology.CONSISTENCY_WAIT_MILLIS;

  public Topology {
    tables = List.copyOf(tables);
    queues = List.copyOf(queues);
    functions = List.copyOf(functions);
  }

  /** Innkeeper's topology. */
  public static Topology innkeeper() {
    return InnkeeperTopology.build();
  }

  public TableSpec table(String id) {
    return findTable(id).orElseThrow(() -> new IllegalArgumentException("no table " + id));
  }

  public Optional<TableSpec> findTable(String id) {
    return tables.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  public QueueSpec queue(String id) {
    return queues.stream()
        .filter(q -> q.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no queue " + id));
  }

  public FunctionSpec function(String id) {
    return functions.stream()
        .filter(f -> f.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no function " + id));
  }

  /** Every HTTP route with the function that serves it, in declaration order. */
  public List<RouteBinding> routes() {
    return functions.stream()
        .flatMap(
            f ->
                f.triggers().stream()
                    .filter(Trigger.HttpRoute.class::isInstance)
                    .map(t -> new RouteBinding((Trigger.HttpRoute) t, f)))
        .toList();
  }

  /** An HTTP route bound to the function that serves it. */
  public record RouteBinding(Trigger.HttpRoute route, FunctionSpec function) {}
}
