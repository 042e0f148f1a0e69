package io.innkeeper.topology;

import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.obs.MetricCatalog;
import java.util.List;
import java.util.Optional;

/**
 * The one description of Innkeeper's deployable shape: tables, queues, functions and their
 * triggers, for one {@link Domain}. {@code infra/local} starts exactly this in one JVM and {@code
 * infra/cdk} synthesizes exactly this for AWS, so the two cannot drift.
 *
 * <p>Resources are named by logical id only. Physical names are chosen by the platform
 * (CloudFormation on AWS, the local runtime locally) and reach functions through their environment.
 */
public record Topology(
    List<TableSpec> tables,
    List<QueueSpec> queues,
    List<FunctionSpec> functions,
    List<String> projections,
    List<TopicSpec> topics,
    List<SubscriptionSpec> subscriptions) {

  /**
   * How long a query bound to a consistency token waits for the read model to catch up
   * (docs/api.md: 5 s); a projection lagging longer turns such queries into timeouts.
   */
  public static final int CONSISTENCY_WAIT_MILLIS = InnkeeperTopology.CONSISTENCY_WAIT_MILLIS;

  /**
   * @param projections the names of the projector's projections: the values of the {@link
   *     MetricCatalog#PROJECTION_LAG} metric's {@code Projection} dimension, one line each on the
   *     dashboard
   * @param topics the SNS topics (the event bus)
   * @param subscriptions the topology's queues subscribed to its topics
   */
  public Topology {
    tables = List.copyOf(tables);
    queues = List.copyOf(queues);
    functions = List.copyOf(functions);
    projections = List.copyOf(projections);
    topics = List.copyOf(topics);
    subscriptions = List.copyOf(subscriptions);
  }

  /** A topology without a topic (a test's). */
  public Topology(
      List<TableSpec> tables,
      List<QueueSpec> queues,
      List<FunctionSpec> functions,
      List<String> projections) {
    this(tables, queues, functions, projections, List.of(), List.of());
  }

  /** A topology without projections or topics (a test's). */
  public Topology(List<TableSpec> tables, List<QueueSpec> queues, List<FunctionSpec> functions) {
    this(tables, queues, functions, List.of());
  }

  /** The event bus's topic id. */
  public static final String EVENT_BUS = InnkeeperTopology.EVENT_BUS;

  public TopicSpec topic(String id) {
    return topics.stream()
        .filter(t -> t.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no topic " + id));
  }

  /**
   * The topology of {@code domain}: the generic machinery plus the domain's query tables and
   * routes.
   *
   * @throws IllegalArgumentException when the domain declares what cannot be deployed (a table id
   *     the core uses, a route twice, ...), naming each problem
   */
  public static Topology of(Domain domain) {
    return InnkeeperTopology.build(domain);
  }

  /** The topology of the domain on the classpath ({@link Domains#load()}). */
  public static Topology innkeeper() {
    return of(Domains.load());
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

  /**
   * What a queue is for, read from the topology: {@code "dead letters of Q"}, {@code "feeds F"},
   * {@code "records F parked"} (a stream trigger's on-failure destination) or {@code "other"}. The
   * local runtime's status and console show it.
   */
  public String queueRole(String queueId) {
    for (QueueSpec q : queues) {
      if (q.deadLetter() != null && q.deadLetter().queueId().equals(queueId)) {
        return "dead letters of " + q.id();
      }
    }
    for (FunctionSpec f : functions) {
      for (Trigger t : f.triggers()) {
        if (t instanceof Trigger.SqsTrigger s && s.queueId().equals(queueId)) {
          return "feeds " + f.id();
        }
        if (t instanceof Trigger.StreamTrigger s && queueId.equals(s.onFailureQueueId())) {
          return "records " + f.id() + " parked";
        }
      }
    }
    return "other";
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
