package io.innkeeper.topology;

import io.innkeeper.core.domain.CommandEndpoint;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.DomainRoutes;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.QueryEndpoint;
import io.innkeeper.core.domain.Route;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.projection.Projection;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Innkeeper's tables, queues and functions: the generic machinery (the events and commands tables,
 * the projector's watermarks, the command queue with its dead-letter queue, the projector's parked
 * queue, the four functions) plus what the domain declares (its query tables, its routes, the
 * tables its command routes read).
 */
final class InnkeeperTopology {

  static final String EVENTS = "events";
  static final String COMMANDS = "commands";
  static final String WATERMARKS = "watermarks";

  /** The core's own tables: a domain's query tables must be named otherwise. */
  static final Set<String> CORE_TABLES = Set.of(EVENTS, COMMANDS, WATERMARKS);

  /** What a table id and a domain name may look like: they become physical and variable names. */
  static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  /** How long a query with a consistency token waits for the read model (docs/api.md: 5 s). */
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

  private final Domain domain;

  /** The query tables, each a read model the projector writes and can rebuild. */
  private final List<String> queryTables;

  private InnkeeperTopology(Domain domain) {
    this.domain = domain;
    List<String> ids = new ArrayList<>(domain.queryTables());
    ids.add(WATERMARKS);
    this.queryTables = List.copyOf(ids);
  }

  static Topology build(Domain domain) {
    check(domain);
    var t = new InnkeeperTopology(domain);
    List<String> projections =
        domain.projections(Tables.byId(domain.queryTables())).stream()
            .map(Projection::name)
            .toList();
    return new Topology(t.tables(), queues(), t.withCommonEnvironment(t.functions()), projections);
  }

  /**
   * Refuses a domain the platform could not deploy, naming what is wrong: an unusable name or table
   * id, a table id the core uses itself, a route declared twice or the core's own.
   */
  private static void check(Domain domain) {
    List<String> problems = new ArrayList<>();
    if (domain.name() == null || !ID.matcher(domain.name()).matches()) {
      problems.add("domain name '" + domain.name() + "' must match " + ID.pattern());
    }
    Set<String> tables = new HashSet<>();
    for (String id : domain.queryTables()) {
      if (!ID.matcher(id).matches()) {
        problems.add("query table id '" + id + "' must match " + ID.pattern());
      } else if (CORE_TABLES.contains(id)) {
        problems.add("query table id '" + id + "' is the core's own");
      } else if (!tables.add(id)) {
        problems.add("query table " + id + " is declared twice");
      }
    }
    Set<String> routes = new HashSet<>(Set.of(DomainRoutes.COMMAND_STATUS));
    List<Route> declared = new ArrayList<>();
    domain.commandEndpoints().forEach(e -> declared.add(e.route()));
    domain.queryEndpoints().forEach(e -> declared.add(e.route()));
    for (Route r : declared) {
      if (!routes.add(r.routeKey())) {
        problems.add(
            r.routeKey().equals(DomainRoutes.COMMAND_STATUS)
                ? r.routeKey() + " is the core's own"
                : r.routeKey() + " is declared twice");
      }
    }
    for (CommandEndpoint e : domain.commandEndpoints()) {
      for (String read : e.reads()) {
        if (!tables.contains(read)) {
          problems.add(e.route().routeKey() + " reads " + read + ", which is no query table");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "domain " + domain.name() + " cannot be deployed: " + String.join("; ", problems));
    }
  }

  /**
   * Every function names its deployment in {@code SERVICE_NAME}, the dimension that keeps two
   * deployments' metrics apart in one account (MetricCatalog), and its domain in {@code
   * INNKEEPER_DOMAIN}, so it runs that one whatever else is on its classpath; and every function
   * gets the SDK's timeouts.
   */
  private List<FunctionSpec> withCommonEnvironment(List<FunctionSpec> functions) {
    return functions.stream()
        .map(
            f -> {
              Map<String, EnvValue> env = new LinkedHashMap<>(f.environment());
              env.put(MetricCatalog.SERVICE_NAME_ENV, new EnvValue.ServiceName());
              env.put(Domains.SETTING, new EnvValue.Literal(domain.name()));
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

  private List<TableSpec> tables() {
    var pkS = new KeyAttribute("pk", AttributeType.S);
    List<TableSpec> tables = new ArrayList<>();
    tables.add(
        new TableSpec(
            EVENTS,
            Role.RECORD,
            pkS,
            new KeyAttribute("sk", AttributeType.N),
            StreamView.NEW_IMAGE,
            null,
            List.of()));
    tables.add(
        new TableSpec(
            COMMANDS, Role.COMMAND_STATUS, pkS, null, StreamView.NONE, "expiresAt", List.of()));
    queryTables.forEach(id -> tables.add(queryTable(id)));
    return tables;
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

  private List<FunctionSpec> functions() {
    return List.of(
        new FunctionSpec(
            "command-api",
            PACKAGE + "CommandApiHandler",
            1024,
            15,
            commandApiEnvironment(),
            domain.commandEndpoints().stream().<Trigger>map(e -> httpRoute(e.route())).toList(),
            commandApiAccess()),
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
            queryApiRoutes(),
            concat(
                queryTableAccess(TableLevel.READ),
                List.of(new Access.Table(COMMANDS, TableLevel.READ)))));
  }

  /**
   * The command status and the queue, and the query tables the domain's command routes read (e.g.
   * the reservations, for the owner check on a cancel: docs/architecture.md), read-only.
   */
  private Map<String, EnvValue> commandApiEnvironment() {
    Map<String, EnvValue> env = new LinkedHashMap<>();
    env.put("COMMANDS_TABLE", new EnvValue.TableName(COMMANDS));
    env.put("COMMAND_QUEUE_URL", new EnvValue.QueueUrl(COMMAND_QUEUE));
    commandApiReads()
        .forEach(id -> env.put(Tables.environmentVariable(id), new EnvValue.TableName(id)));
    return env;
  }

  private List<Access> commandApiAccess() {
    List<Access> access = new ArrayList<>();
    access.add(new Access.Table(COMMANDS, TableLevel.READ_WRITE));
    commandApiReads().forEach(id -> access.add(new Access.Table(id, TableLevel.READ)));
    access.add(new Access.Queue(COMMAND_QUEUE, QueueLevel.SEND));
    return access;
  }

  private Set<String> commandApiReads() {
    Set<String> reads = new TreeSet<>();
    domain.commandEndpoints().forEach(e -> reads.addAll(e.reads()));
    return reads;
  }

  /** The domain's queries, then the core's command status. */
  private List<Trigger> queryApiRoutes() {
    List<Trigger> routes = new ArrayList<>();
    for (QueryEndpoint e : domain.queryEndpoints()) {
      routes.add(httpRoute(e.route()));
    }
    String[] status = DomainRoutes.COMMAND_STATUS.split(" ", 2);
    routes.add(new HttpRoute(status[0], status[1], true));
    return routes;
  }

  private static HttpRoute httpRoute(Route route) {
    return new HttpRoute(route.method(), route.path(), route.authenticated());
  }

  /** {@code <ID>_TABLE} for every query table, the watermarks included. */
  private Map<String, EnvValue> queryTableEnvironment() {
    Map<String, EnvValue> env = new LinkedHashMap<>();
    for (String id : queryTables) {
      env.put(Tables.environmentVariable(id), new EnvValue.TableName(id));
    }
    return env;
  }

  private Map<String, EnvValue> queryApiEnvironment() {
    Map<String, EnvValue> env = queryTableEnvironment();
    env.put("COMMANDS_TABLE", new EnvValue.TableName(COMMANDS));
    env.put("CONSISTENCY_WAIT_MS", new EnvValue.Literal(Integer.toString(CONSISTENCY_WAIT_MILLIS)));
    env.put("CURSOR_KEY", new EnvValue.DeploymentKey("cursor"));
    return env;
  }

  private List<Access> queryTableAccess(TableLevel level) {
    return queryTables.stream().map(id -> (Access) new Access.Table(id, level)).toList();
  }

  private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
