package io.innkeeper.topology;

import io.innkeeper.core.domain.CommandEndpoint;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.DomainRoutes;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.QueryEndpoint;
import io.innkeeper.core.domain.Route;
import io.innkeeper.core.domain.SubscriberService;
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

  /** The event bus: the SNS FIFO topic the publisher publishes every integration event to. */
  static final String EVENT_BUS = "event-bus";

  static final String PUBLISHER_PARKED = "publisher-parked";

  /** The publisher's timeout. */
  static final int BUS_FUNCTION_TIMEOUT_SECONDS = 30;

  /**
   * A subscriber consumer's timeout: short, since its queue's visibility timeout is six times it
   * (Lambda's advice) and a batch the function failed on comes back only after that, so a service
   * that recovers catches up within 90 s; long enough to leave a batch of ten some seconds beyond
   * the reserve the runtime keeps for its last calls (two SDK call timeouts, 10 s).
   */
  static final int SUBSCRIBER_TIMEOUT_SECONDS = 15;

  /** Deliveries of an event to a subscriber service before it is dead-lettered. */
  static final int SUBSCRIBER_MAX_RECEIVE_COUNT = 5;

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
    return new Topology(
        t.tables(),
        t.queues(),
        t.withCommonEnvironment(t.functions()),
        projections,
        List.of(new TopicSpec(EVENT_BUS, true, false)),
        t.subscriptions());
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
    checkSubscribers(domain, tables, routes, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "domain " + domain.name() + " cannot be deployed: " + String.join("; ", problems));
    }
  }

  /** Ids the core uses for its own functions and queues: no subscriber service may take them. */
  private static final Set<String> CORE_IDS =
      Set.of(
          "command-api",
          "command-handler",
          "projector",
          "query-api",
          "publisher",
          COMMAND_QUEUE,
          COMMAND_DLQ,
          PROJECTOR_PARKED,
          PUBLISHER_PARKED);

  private static void checkSubscribers(
      Domain domain, Set<String> tables, Set<String> routes, List<String> problems) {
    List<SubscriberService> services = domain.subscribers();
    if (services.size() > 1) {
      // The local runtime hosts every function in one JVM, whose one environment can name one
      // SUBSCRIBER_SERVICE; a second service needs its own variable first.
      problems.add("at most one subscriber service per domain, not " + services.size());
    }
    var published = domain.publishedLanguage().types().currentVersions().keySet();
    for (SubscriberService s : services) {
      if (!ID.matcher(s.id()).matches() || CORE_IDS.contains(s.id())) {
        problems.add(
            "subscriber service id '"
                + s.id()
                + "' must match "
                + ID.pattern()
                + " and not be the core's");
      }
      for (String type : s.types()) {
        if (!published.contains(type)) {
          problems.add(
              "subscriber service "
                  + s.id()
                  + " follows "
                  + type
                  + ", which the domain does not publish");
        }
      }
      for (String table : s.tables()) {
        if (!ID.matcher(table).matches() || CORE_TABLES.contains(table) || !tables.add(table)) {
          problems.add(
              "subscriber service "
                  + s.id()
                  + "'s table "
                  + table
                  + " must be a fresh table id matching "
                  + ID.pattern());
        }
      }
      for (QueryEndpoint e : s.queries()) {
        if (!routes.add(e.route().routeKey())) {
          problems.add(e.route().routeKey() + " is declared twice");
        }
      }
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
    for (SubscriberService service : domain.subscribers()) {
      for (String id : service.tables()) {
        tables.add(
            new TableSpec(
                id,
                Role.SUBSCRIBER,
                new KeyAttribute("pk", AttributeType.S),
                new KeyAttribute("sk", AttributeType.S),
                StreamView.NONE,
                null,
                List.of()));
      }
    }
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

  private List<QueueSpec> queues() {
    List<QueueSpec> queues = new ArrayList<>();
    queues.add(
        new QueueSpec(
            COMMAND_QUEUE,
            true,
            6 * COMMAND_HANDLER_TIMEOUT_SECONDS,
            FOUR_DAYS,
            new QueueSpec.DeadLetter(COMMAND_DLQ, COMMAND_MAX_RECEIVE_COUNT)));
    queues.add(new QueueSpec(COMMAND_DLQ, true, 30, FOURTEEN_DAYS, null));
    queues.add(new QueueSpec(PROJECTOR_PARKED, false, 30, FOURTEEN_DAYS, null));
    queues.add(new QueueSpec(PUBLISHER_PARKED, false, 30, FOURTEEN_DAYS, null));
    for (SubscriberService service : domain.subscribers()) {
      // The service's own queue on the bus, and its own dead letters: a failing service holds
      // only these.
      queues.add(
          new QueueSpec(
              service.queue(),
              true,
              6 * SUBSCRIBER_TIMEOUT_SECONDS,
              FOUR_DAYS,
              new QueueSpec.DeadLetter(service.deadLetterQueue(), SUBSCRIBER_MAX_RECEIVE_COUNT)));
      queues.add(new QueueSpec(service.deadLetterQueue(), true, 30, FOURTEEN_DAYS, null));
    }
    return queues;
  }

  /**
   * Each subscriber service's queue on the bus: raw delivery (the CloudEvent as published) and a
   * filter policy on the {@code type} message attribute, so it receives what it follows only.
   */
  private List<SubscriptionSpec> subscriptions() {
    List<SubscriptionSpec> subscriptions = new ArrayList<>();
    for (SubscriberService service : domain.subscribers()) {
      subscriptions.add(
          new SubscriptionSpec(EVENT_BUS, service.queue(), true, filterPolicy(service.types())));
    }
    return subscriptions;
  }

  /** {@code {"type":["a","b"]}}: an exact match on any of the types. */
  static String filterPolicy(List<String> types) {
    return io.innkeeper.events.Json.write(java.util.Map.of("type", List.copyOf(types)));
  }

  private List<FunctionSpec> functions() {
    List<FunctionSpec> functions = new ArrayList<>(coreFunctions());
    functions.add(publisher());
    domain.subscribers().forEach(s -> functions.addAll(subscriberFunctions(s)));
    return functions;
  }

  /**
   * The events stream's second reader (the projector is the first): the same filter, its own
   * on-failure queue, the same bounded retries and bisection.
   */
  private static FunctionSpec publisher() {
    return new FunctionSpec(
        "publisher",
        PACKAGE + "PublisherHandler",
        1024,
        BUS_FUNCTION_TIMEOUT_SECONDS,
        Map.of("EVENT_TOPIC_ARN", new EnvValue.TopicArn(EVENT_BUS)),
        List.of(
            new StreamTrigger(
                EVENTS,
                100,
                "TRIM_HORIZON",
                EVENTS_ONLY_FILTER,
                5,
                true,
                86_400,
                PUBLISHER_PARKED)),
        List.of(new Access.Topic(EVENT_BUS), new Access.Queue(PUBLISHER_PARKED, QueueLevel.SEND)));
  }

  /** A subscriber service's consumer (its queue to its tables) and its API (its tables, read). */
  private List<FunctionSpec> subscriberFunctions(SubscriberService service) {
    Map<String, EnvValue> tables = new LinkedHashMap<>();
    service
        .tables()
        .forEach(id -> tables.put(Tables.environmentVariable(id), new EnvValue.TableName(id)));
    Map<String, EnvValue> consumerEnv = new LinkedHashMap<>(tables);
    consumerEnv.put("SUBSCRIBER_SERVICE", new EnvValue.Literal(service.id()));
    consumerEnv.put(
        "MAX_RECEIVE_COUNT", new EnvValue.Literal(Integer.toString(SUBSCRIBER_MAX_RECEIVE_COUNT)));
    List<Access> consumerAccess = new ArrayList<>();
    consumerAccess.add(new Access.Queue(service.queue(), QueueLevel.CONSUME));
    service.tables().forEach(id -> consumerAccess.add(new Access.Table(id, TableLevel.READ_WRITE)));
    Map<String, EnvValue> apiEnv = new LinkedHashMap<>(tables);
    apiEnv.put("SUBSCRIBER_SERVICE", new EnvValue.Literal(service.id()));
    apiEnv.put(
        "CONSISTENCY_WAIT_MS", new EnvValue.Literal(Integer.toString(CONSISTENCY_WAIT_MILLIS)));
    apiEnv.put("CURSOR_KEY", new EnvValue.DeploymentKey("cursor"));
    return List.of(
        new FunctionSpec(
            service.id(),
            PACKAGE + "SubscriberHandler",
            1024,
            SUBSCRIBER_TIMEOUT_SECONDS,
            consumerEnv,
            List.of(new SqsTrigger(service.queue(), 10, 2)),
            consumerAccess),
        new FunctionSpec(
            service.apiFunction(),
            PACKAGE + "SubscriberApiHandler",
            1024,
            10,
            apiEnv,
            service.queries().stream().<Trigger>map(e -> httpRoute(e.route())).toList(),
            service.tables().stream()
                .<Access>map(id -> new Access.Table(id, TableLevel.READ))
                .toList()));
  }

  private List<FunctionSpec> coreFunctions() {
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
