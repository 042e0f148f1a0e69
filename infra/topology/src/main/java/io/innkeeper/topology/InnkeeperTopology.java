package io.innkeeper.topology;

import io.innkeeper.topology.FunctionSpec.Access;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.FunctionSpec.QueueLevel;
import io.innkeeper.topology.FunctionSpec.TableLevel;
import io.innkeeper.topology.TableSpec.AttributeType;
import io.innkeeper.topology.TableSpec.KeyAttribute;
import io.innkeeper.topology.TableSpec.Role;
import io.innkeeper.topology.TableSpec.StreamView;
import io.innkeeper.topology.Trigger.HttpRoute;
import io.innkeeper.topology.Trigger.SqsTrigger;
import io.innkeeper.topology.Trigger.StreamTrigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Innkeeper's tables, queues and functions. */
final class InnkeeperTopology {

  static final String EVENTS = "events";
  static final String COMMANDS = "commands";
  static final String HOTELS = "hotels";
  static final String AVAILABILITY = "availability";
  static final String OCCUPANCY = "occupancy";
  static final String RESERVATIONS = "reservations";
  static final String WATERMARKS = "watermarks";

  /** The query tables, each a read model the projector writes and can rebuild. */
  static final List<String> QUERY_TABLES =
      List.of(HOTELS, AVAILABILITY, OCCUPANCY, RESERVATIONS, WATERMARKS);

  /** How long a query with a consistency token waits for the read model (API.md: 5 s). */
  static final int CONSISTENCY_WAIT_MILLIS = 5000;

  static final String COMMAND_QUEUE = "command-queue";
  static final String COMMAND_DLQ = "command-dlq";
  static final String PROJECTOR_PARKED = "projector-parked";

  /** Handler timeout of the command handler; the queue's visibility timeout is six times this. */
  static final int COMMAND_HANDLER_TIMEOUT_SECONDS = 30;

  /** Seconds before a failed command is delivered again, by failed delivery (1st, 2nd, ...). */
  static final String COMMAND_RETRY_DELAYS = "2,4,8,16";

  /** Deliveries of a command before it is dead-lettered and marked FAILED. */
  static final int COMMAND_MAX_RECEIVE_COUNT = 5;

  /** Only items of kind "event" reach the projector: heads and command markers stay out. */
  static final String EVENTS_ONLY_FILTER =
      "{\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[\"event\"]}}}}";

  /**
   * Every function's AWS SDK timeouts and retries (read by the functions' {@code SdkSettings}): an
   * attempt still running after 2 s has stalled (DynamoDB and SQS answer in milliseconds), and a
   * call gives up after 5 s, retries included, so it ends within half the shortest function
   * timeout. One set for all: the local runtime hosts every function in one JVM, which has one
   * environment.
   */
  static final int SDK_ATTEMPT_TIMEOUT_MILLIS = 2000;

  static final int SDK_CALL_TIMEOUT_MILLIS = 5000;
  static final int SDK_MAX_ATTEMPTS = 4;

  private static final String PACKAGE = "io.innkeeper.functions.";
  private static final int FOURTEEN_DAYS = 14 * 24 * 3600;
  private static final int FOUR_DAYS = 4 * 24 * 3600;

  private InnkeeperTopology() {}

  static Topology build() {
    return new Topology(tables(), queues(), withServiceName(functions()));
  }

  /**
   * Every function names its deployment in {@code SERVICE_NAME}: the dimension that keeps two
   * deployments' metrics apart in one account (MetricCatalog), and gets the SDK's timeouts.
   */
  private static List<FunctionSpec> withServiceName(List<FunctionSpec> functions) {
    return functions.stream()
        .map(
            f -> {
              Map<String, EnvValue> env = new LinkedHashMap<>(f.environment());
              env.put(MetricCatalog.SERVICE_NAME_ENV, new EnvValue.ServiceName());
              env.put(
                  "SDK_ATTEMPT_TIMEOUT_MS",
                  new EnvValue.Literal(Integer.toString(SDK_ATTEMPT_TIMEOUT_MILLIS)));
              env.put(
                  "SDK_CALL_TIMEOUT_MS",
                  new EnvValue.Literal(Integer.toString(SDK_CALL_TIMEOUT_MILLIS)));
              env.put("SDK_MAX_ATTEMPTS", new EnvValue.Literal(Integer.toString(SDK_MAX_ATTEMPTS)));
              return new FunctionSpec(
                  f.id(),
                  f.handler(),
                  f.memoryMb(),
                  f.timeoutSeconds(),
                  env,
                  f.triggers(),
                  f.access());
            })
        .toList();
  }

  private static List<TableSpec> tables() {
    var pkS = new KeyAttribute("pk", AttributeType.S);
    return List.of(
        new TableSpec(
            EVENTS,
            Role.RECORD,
            pkS,
            new KeyAttribute("sk", AttributeType.N),
            StreamView.NEW_IMAGE,
            null,
            List.of()),
        new TableSpec(
            COMMANDS, Role.COMMAND_STATUS, pkS, null, StreamView.NONE, "expiresAt", List.of()),
        queryTable(HOTELS),
        queryTable(AVAILABILITY),
        queryTable(OCCUPANCY),
        queryTable(RESERVATIONS),
        queryTable(WATERMARKS));
  }

  /**
   * Query tables are keyed by string pk and sk, read on the base table (no index) so reads bound to
   * a consistency token can be strongly consistent.
   */
  private static TableSpec queryTable(String id) {
    return new TableSpec(
        id,
        Role.QUERY,
        new KeyAttribute("pk", AttributeType.S),
        new KeyAttribute("sk", AttributeType.S),
        StreamView.NONE,
        null,
        List.of());
  }

  private static List<QueueSpec> queues() {
    return List.of(
        new QueueSpec(
            COMMAND_QUEUE,
            true,
            6 * COMMAND_HANDLER_TIMEOUT_SECONDS,
            FOUR_DAYS,
            new QueueSpec.DeadLetter(COMMAND_DLQ, COMMAND_MAX_RECEIVE_COUNT)),
        new QueueSpec(COMMAND_DLQ, true, 30, FOURTEEN_DAYS, null),
        new QueueSpec(PROJECTOR_PARKED, false, 30, FOURTEEN_DAYS, null));
  }

  private static List<FunctionSpec> functions() {
    return List.of(
        new FunctionSpec(
            "command-api",
            PACKAGE + "CommandApiHandler",
            1024,
            15,
            Map.of(
                "COMMANDS_TABLE", new EnvValue.TableName(COMMANDS),
                "COMMAND_QUEUE_URL", new EnvValue.QueueUrl(COMMAND_QUEUE),
                // The owner check on a cancel reads the reservations read model (DESIGN.md).
                "RESERVATIONS_TABLE", new EnvValue.TableName(RESERVATIONS)),
            List.of(
                new HttpRoute("POST", "/hotels", true),
                new HttpRoute("POST", "/hotels/{hotelId}/allotments", true),
                new HttpRoute("POST", "/reservations", true),
                new HttpRoute("POST", "/reservations/{reservationId}/cancel", true)),
            List.of(
                new Access.Table(COMMANDS, TableLevel.READ_WRITE),
                new Access.Table(RESERVATIONS, TableLevel.READ),
                new Access.Queue(COMMAND_QUEUE, QueueLevel.SEND))),
        new FunctionSpec(
            "command-handler",
            PACKAGE + "CommandHandler",
            1024,
            COMMAND_HANDLER_TIMEOUT_SECONDS,
            Map.of(
                "EVENTS_TABLE", new EnvValue.TableName(EVENTS),
                "COMMANDS_TABLE", new EnvValue.TableName(COMMANDS),
                // The handler marks a command FAILED on the delivery after which SQS dead-letters
                // it.
                "MAX_RECEIVE_COUNT",
                    new EnvValue.Literal(Integer.toString(COMMAND_MAX_RECEIVE_COUNT)),
                // A failed command comes back after these delays (one per failed delivery)
                // instead of the 180 s visibility timeout, so a poison command reaches the
                // dead-letter queue in about half a minute.
                "COMMAND_RETRY_DELAYS", new EnvValue.Literal(COMMAND_RETRY_DELAYS),
                "COMMAND_QUEUE_URL", new EnvValue.QueueUrl(COMMAND_QUEUE)),
            List.of(new SqsTrigger(COMMAND_QUEUE, 10, 2)),
            List.of(
                new Access.Table(EVENTS, TableLevel.READ_WRITE),
                new Access.Table(COMMANDS, TableLevel.READ_WRITE),
                new Access.Queue(COMMAND_QUEUE, QueueLevel.CONSUME))),
        new FunctionSpec(
            "projector",
            PACKAGE + "ProjectorHandler",
            1024,
            60,
            queryTableEnvironment(),
            List.of(
                new StreamTrigger(
                    EVENTS,
                    100,
                    "TRIM_HORIZON",
                    EVENTS_ONLY_FILTER,
                    5,
                    true,
                    86_400,
                    PROJECTOR_PARKED)),
            concat(
                queryTableAccess(TableLevel.READ_WRITE),
                List.of(new Access.Queue(PROJECTOR_PARKED, QueueLevel.SEND)))),
        new FunctionSpec(
            "query-api",
            PACKAGE + "QueryApiHandler",
            1024,
            10,
            queryApiEnvironment(),
            List.of(
                new HttpRoute("GET", "/hotels", false),
                new HttpRoute("GET", "/hotels/{hotelId}", false),
                new HttpRoute("GET", "/availability", false),
                new HttpRoute("GET", "/reservations/{reservationId}", true),
                new HttpRoute("GET", "/me/reservations", true),
                new HttpRoute("GET", "/hotels/{hotelId}/occupancy", true),
                new HttpRoute("GET", "/commands/{commandId}", true)),
            concat(
                queryTableAccess(TableLevel.READ),
                List.of(new Access.Table(COMMANDS, TableLevel.READ)))));
  }

  /** {@code HOTELS_TABLE}, {@code AVAILABILITY_TABLE}, ...: every query table by name. */
  private static Map<String, EnvValue> queryTableEnvironment() {
    Map<String, EnvValue> env = new LinkedHashMap<>();
    for (String id : QUERY_TABLES) {
      env.put(id.toUpperCase(Locale.ROOT) + "_TABLE", new EnvValue.TableName(id));
    }
    return env;
  }

  private static Map<String, EnvValue> queryApiEnvironment() {
    Map<String, EnvValue> env = queryTableEnvironment();
    env.put("COMMANDS_TABLE", new EnvValue.TableName(COMMANDS));
    env.put("CONSISTENCY_WAIT_MS", new EnvValue.Literal(Integer.toString(CONSISTENCY_WAIT_MILLIS)));
    env.put("CURSOR_KEY", new EnvValue.DeploymentKey("cursor"));
    return env;
  }

  private static List<Access> queryTableAccess(TableLevel level) {
    return QUERY_TABLES.stream().map(id -> (Access) new Access.Table(id, level)).toList();
  }

  private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
