package io.innkeeper.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.topology.FunctionSpec.Access;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.FunctionSpec.QueueLevel;
import io.innkeeper.topology.FunctionSpec.TableLevel;
import io.innkeeper.topology.Trigger.HttpRoute;
import io.innkeeper.topology.Trigger.SqsTrigger;
import io.innkeeper.topology.Trigger.StreamTrigger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rules both renderings (local and CDK) rely on, checked once on the description itself. */
class TopologyTest {
  private final Topology t = Topology.innkeeper();

  @Test
  void a_queue_role_names_its_reader_or_whose_failures_it_holds() {
    assertEquals("feeds command-handler", t.queueRole("command-queue"));
    assertEquals("dead letters of command-queue", t.queueRole("command-dlq"));
    assertEquals("records projector parked", t.queueRole("projector-parked"));
    assertEquals("other", t.queueRole("no-such-queue"));
  }

  @Test
  void ids_and_route_keys_are_unique() {
    List<String> ids =
        Stream.of(
                t.tables().stream().map(TableSpec::id),
                t.queues().stream().map(QueueSpec::id),
                t.functions().stream().map(FunctionSpec::id))
            .flatMap(s -> s)
            .toList();
    assertEquals(ids.size(), new HashSet<>(ids).size(), ids.toString());
    List<String> routeKeys = t.routes().stream().map(r -> r.route().routeKey()).toList();
    assertEquals(routeKeys.size(), new HashSet<>(routeKeys).size());
  }

  @Test
  void every_reference_resolves_and_every_referenced_resource_is_granted() {
    for (FunctionSpec f : t.functions()) {
      for (EnvValue v : f.environment().values()) {
        if (v instanceof EnvValue.TableName n) {
          assertNotNull(t.table(n.tableId()));
          assertTrue(
              tableAccess(f, n.tableId()) != null,
              f.id() + " names " + n.tableId() + " without access");
        } else if (v instanceof EnvValue.QueueUrl q) {
          assertNotNull(t.queue(q.queueId()));
          assertNotNull(
              queueAccess(f, q.queueId()),
              f.id() + " names queue " + q.queueId() + " without access");
        }
      }
      for (Access a : f.access()) {
        if (a instanceof Access.Table ta) {
          assertNotNull(t.table(ta.tableId()));
        } else if (a instanceof Access.Queue qa) {
          assertNotNull(t.queue(qa.queueId()));
        }
      }
    }
  }

  @Test
  void sqs_consumers_fit_their_fifo_queue() {
    for (FunctionSpec f : t.functions()) {
      for (Trigger tr : f.triggers()) {
        if (tr instanceof SqsTrigger s) {
          QueueSpec q = t.queue(s.queueId());
          assertEquals(QueueLevel.CONSUME, queueAccess(f, q.id()));
          assertTrue(
              q.visibilityTimeoutSeconds() >= 6 * f.timeoutSeconds(),
              "AWS advises a visibility timeout of six times the function timeout");
          if (q.fifo()) {
            assertTrue(s.batchSize() <= 10, "FIFO batches hold at most 10 messages");
            assertNotNull(q.deadLetter());
            assertTrue(t.queue(q.deadLetter().queueId()).fifo(), "a FIFO queue needs a FIFO DLQ");
            assertEquals(
                new EnvValue.Literal(Integer.toString(q.deadLetter().maxReceiveCount())),
                f.environment().get("MAX_RECEIVE_COUNT"),
                "the handler must know which delivery is the last");
          }
          assertTrue(s.maxConcurrency() >= 2, "Lambda's minimum maximum concurrency is 2");
        }
      }
    }
  }

  @Test
  void stream_consumers_read_a_streamed_table_and_park_on_a_standard_queue() {
    int streamReaders = 0;
    for (FunctionSpec f : t.functions()) {
      for (Trigger tr : f.triggers()) {
        if (tr instanceof StreamTrigger s) {
          streamReaders++;
          assertFalse(t.table(s.tableId()).stream() == TableSpec.StreamView.NONE);
          assertFalse(
              t.queue(s.onFailureQueueId()).fifo(),
              "Lambda's on-failure destination must be standard");
          assertEquals(QueueLevel.SEND, queueAccess(f, s.onFailureQueueId()));
          assertTrue(s.bisectBatchOnError());
          assertTrue(s.filterPattern().contains("\"kind\""));
        }
      }
    }
    assertEquals(
        2,
        streamReaders,
        "DynamoDB Streams allows two readers per shard: the projector and the publisher");
  }

  @Test
  void only_the_command_handler_writes_the_record_and_query_functions_only_read() {
    for (FunctionSpec f : t.functions()) {
      for (Access a : f.access()) {
        if (a instanceof Access.Table ta && ta.level() != TableLevel.READ) {
          TableSpec.Role role = t.table(ta.tableId()).role();
          if (role == TableSpec.Role.RECORD) {
            assertEquals("command-handler", f.id());
          }
          if (role == TableSpec.Role.QUERY) {
            assertEquals("projector", f.id());
          }
          if (role == TableSpec.Role.SUBSCRIBER) {
            assertEquals("guest-messages", f.id(), "only the service's own consumer writes it");
          }
        }
      }
    }
    for (Access a : t.function("query-api").access()) {
      assertTrue(a instanceof Access.Table ta && ta.level() == TableLevel.READ, a.toString());
      assertFalse(((Access.Table) a).tableId().equals("events"));
    }
  }

  @Test
  void public_routes_are_exactly_those_api_md_names() {
    Set<String> publicRoutes = Set.of("GET /hotels", "GET /hotels/{hotelId}", "GET /availability");
    for (Topology.RouteBinding r : t.routes()) {
      HttpRoute route = r.route();
      assertEquals(
          !publicRoutes.contains(route.routeKey()), route.authenticated(), route.routeKey());
    }
  }

  @Test
  void handlers_live_in_the_functions_package_and_only_api_functions_serve_routes() {
    for (FunctionSpec f : t.functions()) {
      assertTrue(f.handler().startsWith("io.innkeeper.functions."), f.handler());
      boolean servesRoutes = f.triggers().stream().anyMatch(HttpRoute.class::isInstance);
      assertEquals(f.id().endsWith("-api"), servesRoutes, f.id());
    }
  }

  @Test
  void every_function_names_its_deployment_for_the_metrics_service_dimension() {
    for (FunctionSpec f : t.functions()) {
      assertEquals(
          new EnvValue.ServiceName(),
          f.environment().get(MetricCatalog.SERVICE_NAME_ENV),
          f.id() + " publishes metrics under the deployment's Service dimension");
    }
  }

  @Test
  void the_consistency_wait_the_query_api_gets_is_the_one_alarms_compare_against() {
    assertEquals(
        new EnvValue.Literal(Integer.toString(Topology.CONSISTENCY_WAIT_MILLIS)),
        t.function("query-api").environment().get("CONSISTENCY_WAIT_MS"));
  }

  @Test
  void every_sdk_call_gives_up_within_half_the_function_timeout() {
    for (FunctionSpec f : t.functions()) {
      int attempt = literal(f, "SDK_ATTEMPT_TIMEOUT_MS");
      int call = literal(f, "SDK_CALL_TIMEOUT_MS");
      int attempts = literal(f, "SDK_MAX_ATTEMPTS");
      assertTrue(attempt > 0 && attempt < call, f.id() + ": an attempt is shorter than a call");
      assertTrue(attempts >= 2, f.id() + ": a stalled attempt is retried at least once");
      assertTrue(
          call * 2 <= f.timeoutSeconds() * 1000,
          f.id() + ": a " + call + " ms call fits twice in a " + f.timeoutSeconds() + " s timeout");
    }
  }

  private static int literal(FunctionSpec f, String name) {
    EnvValue value = f.environment().get(name);
    assertTrue(value instanceof EnvValue.Literal, f.id() + " sets " + name);
    return Integer.parseInt(((EnvValue.Literal) value).value());
  }

  private static TableLevel tableAccess(FunctionSpec f, String tableId) {
    return f.access().stream()
        .filter(a -> a instanceof Access.Table ta && ta.tableId().equals(tableId))
        .map(a -> ((Access.Table) a).level())
        .findFirst()
        .orElse(null);
  }

  private static QueueLevel queueAccess(FunctionSpec f, String queueId) {
    return f.access().stream()
        .filter(a -> a instanceof Access.Queue qa && qa.queueId().equals(queueId))
        .map(a -> ((Access.Queue) a).level())
        .findFirst()
        .orElse(null);
  }

  @Test
  void the_publisher_may_only_publish_to_its_topic_and_park_on_its_own_queue() {
    FunctionSpec publisher = t.function("publisher");
    assertEquals(
        List.of(
            new Access.Topic(Topology.EVENT_BUS),
            new Access.Queue("publisher-parked", QueueLevel.SEND)),
        publisher.access());
    assertEquals(
        new EnvValue.TopicArn(Topology.EVENT_BUS), publisher.environment().get("EVENT_TOPIC_ARN"));
    StreamTrigger stream = (StreamTrigger) publisher.triggers().get(0);
    StreamTrigger projector = (StreamTrigger) t.function("projector").triggers().get(0);
    assertEquals(
        projector.filterPattern(), stream.filterPattern(), "the same events as the projector");
    assertEquals("publisher-parked", stream.onFailureQueueId());
    for (FunctionSpec f : t.functions()) {
      boolean publishes = f.access().stream().anyMatch(Access.Topic.class::isInstance);
      assertEquals(f.id().equals("publisher"), publishes, f.id());
    }
  }

  @Test
  void the_bus_is_one_fifo_topic_and_each_subscriber_queue_is_fifo_raw_and_filtered() {
    assertEquals(List.of(new TopicSpec(Topology.EVENT_BUS, true, false)), t.topics());
    assertEquals(1, t.subscriptions().size());
    SubscriptionSpec s = t.subscriptions().get(0);
    assertEquals("guest-messages-queue", s.queueId());
    assertTrue(s.rawMessageDelivery());
    assertEquals(
        "{\"type\":[\"io.innkeeper.hotel.reservation.placed.v1\","
            + "\"io.innkeeper.hotel.reservation.cancelled.v1\"]}",
        s.filterPolicy());
    QueueSpec queue = t.queue(s.queueId());
    assertTrue(queue.fifo(), "a FIFO topic keeps its order only into FIFO queues");
    assertEquals("guest-messages-dlq", queue.deadLetter().queueId());
  }

  @Test
  void the_subscriber_service_only_reads_its_queue_and_writes_its_table() {
    assertEquals(
        List.of(
            new Access.Queue("guest-messages-queue", QueueLevel.CONSUME),
            new Access.Table("guest-feed", TableLevel.READ_WRITE)),
        t.function("guest-messages").access());
    assertEquals(
        List.of(new Access.Table("guest-feed", TableLevel.READ)),
        t.function("guest-messages-api").access());
    assertEquals(TableSpec.Role.SUBSCRIBER, t.table("guest-feed").role());
    for (FunctionSpec f : t.functions()) {
      if (!f.id().startsWith("guest-messages")) {
        for (Access a : f.access()) {
          assertFalse(
              a instanceof Access.Table ta && ta.tableId().equals("guest-feed"),
              f.id() + " must not touch the service's table");
        }
      }
    }
    assertEquals("guest-messages-api", route("GET /me/messages").function().id());
  }

  private Topology.RouteBinding route(String key) {
    return t.routes().stream()
        .filter(r -> r.route().routeKey().equals(key))
        .findFirst()
        .orElseThrow();
  }

  /** The dashboard draws ProjectionLag once per name the topology gives (infra/cdk). */
  @Test
  void projection_lag_is_broken_down_by_the_projections_the_dashboard_draws() {
    HotelDomain domain = new HotelDomain();
    List<String> names =
        domain.projections(Tables.byId(domain.queryTables())).stream()
            .map(Projection::name)
            .toList();
    assertTrue(names.containsAll(List.of("hotels", "availability", "occupancy", "reservations")));
    assertEquals(names, Topology.of(domain).projections());
  }
}
