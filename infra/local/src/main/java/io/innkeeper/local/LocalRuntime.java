package io.innkeeper.local;

import io.innkeeper.client.HttpApi;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.obs.Log;
import io.innkeeper.local.chaos.Chaos;
import io.innkeeper.local.console.Console;
import io.innkeeper.local.emulators.AwsEndpoints;
import io.innkeeper.local.emulators.Emulators;
import io.innkeeper.local.gateway.HttpGateway;
import io.innkeeper.local.gateway.TokenIssuer;
import io.innkeeper.local.lambda.FunctionHost;
import io.innkeeper.local.lambda.FunctionInvoker;
import io.innkeeper.local.lambda.LambdaEnvironment;
import io.innkeeper.local.resources.Provisioner;
import io.innkeeper.local.resources.Provisioner.Resources;
import io.innkeeper.local.status.LocalStatus;
import io.innkeeper.local.triggers.CheckpointStore;
import io.innkeeper.local.triggers.FilterPattern;
import io.innkeeper.local.triggers.SqsPoller;
import io.innkeeper.local.triggers.StreamPoller;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.DeploymentSummary;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Innkeeper in one JVM: DynamoDB Local and ElasticMQ started in-process, the topology's tables and
 * queues created in them, the real handler classes hosted as simulated Lambda containers, SQS and
 * DynamoDB stream event source mappings polling for them, and an HTTP API gateway in front.
 * Everything talks to the emulators over HTTP with the AWS SDK, as on AWS.
 *
 * <p>With {@link LocalOptions#external() external endpoints} (e.g. LocalStack) no emulator starts:
 * the tables and queues are created (or adopted) there, and everything else runs as above.
 */
public final class LocalRuntime implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration PRINTED_TOKEN_TTL = Duration.ofHours(12);

  /**
   * The {@code function} of the runtime's own log lines (pollers, checkpoints, start-up), beside
   * the functions' own names.
   */
  public static final String LOG_FUNCTION = "local-runtime";

  private static final Log.Named LOG = Log.named(LocalRuntime.LOG_FUNCTION, "runtime");

  private final LocalOptions options;

  /** The options' topology with its timings compressed, when they ask for it. */
  private final Topology topology;

  private final Chaos chaos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<AutoCloseable> pollers = new ArrayList<>();
  private final List<LocalStatus.StreamSource> streamSources = new ArrayList<>();
  private LocalStatus status;
  private final Map<String, Long> phases = new LinkedHashMap<>();
  private Emulators emulators;
  private AwsEndpoints endpoints;
  private DynamoDbClient dynamoDb;
  private DynamoDbStreamsClient streams;
  private SqsClient sqs;
  private software.amazon.awssdk.services.sns.SnsClient sns;
  private Resources resources;
  private LambdaEnvironment environment;
  private FunctionHost host;
  private TokenIssuer tokens;
  private HttpGateway gateway;
  private Console console;
  private volatile URI apiUrl;
  private Seeder.Seeded seeded = Seeder.Seeded.NOTHING;

  private LocalRuntime(LocalOptions options) {
    this.options = options;
    this.topology = options.timeCompression().apply(options.topology());
    this.chaos = new Chaos(options.chaos());
  }

  /**
   * Starts everything; on failure stops whatever had started and rethrows.
   *
   * @throws BindException when the API port is taken
   */
  public static LocalRuntime start(LocalOptions options) throws Exception {
    LocalRuntime runtime = new LocalRuntime(options);
    try {
      runtime.boot();
      return runtime;
    } catch (Exception | Error e) {
      runtime.close();
      throw e;
    }
  }

  private void boot() throws Exception {
    checkDomainSetting();
    refuseInvalidFilterPatterns();
    long t0 = System.nanoTime();
    long t1;
    if (options.embedded()) {
      emulators = Emulators.start(options.dataDir());
      endpoints = emulators.endpoints();
      t1 = mark("emulators", t0);
    } else {
      endpoints = options.external();
      t1 = t0;
    }

    dynamoDb = LocalAws.dynamoDb(endpoints.dynamoDb());
    streams = LocalAws.dynamoDbStreams(endpoints.dynamoDbStreams());
    sqs = LocalAws.sqs(endpoints.sqs());
    sns = LocalAws.sns(endpoints.sns());
    resources = provision();
    long t2 = mark("resources", t1);

    environment =
        LambdaEnvironment.publish(
            LambdaEnvironment.resolve(
                topology, resources::tableName, resources::queueUrl, resources::topicArn),
            endpoints.dynamoDb(),
            endpoints.sqs(),
            endpoints.sns());
    if (chaos.config().any()) {
      LOG.warn("chaos on: " + chaos.config().spec());
    }
    if (options.timeCompression().compresses()) {
      LOG.warn(
          "time compressed "
              + options.timeCompression().factor()
              + " times (a testing aid): visibility timeouts and retry delays are not AWS's");
    }
    host = new FunctionHost(topology, LocalRuntime.class.getClassLoader(), chaos);
    host.check().forEach(problem -> LOG.warn(problem));
    // Observing from before the first poll, so the console also shows the demo data going in.
    console =
        new Console(
            new Console.Wiring(
                options.topology(),
                options.domain(),
                chaos,
                host,
                sns(),
                sqs,
                dynamoDb,
                resources::queueUrl,
                resources::queueArn,
                options.topology().findTable("events").isPresent()
                    ? resources.tableName("events")
                    : null,
                endpoints.dynamoDb(),
                endpoints.sqs(),
                () -> apiUrl == null ? null : new HttpApi(apiUrl, this::mintToken)));
    host.prewarm();
    startPollers();
    long t3 = mark("functions", t2);

    tokens = new TokenIssuer();
    gateway =
        new HttpGateway(topology, host, tokens, LOOPBACK, options.port(), options.rateLimit())
            .integrationTimeout(options.integrationTimeout());
    try {
      gateway.start();
    } catch (BindException e) {
      BindException clear =
          new BindException("port " + options.port() + " on " + LOOPBACK + " is already in use");
      clear.initCause(e);
      throw clear;
    }
    apiUrl = URI.create("http://" + LOOPBACK + ":" + gateway.port());
    status =
        new LocalStatus(
            topology,
            sqs,
            resources::queueUrl,
            dynamoDb,
            // A topology without the projector's watermarks (a test's) has a status without them.
            topology.findTable("watermarks").isPresent() ? resources.tableName("watermarks") : null,
            streamSources,
            resources.topicArns(),
            resources.subscriptionArns());
    gateway.serveLocalRead("/_local/status", status::snapshot);
    gateway.serveLocal(Console.PATH, console.handler());
    long t4 = mark("gateway", t3);

    if (options.seed()) {
      Domain domain = options.domain() != null ? options.domain() : Domains.load();
      seeded =
          new Seeder(
                  domain.fixtures().demo(), new HttpApi(apiUrl, this::mintToken), options.dataDir())
              .seed();
      mark("seed", t4);
    }
  }

  /**
   * The functions read {@code INNKEEPER_DOMAIN} from the environment before the system property the
   * runtime publishes, so an environment that names another domain than the one this runtime runs
   * would have them run that one: refused before anything starts.
   */
  private void checkDomainSetting() {
    String fromEnvironment = System.getenv(Domains.SETTING);
    if (options.domain() != null
        && fromEnvironment != null
        && !fromEnvironment.isBlank()
        && !fromEnvironment.strip().equals(options.domain().name())) {
      throw new IllegalStateException(
          "the environment sets "
              + Domains.SETTING
              + "="
              + fromEnvironment
              + ", but this runtime runs the domain "
              + options.domain().name()
              + ": unset it, or run that domain");
    }
  }

  private Resources provision() throws Exception {
    Provisioner provisioner = new Provisioner(topology, dynamoDb, sqs, sns);
    if (options.embedded()) {
      return provisioner.provision();
    }
    try {
      return provisioner.provision();
    } catch (SdkClientException unreachable) {
      // Someone else's server: say which one, not only "Unable to execute HTTP request".
      throw new IllegalStateException(
          "could not create the tables and queues at the external endpoints (DynamoDB "
              + endpoints.dynamoDb()
              + ", SQS "
              + endpoints.sqs()
              + ", SNS "
              + endpoints.sns()
              + "): "
              + unreachable.getMessage(),
          unreachable);
    }
  }

  private long mark(String phase, long since) {
    long now = System.nanoTime();
    phases.put(phase, (now - since) / 1_000_000);
    return now;
  }

  /**
   * Lambda refuses a filter pattern when the event source mapping is created, before anything runs;
   * so does this runtime, before the emulators start.
   */
  private void refuseInvalidFilterPatterns() {
    for (FunctionSpec function : topology.functions()) {
      for (Trigger trigger : function.triggers()) {
        if (trigger instanceof Trigger.StreamTrigger stream) {
          try {
            FilterPattern.parse(stream.filterPattern());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "the stream trigger of "
                    + function.id()
                    + " on table "
                    + stream.tableId()
                    + ": "
                    + e.getMessage(),
                e);
          }
        }
      }
    }
  }

  private void startPollers() throws IOException {
    for (FunctionSpec function : topology.functions()) {
      for (Trigger trigger : function.triggers()) {
        if (trigger instanceof Trigger.SqsTrigger sqsTrigger) {
          SqsPoller poller =
              new SqsPoller(
                  function.id(),
                  sqsTrigger,
                  resources.queueUrl(sqsTrigger.queueId()),
                  resources.queueArn(sqsTrigger.queueId()),
                  sqs,
                  host,
                  chaos,
                  options.embedded());
          pollers.add(poller);
          poller.start();
        } else if (trigger instanceof Trigger.StreamTrigger streamTrigger) {
          String streamArn = resources.streamArn(streamTrigger.tableId());
          CheckpointStore checkpoints =
              options.dataDir() == null
                  ? CheckpointStore.inMemory(streamArn)
                  : CheckpointStore.file(
                      options
                          .dataDir()
                          .resolve("stream-checkpoints")
                          .resolve(function.id() + "." + streamTrigger.tableId() + ".properties"),
                      streamArn);
          String onFailure =
              streamTrigger.onFailureQueueId() == null
                  ? null
                  : resources.queueUrl(streamTrigger.onFailureQueueId());
          StreamPoller poller =
              new StreamPoller(
                  function.id(),
                  streamTrigger,
                  streamArn,
                  streams,
                  sqs,
                  onFailure,
                  host,
                  checkpoints,
                  chaos);
          if (emulators != null) {
            poller.onShardRollover(emulators::rolloverShards);
          }
          console.watch(poller);
          pollers.add(poller);
          streamSources.add(
              new LocalStatus.StreamSource(
                  function.id(), streamTrigger.tableId(), poller, checkpoints));
          poller.start();
        }
      }
    }
  }

  /**
   * What {@code GET /_local/status} answers: queue depths, parked records, stream checkpoints,
   * projection lag and the last commands' outcomes.
   */
  public Map<String, Object> status() {
    return status.snapshot();
  }

  /** The API's base URL, e.g. {@code http://127.0.0.1:8080}. */
  public URI apiUrl() {
    return apiUrl;
  }

  public URI dynamoDbEndpoint() {
    return endpoints.dynamoDb();
  }

  public URI dynamoDbStreamsEndpoint() {
    return endpoints.dynamoDbStreams();
  }

  public URI sqsEndpoint() {
    return endpoints.sqs();
  }

  /**
   * The local SNS endpoint (the event bus, delivering into this runtime's SQS), or {@code null}
   * when the runtime runs on external endpoints, whose own SNS (if any) is theirs.
   */
  public URI snsEndpoint() {
    return emulators == null ? null : emulators.snsEndpoint();
  }

  /** The event bus behind {@link #snsEndpoint()}, or {@code null} on external endpoints. */
  public io.innkeeper.local.sns.LocalSns sns() {
    return emulators == null ? null : emulators.sns();
  }

  /** The ARN of a topology topic, e.g. the event bus's. */
  public String topicArn(String topicId) {
    return resources.topicArn(topicId);
  }

  /** The ARN of the subscription of a topology queue to its topic. */
  public String subscriptionArn(String queueId) {
    String arn = resources.subscriptionArns().get(queueId);
    if (arn == null) {
      throw new IllegalArgumentException("queue " + queueId + " subscribes to no topic");
    }
    return arn;
  }

  /** Whether this runtime runs its own DynamoDB Local and ElasticMQ (not external endpoints). */
  public boolean embedded() {
    return options.embedded();
  }

  /** The physical name of a topology table. */
  public String tableName(String tableId) {
    return resources.tableName(tableId);
  }

  /**
   * The topology this runtime runs: the options', with its timings compressed when they ask for it
   * ({@link LocalOptions#timeCompression()}).
   */
  public Topology topology() {
    return topology;
  }

  /**
   * What this runtime actually runs, as a {@link DeploymentSummary}: the handler classes its host
   * loaded, the triggers its pollers were started with, the routes its gateway serves, and the
   * tables and queues as the DynamoDB and SQS servers describe them. The CDK tests read the same
   * summary back from the synthesized template; both must equal the topology's.
   */
  public Map<String, Object> deploymentSummary() {
    Map<String, Object> functions = new TreeMap<>();
    Map<String, String> handlers = host.handlerClasses();
    for (FunctionSpec f : topology.functions()) {
      if (handlers.containsKey(f.id())) {
        functions.put(
            f.id(),
            DeploymentSummary.function(handlers.get(f.id()), f.memoryMb(), f.timeoutSeconds()));
      }
    }
    Map<String, Object> triggers = new TreeMap<>();
    for (AutoCloseable poller : pollers) {
      String functionId;
      Map<String, Object> trigger;
      if (poller instanceof SqsPoller p) {
        functionId = p.functionId();
        Trigger.SqsTrigger t = p.trigger();
        trigger = DeploymentSummary.sqsTrigger(t.queueId(), t.batchSize(), t.maxConcurrency());
      } else if (poller instanceof StreamPoller p) {
        functionId = p.functionId();
        Trigger.StreamTrigger t = p.trigger();
        trigger =
            DeploymentSummary.streamTrigger(
                t.tableId(),
                t.batchSize(),
                t.startingPosition(),
                t.filterPattern(),
                t.maximumRetryAttempts(),
                t.bisectBatchOnError(),
                t.maximumRecordAgeSeconds(),
                t.onFailureQueueId());
      } else {
        continue;
      }
      @SuppressWarnings("unchecked")
      List<Object> mine =
          (List<Object>) triggers.computeIfAbsent(functionId, k -> new ArrayList<>());
      mine.add(trigger);
    }
    Map<String, Object> routes = new TreeMap<>();
    for (Topology.RouteBinding b : gateway.routes()) {
      routes.put(
          b.route().routeKey(),
          DeploymentSummary.route(b.function().id(), b.route().authenticated()));
    }
    Map<String, Object> tables = new TreeMap<>();
    for (TableSpec spec : topology.tables()) {
      String name = resources.tableName(spec.id());
      var table = dynamoDb.describeTable(r -> r.tableName(name)).table();
      Map<String, String> types = new HashMap<>();
      table
          .attributeDefinitions()
          .forEach(a -> types.put(a.attributeName(), a.attributeTypeAsString()));
      String hash = null;
      String range = null;
      for (var k : table.keySchema()) {
        String key = DeploymentSummary.key(k.attributeName(), types.get(k.attributeName()));
        if (k.keyType() == KeyType.HASH) {
          hash = key;
        } else {
          range = key;
        }
      }
      var stream = table.streamSpecification();
      var ttl = dynamoDb.describeTimeToLive(r -> r.tableName(name)).timeToLiveDescription();
      tables.put(
          spec.id(),
          DeploymentSummary.table(
              hash,
              range,
              stream == null || !Boolean.TRUE.equals(stream.streamEnabled())
                  ? "NONE"
                  : stream.streamViewTypeAsString(),
              ttl != null && ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                  ? ttl.attributeName()
                  : null));
    }
    Map<String, Object> queues = new TreeMap<>();
    Map<String, String> queueIdsByArn = new HashMap<>();
    topology.queues().forEach(q -> queueIdsByArn.put(resources.queueArn(q.id()), q.id()));
    for (var spec : topology.queues()) {
      Map<QueueAttributeName, String> a =
          sqs.getQueueAttributes(
                  r ->
                      r.queueUrl(resources.queueUrl(spec.id()))
                          .attributeNames(
                              QueueAttributeName.FIFO_QUEUE,
                              QueueAttributeName.VISIBILITY_TIMEOUT,
                              QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                              QueueAttributeName.REDRIVE_POLICY))
              .attributes();
      String deadLetter = null;
      int maxReceiveCount = 0;
      if (a.containsKey(QueueAttributeName.REDRIVE_POLICY)) {
        var policy = io.innkeeper.events.Json.parseObject(a.get(QueueAttributeName.REDRIVE_POLICY));
        deadLetter = queueIdsByArn.get((String) policy.get("deadLetterTargetArn"));
        maxReceiveCount = Integer.parseInt(String.valueOf(policy.get("maxReceiveCount")));
      }
      queues.put(
          spec.id(),
          DeploymentSummary.queue(
              Boolean.parseBoolean(a.getOrDefault(QueueAttributeName.FIFO_QUEUE, "false")),
              number(a, QueueAttributeName.VISIBILITY_TIMEOUT, spec.id()),
              // ElasticMQ accepts MessageRetentionPeriod at creation but does not report it back;
              // the value the runtime created the queue with stands in for it there.
              a.containsKey(QueueAttributeName.MESSAGE_RETENTION_PERIOD)
                  ? number(a, QueueAttributeName.MESSAGE_RETENTION_PERIOD, spec.id())
                  : spec.retentionSeconds(),
              deadLetter,
              maxReceiveCount));
    }
    Map<String, Object> topics = new TreeMap<>();
    Map<String, Object> subscriptions = new TreeMap<>();
    Map<String, String> topicIdsByArn = new HashMap<>();
    options.topology().topics().forEach(t -> topicIdsByArn.put(resources.topicArn(t.id()), t.id()));
    for (var topic : sns.listTopicsPaginator().topics()) {
      String id = topicIdsByArn.get(topic.topicArn());
      if (id == null) {
        continue; // someone else's, e.g. a service's own topic on the same bus
      }
      Map<String, String> a =
          sns.getTopicAttributes(r -> r.topicArn(topic.topicArn())).attributes();
      topics.put(
          id,
          DeploymentSummary.topic(
              Boolean.parseBoolean(a.getOrDefault("FifoTopic", "false")),
              Boolean.parseBoolean(a.getOrDefault("ContentBasedDeduplication", "false"))));
      for (var sub :
          sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topic.topicArn()))
              .subscriptions()) {
        String queueId = queueIdsByArn.get(sub.endpoint());
        if (queueId == null) {
          continue;
        }
        Map<String, String> sa =
            sns.getSubscriptionAttributes(r -> r.subscriptionArn(sub.subscriptionArn()))
                .attributes();
        subscriptions.put(
            queueId,
            DeploymentSummary.subscription(
                id,
                Boolean.parseBoolean(sa.getOrDefault("RawMessageDelivery", "false")),
                sa.get("FilterPolicy")));
      }
    }
    return DeploymentSummary.summary(
        functions, triggers, routes, tables, queues, topics, subscriptions);
  }

  private static int number(
      Map<QueueAttributeName, String> attributes, QueueAttributeName name, String queueId) {
    String value = attributes.get(name);
    if (value == null) {
      throw new IllegalStateException(
          "queue " + queueId + " does not report " + name + ": " + attributes);
    }
    return Integer.parseInt(value);
  }

  /** The fault injector (off unless the options ask for chaos), with what it injected so far. */
  public Chaos chaos() {
    return chaos;
  }

  /** How many invocations of each function ran past their timeout and were failed for it. */
  public Map<String, Integer> timedOutInvocations() {
    return host.timedOut();
  }

  /** The console served at {@code /_local/console} (its journal of what the runtime saw). */
  public Console console() {
    return console;
  }

  /** The URL of a topology queue. */
  public String queueUrl(String queueId) {
    return resources.queueUrl(queueId);
  }

  /** A bearer token the API accepts, valid for 12 hours. */
  public String mintToken(String sub, List<String> groups) {
    return tokens.mint(sub, groups, PRINTED_TOKEN_TTL);
  }

  /** Invokes functions directly, bypassing the gateway (as {@code aws lambda invoke} would). */
  public FunctionInvoker functions() {
    return host;
  }

  /** The demo data (nothing when not seeding, or when the API could not take it). */
  public Seeder.Seeded seeded() {
    return seeded;
  }

  /** The domain this runtime runs, or {@code null} for a topology of no domain (a test's). */
  public Domain domain() {
    return options.domain();
  }

  /** A one-line breakdown of the start-up, e.g. {@code emulators 2100 ms, resources 300 ms}. */
  public String startupSummary() {
    List<String> parts = new ArrayList<>();
    phases.forEach((phase, millis) -> parts.add(phase + " " + millis + " ms"));
    return String.join(", ", parts);
  }

  /**
   * Stops the gateway, the pollers, the functions and the emulators (external endpoints are left
   * running, with their tables and queues); safe to call twice.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // The console first: its open pages' event streams end, and they say the runtime stopped.
    closeQuietly("console", console);
    closeQuietly("gateway", gateway);
    // Pollers stop in parallel: each may wait for an invocation in flight.
    List<Thread> stopping = new ArrayList<>();
    for (AutoCloseable poller : pollers) {
      Thread t = new Thread(() -> closeQuietly("poller", poller), "poller-stop");
      t.start();
      stopping.add(t);
    }
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closeQuietly("status", status);
    closeQuietly("functions", host);
    closeQuietly("sqs client", sqs);
    closeQuietly("sns client", sns);
    closeQuietly("streams client", streams);
    closeQuietly("dynamodb client", dynamoDb);
    closeQuietly("environment", environment);
    closeQuietly("emulators", emulators);
  }

  private static void closeQuietly(String what, AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("stopping " + what + " failed", e);
    }
  }

  /** Where the data lives, for messages. */
  Path dataDir() {
    return options.dataDir();
  }
}
