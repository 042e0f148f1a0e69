package io.innkeeper.local.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.core.domain.fixture.ConsoleFixture;
import io.innkeeper.core.obs.Log;
import io.innkeeper.local.chaos.Chaos;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.local.lambda.FunctionHost;
import io.innkeeper.local.sns.LocalSns;
import io.innkeeper.local.status.ParkedRecords;
import io.innkeeper.local.triggers.StreamPoller;
import io.innkeeper.ops.ReadModelTables;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local runtime's console: a web page at {@value #PATH} that shows a command travel through the
 * system and eventual consistency happen, from the runtime's own observations ({@link Recorder}
 * into the {@link Journal}), updated live by server-sent events; and a JSON API behind it ({@link
 * ConsoleHttp}).
 *
 * <p>It is local only: served by the local gateway beside the API, never part of the AWS stack.
 * Nothing it serves changes data: the page sends commands through the real API with tokens from
 * {@code /_local/tokens}, and its only button that changes anything runs the operator's {@code
 * redrive}, the same code as the command line.
 */
public final class Console implements AutoCloseable {

  /** Where the page is served. */
  public static final String PATH = "/_local/console";

  /** How often the system at a glance is sent to the open pages. */
  static final Duration GLANCE_EVERY = Duration.ofSeconds(1);

  private static final ObjectMapper JSON = io.innkeeper.client.Json.MAPPER;

  private final Topology topology;
  private final Domain domain;
  private final Chaos chaos;
  private final FunctionHost host;
  private final Journal journal = new Journal();
  private final Recorder recorder;
  private final ConsoleReads reads;
  private final OperatorCommands operator;
  private final ReadModelTables tables;
  private final Supplier<Api> api;
  private final Instant startedAt = Instant.now();
  private final String runId = UUID.randomUUID().toString();
  private final List<Runnable> unsubscribe = new ArrayList<>();
  private final List<Events> streams = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticker;
  private final ConsoleHttp http;
  private volatile boolean closed;

  /**
   * What the console is wired to.
   *
   * @param domain the domain the runtime runs, or {@code null} for a topology of no domain (a
   *     test's): no examples, no history, no verify
   * @param sns the event bus, or {@code null}
   * @param queueUrls the URL of a topology queue by id
   * @param queueArns the ARN of a topology queue by id
   * @param eventsTable the physical name of the events table
   * @param api the runtime's HTTP API as a fixture port, once the gateway listens
   */
  public record Wiring(
      Topology topology,
      Domain domain,
      Chaos chaos,
      FunctionHost host,
      LocalSns sns,
      SqsClient sqs,
      DynamoDbClient dynamoDb,
      java.util.function.Function<String, String> queueUrls,
      java.util.function.Function<String, String> queueArns,
      String eventsTable,
      URI dynamoDbEndpoint,
      URI sqsEndpoint,
      Supplier<Api> api) {}

  /** Starts observing: from now on the journal fills, whether or not a page is open. */
  public Console(Wiring w) {
    this.topology = w.topology();
    this.domain = w.domain();
    this.chaos = w.chaos();
    this.host = w.host();
    this.api = w.api();
    this.reads =
        new ConsoleReads(
            topology,
            w.sqs(),
            w.dynamoDb(),
            w.eventsTable(),
            w.queueUrls(),
            w.queueArns(),
            w.sns());
    this.tables = domain == null ? null : ReadModelTables.local(domain);
    this.operator =
        tables == null
            ? null
            : new OperatorCommands(w.dynamoDbEndpoint(), w.sqsEndpoint(), w.dynamoDb(), tables);
    this.recorder = new Recorder(topology, journal, reads::queueOfArn);
    FunctionHost.InvocationObserver observer = recorder::invoked;
    host.observe(observer);
    unsubscribe.add(() -> host.unobserve(observer));
    unsubscribe.add(Log.subscribe(recorder::logged));
    unsubscribe.add(
        chaos.onInjection(fault -> recorder.injected(fault, FunctionHost.invokingFunction())));
    if (w.sns() != null) {
      AutoCloseable deliveries = w.sns().onDelivery(recorder::delivered);
      unsubscribe.add(
          () -> {
            try {
              deliveries.close();
            } catch (Exception ignored) {
              // Only a list removal.
            }
          });
    }
    unsubscribe.add(journal.subscribe(this::broadcast));
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "innkeeper-console-glance");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        this::tick, GLANCE_EVERY.toMillis(), GLANCE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    this.http = new ConsoleHttp(this);
  }

  /** Tells the console of a stream poller's parked records. */
  public void watch(StreamPoller poller) {
    poller.onPark(recorder::parked);
  }

  /** The page, its files and its API, for the gateway to serve at {@value #PATH}. */
  public com.sun.net.httpserver.HttpHandler handler() {
    return http;
  }

  Journal journal() {
    return journal;
  }

  /** Waits until what was observed so far is in the journal (for tests). */
  public boolean settle(Duration max) throws InterruptedException {
    return recorder.drain(max);
  }

  // ---------------------------------------------------------------- what the API answers

  /** The page's starting point: the domain, who to act as, what to send, and the system's parts. */
  Map<String, Object> overview() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", runId);
    m.put("startedAt", startedAt.toString());
    m.put("domain", domain == null ? null : domain.name());
    ConsoleFixture fixture = domain == null ? ConsoleFixture.NONE : domain.fixtures().console();
    List<Map<String, Object>> users = new ArrayList<>();
    for (Api.Caller c : fixture.users()) {
      users.add(Map.of("sub", c.sub(), "groups", c.groups()));
    }
    m.put("users", users);
    m.put("examples", fixture.examples().stream().map(ConsoleFixture.Example::toMap).toList());
    Map<String, String> context = Map.of();
    try {
      Api port = api.get();
      if (port != null) {
        context = fixture.context(port);
      }
    } catch (RuntimeException e) {
      m.put("contextError", e.getMessage());
    }
    m.put("context", context);
    List<Map<String, Object>> routes = new ArrayList<>();
    List<String> streamReaders = new ArrayList<>();
    List<String> subscribers = new ArrayList<>();
    for (FunctionSpec f : topology.functions()) {
      for (Trigger t : f.triggers()) {
        if (t instanceof Trigger.HttpRoute r) {
          Map<String, Object> route = new LinkedHashMap<>();
          route.put("route", r.method() + " " + r.path());
          route.put("method", r.method());
          route.put("path", r.path());
          route.put("authenticated", r.authenticated());
          route.put("function", f.id());
          routes.add(route);
        } else if (t instanceof Trigger.StreamTrigger) {
          streamReaders.add(f.id());
        }
      }
    }
    m.put("routes", routes);
    m.put("projections", topology.projections());
    m.put("streamReaders", streamReaders);
    m.put("subscriptions", reads.subscriptions());
    for (Map<String, Object> s : reads.subscriptions()) {
      for (FunctionSpec f : topology.functions()) {
        for (Trigger t : f.triggers()) {
          if (t instanceof Trigger.SqsTrigger q && q.queueId().equals(s.get("queue"))) {
            subscribers.add(f.id());
          }
        }
      }
    }
    m.put("subscribers", subscribers);
    m.put("verify", operator != null);
    m.put("redriveTargets", operator == null ? List.of() : OperatorCommands.REDRIVE_TARGETS);
    m.put("chaos", chaos());
    return m;
  }

  /** The system at a glance: queues, parked records and dead letters, chaos, lag. */
  Map<String, Object> glance() {
    Instant now = Instant.now();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", now.toString());
    m.put("runId", runId);
    List<Map<String, Object>> queues = reads.depths();
    m.put("queues", queues);
    // What the queues hold is the truth: once a queue of parked records or of dead letters is
    // empty (redriven, by this page or by a terminal), what was noted there is resolved. Only the
    // parked notes from before the queues were read: the poller notes a park once the record is
    // on its queue, so a later note may be of a record this reading missed.
    for (Map<String, Object> q : queues) {
      if (held(q) == 0 && "parked".equals(q.get("kind"))) {
        journal.resolve(
            "parked",
            n ->
                q.get("id").equals(detail(n).get("queue"))
                    && Instant.parse((String) n.get("at")).isBefore(now));
      }
    }
    boolean deadLettersEmpty =
        queues.stream()
            .filter(q -> "dead-letters".equals(q.get("kind")))
            .allMatch(q -> held(q) == 0);
    if (deadLettersEmpty) {
      journal.resolve("dead-letter", n -> true);
    }
    Map<String, Object> parked = new LinkedHashMap<>();
    parked.put("open", journal.notes("parked"));
    parked.put("sinceStart", ParkedRecords.counts());
    m.put("parked", parked);
    m.put("deadLetters", Map.of("open", journal.notes("dead-letter")));
    m.put("chaos", chaos());
    m.put("lag", journal.lagSeries(now));
    Map<String, Object> stats = new LinkedHashMap<>(journal.stats());
    stats.putAll(recorder.stats());
    m.put("journal", stats);
    return m;
  }

  private static long held(Map<String, Object> queue) {
    return queue.get("visible") instanceof Number v && queue.get("inFlight") instanceof Number f
        ? v.longValue() + f.longValue()
        : -1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> detail(Map<String, Object> note) {
    return (Map<String, Object>) note.getOrDefault("detail", Map.of());
  }

  private Map<String, Object> chaos() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("on", chaos.config().any());
    m.put("spec", chaos.config().any() ? chaos.config().spec() : "");
    Map<String, Object> injected = new LinkedHashMap<>();
    for (Map.Entry<Fault, Long> e : chaos.injected().entrySet()) {
      if (chaos.config().rate(e.getKey()) > 0 || e.getValue() > 0) {
        injected.put(e.getKey().key(), e.getValue());
      }
    }
    m.put("injected", injected);
    m.put("variants", chaos.variants());
    m.put("timedOutInvocations", host.timedOut());
    List<Map<String, Object>> recent = journal.notes("chaos");
    m.put("recent", recent.subList(0, Math.min(20, recent.size())));
    return m;
  }

  List<Map<String, Object>> commands() {
    return journal.recent();
  }

  Optional<Map<String, Object>> command(String id) {
    return journal.journey(id);
  }

  /** An aggregate's history, or empty when this runtime runs no domain. */
  Optional<Map<String, Object>> history(String stream) {
    if (tables == null) {
      return Optional.empty();
    }
    return Optional.of(History.of(stream, reads.events(), tables));
  }

  Optional<OperatorCommands> operator() {
    return Optional.ofNullable(operator);
  }

  // ---------------------------------------------------------------- server-sent events

  /** One open page's event stream: messages waiting to be written to it. */
  static final class Events {
    private final java.util.concurrent.BlockingQueue<String> waiting =
        new java.util.concurrent.LinkedBlockingQueue<>(4096);
    private volatile boolean overflowed;

    void offer(String message) {
      if (!waiting.offer(message)) {
        // A page that cannot keep up is cut off; it reconnects and reloads what it shows.
        overflowed = true;
      }
    }

    String next(long millis) throws InterruptedException {
      return waiting.poll(millis, TimeUnit.MILLISECONDS);
    }

    boolean overflowed() {
      return overflowed;
    }
  }

  /** Most pages served events at once (each holds one of the gateway's threads). */
  static final int MAX_EVENT_STREAMS = 8;

  /** Opens an event stream for a page, or empty when too many are open. */
  Optional<Events> open() {
    if (closed || streams.size() >= MAX_EVENT_STREAMS) {
      return Optional.empty();
    }
    Events events = new Events();
    streams.add(events);
    events.offer(event("hello", Map.of("runId", runId, "startedAt", startedAt.toString())));
    events.offer(event("glance", glance()));
    return Optional.of(events);
  }

  void closeStream(Events events) {
    streams.remove(events);
  }

  boolean closed() {
    return closed;
  }

  private void broadcast(Map<String, Object> message) {
    if (streams.isEmpty()) {
      return;
    }
    String text = event((String) message.get("type"), message);
    streams.forEach(s -> s.offer(text));
  }

  private void tick() {
    if (streams.isEmpty() || closed) {
      return;
    }
    try {
      String text = event("glance", glance());
      streams.forEach(s -> s.offer(text));
    } catch (RuntimeException e) {
      // The next second tries again; a page keeps the last picture meanwhile.
    }
  }

  static String event(String name, Object data) {
    try {
      return "event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops observing and ends every open event stream (the pages then say the runtime stopped). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    unsubscribe.forEach(Runnable::run);
    ticker.shutdownNow();
    recorder.close();
  }
}
