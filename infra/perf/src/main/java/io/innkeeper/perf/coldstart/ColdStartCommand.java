package io.innkeeper.perf.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.client.Json;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.core.domain.fixture.ColdStartChain;
import io.innkeeper.ops.Cli;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.PhysicalNames;
import io.innkeeper.topology.SubscriptionSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coldstart}: starts each function in a fresh JVM the way Lambda does (constructor, then the
 * first event, against the emulators), {@code --runs} times, and reports the median init and
 * first-invoke times beside a hello-world Java handler measured the same way in the same run, with
 * each function's artifact size.
 *
 * <p>The first events form one chain per run ({@link
 * io.innkeeper.core.domain.fixture.ColdStartChain}), so each function gets a realistic event with
 * real work behind it: command-api takes the domain's command (the hotel's: a booking); the command
 * handler gets the SQS event of the very message command-api put on the command queue; the
 * projector gets the DynamoDB stream event of the records the command handler appended, filtered as
 * its event source mapping filters them; query-api reads the command's effect back, which only
 * answers 200 if the projector's child did its work. Then the publisher gets the same records (its
 * own mapping on the stream) and publishes them to the local event bus, which delivers to each
 * subscribed queue; each subscriber service's consumer gets the SQS event of what its queue
 * received, and the service's API reads the command's effect as the service saw it (the hotel's:
 * the guest's messages name the run's reservation). A domain without subscriber services has no
 * such links. Nothing else consumes the queues or the stream while the children run.
 */
@Command(
    name = "coldstart",
    header = "Measures each function's cold start in fresh JVMs beside a hello-world handler.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Starts each function in a fresh JVM the way Lambda does (handler constructor, then one"
          + " realistic first event against embedded DynamoDB Local and ElasticMQ), N times,"
          + " beside a hello-world Java handler measured the same way; prints median init and"
          + " first-invoke times, the ratio to the hello-world floor and each artifact's size"
          + " against the goals (init + first invoke <= 2.5x hello-world, artifact <= 12 MB)."
          + " Measures cold starts without a SnapStart snapshot: the worst case.",
      "",
      "Exits 0 when every JVM served its event (goals met or not), 1 when one did not.",
      ""
    })
public final class ColdStartCommand extends Cli.Command {

  static final int EXIT_FAILED = Cli.EXIT_FAILED;

  @Option(
      names = "--runs",
      paramLabel = "N",
      defaultValue = "5",
      description = "cold starts per function, 1 to 1000 (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "write coldstart.json and coldstart.md, the events and each JVM's log")
  Path outDir;

  @Option(
      names = "--artifact",
      paramLabel = "JAR",
      description =
          "the functions jar (default: functions/target/innkeeper-functions.jar, looked up from"
              + " here and from where this jar is)")
  Path artifact;

  @Option(
      names = "--java",
      paramLabel = "PATH",
      description = "the java launcher for the function JVMs (default: this JVM's)")
  String javaLauncher;

  @Option(
      names = "--jvm-opt",
      paramLabel = "OPT",
      description =
          "an extra option for the function JVMs, after Lambda's (repeatable), e.g. --jvm-opt"
              + " -Xlog:class+load:file=classes.log")
  List<String> jvmOptions = new ArrayList<>();

  private static final ObjectMapper JSON = Json.MAPPER;

  /** The Lambda console's hello-world test event. */
  static final String HELLO_EVENT = "{\"key1\":\"value1\",\"key2\":\"value2\",\"key3\":\"value3\"}";

  /** The options as the run uses them. */
  record Options(int runs, Path out, Path artifact, String java, List<String> jvmOptions) {}

  /** The options, paths made absolute; a usage error when a value is out of range. */
  Options options() {
    if (runs < 1 || runs > 1000) {
      throw usage("--runs must be a number from 1 to 1000, not " + runs);
    }
    return new Options(
        runs,
        outDir == null ? null : outDir.toAbsolutePath(),
        artifact == null ? null : artifact.toAbsolutePath(),
        javaLauncher,
        List.copyOf(jvmOptions));
  }

  /** The coldstart subcommand: parses {@code args}, runs, and returns the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Cli.run(new ColdStartCommand(), args, out, err);
  }

  @Override
  protected int run() throws Exception {
    Options options = options();
    Optional<Path> artifact =
        options.artifact() != null ? Optional.of(options.artifact()) : findFunctionsJar();
    if (artifact.isEmpty() || !Files.isRegularFile(artifact.get())) {
      err.println(
          "coldstart: no functions jar "
              + artifact.map(p -> "at " + p).orElse("found")
              + "; build it with `mvn -o -pl functions package` or name it with --artifact JAR");
      return EXIT_FAILED;
    }
    Domain domain = Domains.load();
    Roles roles;
    try {
      roles = Roles.of(Topology.of(domain), domain.fixtures().coldStart());
    } catch (IllegalStateException e) {
      err.println("coldstart: " + e.getMessage());
      return EXIT_FAILED;
    }
    Path work = Files.createTempDirectory("innkeeper-coldstart");
    try {
      Path keep = options.out() != null ? options.out() : work.resolve("out");
      return new Session(options, domain, artifact.get(), roles, work, keep, out, err).run();
    } finally {
      deleteRecursively(work);
    }
  }

  /**
   * Which topology function gets which link of the chain; every function must get one. Links are
   * found by what the topology says a function does, not by its id: the command path's consumer
   * reads the queue the command route sends to; of the readers of that consumer's stream, the
   * projector writes the query tables and the publisher publishes to a topic; each queue subscribed
   * to that topic has its subscriber service's consumer, and the service's API serves the route the
   * chain reads the service with.
   */
  record Roles(
      FunctionSpec book,
      FunctionSpec consume,
      Trigger.SqsTrigger queue,
      FunctionSpec project,
      Trigger.StreamTrigger stream,
      FunctionSpec read,
      FunctionSpec publish,
      Trigger.StreamTrigger published,
      String topicId,
      List<Service> services) {

    /**
     * A subscriber service's links: its consumer of the queue subscribed to the publisher's topic,
     * and its API function serving {@code route}.
     */
    record Service(
        FunctionSpec consume, Trigger.SqsTrigger queue, FunctionSpec api, String route) {}

    static Roles of(Topology topology, ColdStartChain chain) {
      FunctionSpec book = route(topology, chain.commandRoute());
      FunctionSpec read = route(topology, chain.readRoute());
      if (book == null || read == null) {
        throw new IllegalStateException(
            "the topology no longer serves the chain's routes ("
                + chain.commandRoute()
                + ", "
                + chain.readRoute()
                + ")");
      }
      List<String> commandQueues =
          book.access().stream()
              .filter(
                  a ->
                      a instanceof FunctionSpec.Access.Queue q
                          && q.level() == FunctionSpec.QueueLevel.SEND)
              .map(a -> ((FunctionSpec.Access.Queue) a).queueId())
              .toList();
      if (commandQueues.size() != 1) {
        throw new IllegalStateException(
            "function "
                + book.id()
                + " ("
                + chain.commandRoute()
                + ") must send to one queue, not "
                + commandQueues);
      }
      FunctionSpec consume = null;
      Trigger.SqsTrigger queue = null;
      for (FunctionSpec f : topology.functions()) {
        for (Trigger t : f.triggers()) {
          if (t instanceof Trigger.SqsTrigger s && s.queueId().equals(commandQueues.get(0))) {
            consume = f;
            queue = s;
          }
        }
      }
      if (consume == null) {
        throw new IllegalStateException(
            "no function consumes " + commandQueues.get(0) + ", the queue commands go to");
      }
      // The records the command handler appends: the stream of the table it writes.
      FunctionSpec project = null;
      Trigger.StreamTrigger stream = null;
      FunctionSpec publish = null;
      Trigger.StreamTrigger published = null;
      String topicId = null;
      for (FunctionSpec f : topology.functions()) {
        for (Trigger t : f.triggers()) {
          if (!(t instanceof Trigger.StreamTrigger s) || !writes(consume, s.tableId())) {
            continue;
          }
          Optional<String> topic = publishesTo(f);
          if (topic.isPresent()) {
            publish = f;
            published = s;
            topicId = topic.get();
          } else if (writesQueryTables(topology, f)) {
            project = f;
            stream = s;
          }
        }
      }
      if (project == null) {
        throw new IllegalStateException(
            "no function reads the stream of what " + consume.id() + " writes into query tables");
      }
      List<Service> services = new ArrayList<>();
      for (SubscriptionSpec subscription : topology.subscriptions()) {
        if (!subscription.topicId().equals(topicId)) {
          continue;
        }
        for (FunctionSpec f : topology.functions()) {
          for (Trigger t : f.triggers()) {
            if (t instanceof Trigger.SqsTrigger s && s.queueId().equals(subscription.queueId())) {
              String route = chain.serviceReadRoute(f.id());
              FunctionSpec api = route == null ? null : route(topology, route);
              if (api != null) {
                services.add(new Service(f, s, api, route));
              }
            }
          }
        }
      }
      Roles roles =
          new Roles(
              book,
              consume,
              queue,
              project,
              stream,
              read,
              publish,
              published,
              topicId,
              List.copyOf(services));
      List<String> missing =
          topology.functions().stream()
              .filter(f -> !roles.inOrder().contains(f))
              .map(f -> "coldstart has no first event for function " + f.id())
              .toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException(String.join("; ", missing));
      }
      return roles;
    }

    private static FunctionSpec route(Topology topology, String routeKey) {
      return topology.routes().stream()
          .filter(b -> b.route().routeKey().equals(routeKey))
          .map(Topology.RouteBinding::function)
          .findFirst()
          .orElse(null);
    }

    private static boolean writes(FunctionSpec f, String tableId) {
      return f.access().stream()
          .anyMatch(
              a ->
                  a instanceof FunctionSpec.Access.Table t
                      && t.tableId().equals(tableId)
                      && t.level() != FunctionSpec.TableLevel.READ);
    }

    private static Optional<String> publishesTo(FunctionSpec f) {
      return f.access().stream()
          .filter(FunctionSpec.Access.Topic.class::isInstance)
          .map(a -> ((FunctionSpec.Access.Topic) a).topicId())
          .findFirst();
    }

    private static boolean writesQueryTables(Topology topology, FunctionSpec f) {
      return topology.tables().stream()
          .anyMatch(t -> t.role() == TableSpec.Role.QUERY && writes(f, t.id()));
    }

    /** The functions in the order a run starts them. */
    List<FunctionSpec> inOrder() {
      List<FunctionSpec> order = new ArrayList<>(List.of(book, consume, project, read));
      if (publish != null) {
        order.add(publish);
        for (Service s : services) {
          order.add(s.consume());
          order.add(s.api());
        }
      }
      return order;
    }
  }

  /** One invocation of the command: the stage, the runs and the report. */
  private static final class Session {
    private final Options options;
    private final Domain domain;
    private final ColdStartChain coldStart;
    private final Path artifact;
    private final Roles roles;
    private final Path work;
    private final Path keep;
    private final PrintStream out;
    private final PrintStream err;

    Session(
        Options options,
        Domain domain,
        Path artifact,
        Roles roles,
        Path work,
        Path keep,
        PrintStream out,
        PrintStream err) {
      this.options = options;
      this.domain = domain;
      this.coldStart = domain.fixtures().coldStart();
      this.artifact = artifact;
      this.roles = roles;
      this.work = work;
      this.keep = keep;
      this.out = out;
      this.err = err;
    }

    int run() throws Exception {
      Files.createDirectories(keep.resolve("events"));
      Files.createDirectories(keep.resolve("logs"));
      Files.createDirectories(work.resolve("results"));
      Path runtimeJar = LambdaSandbox.buildRuntimeJar(work.resolve("runtime/lambda-runtime.jar"));
      Path helloJar = LambdaSandbox.buildHelloJar(keep.resolve("hello-world.jar"));
      Path functionsRoot = LambdaSandbox.unpack(artifact, work.resolve("task/functions"));
      Path helloRoot = LambdaSandbox.unpack(helloJar, work.resolve("task/hello-world"));
      String java = options.java() != null ? options.java() : LambdaSandbox.currentJava();
      LambdaSandbox sandbox = new LambdaSandbox(java, runtimeJar, options.jvmOptions());

      int helloMemory =
          roles.inOrder().stream().mapToInt(FunctionSpec::memoryMb).max().orElse(1024);
      ColdStartReport report = new ColdStartReport(options.runs());
      ColdStartReport.Function hello =
          report.add(
              new ColdStartReport.Function(
                  ColdStartReport.HELLO,
                  HelloHandler.class.getName(),
                  helloMemory,
                  helloJar,
                  Files.size(helloJar),
                  "the Lambda console's hello-world test event, " + HELLO_EVENT));
      Map<String, ColdStartReport.Function> measured = new LinkedHashMap<>();
      long artifactBytes = Files.size(artifact);
      Map<FunctionSpec, String> firstEvents = new LinkedHashMap<>();
      firstEvents.put(
          roles.book(),
          "API Gateway HTTP API event "
              + coldStart.commandRoute()
              + " (the domain's command); expects 202");
      firstEvents.put(
          roles.consume(),
          "SQS event of the command that request put on the command queue; expects no failures");
      firstEvents.put(
          roles.project(),
          "DynamoDB stream event of the records the command handler appended, filtered as the"
              + " event source mapping filters them; expects no failures");
      firstEvents.put(
          roles.read(),
          "API Gateway HTTP API event "
              + coldStart.readRoute()
              + " (the command's effect read back); expects 200, which needs the projector's"
              + " write");
      if (roles.publish() != null) {
        firstEvents.put(
            roles.publish(),
            "DynamoDB stream event of the same records, filtered as its own event source mapping"
                + " filters them; expects no failures, having published them to the bus");
      }
      for (Roles.Service service : roles.services()) {
        firstEvents.put(
            service.consume(),
            "SQS event of what the bus delivered to "
                + service.queue().queueId()
                + " from the publisher's run; expects no failures");
        firstEvents.put(
            service.api(),
            "API Gateway HTTP API event "
                + service.route()
                + " (the command's effect as the service saw it); expects 200 showing it, which"
                + " needs the service's consumer's write");
      }
      List<FunctionSpec> order = roles.inOrder();
      for (FunctionSpec f : order) {
        measured.put(
            f.id(),
            report.add(
                new ColdStartReport.Function(
                    f.id(),
                    f.handler(),
                    f.memoryMb(),
                    artifact,
                    artifactBytes,
                    firstEvents.get(f))));
      }
      report.describe("cores", Runtime.getRuntime().availableProcessors());
      report.describe("launcher", java);
      report.describe(
          "JVM options (" + helloMemory + " MB)",
          String.join(" ", LambdaSandbox.lambdaJvmOptions(helloMemory)));
      if (!options.jvmOptions().isEmpty()) {
        report.describe("extra JVM options", String.join(" ", options.jvmOptions()));
      }
      report.describe("artifact", artifact.toString());
      report.describe("load average before", loadAverage());

      out.printf(
          "coldstart: %d run%s of %s and hello-world; functions jar %s (%,d bytes)%n",
          options.runs(),
          options.runs() == 1 ? "" : "s",
          String.join(", ", order.stream().map(FunctionSpec::id).toList()),
          artifact,
          artifactBytes);
      out.println("coldstart: starting the emulators and the domain's setup");
      out.flush();
      String javaVersion = null;
      try (Stage stage =
          quietly(keep.resolve("logs").resolve("setup.log"), err, domain, coldStart)) {
        Chain chain = new Chain(stage, coldStart, sandbox, roles, keep, work, functionsRoot);
        out.printf("coldstart: ready (%s)%n", stage.summary());
        // One launch that is not counted: the first JVM after a while pays for reading the JDK,
        // its class data archive and the runtime jar from disk, which no later launch does.
        chain.hello(0, helloRoot, helloMemory);
        for (int run = 1; run <= options.runs(); run++) {
          Map<String, ColdStartReport.Run> runs = new LinkedHashMap<>();
          ColdStartReport.Run helloRun = chain.hello(run, helloRoot, helloMemory);
          hello.runs.add(helloRun);
          runs.put(ColdStartReport.HELLO, helloRun);
          if (javaVersion == null) {
            javaVersion = chain.lastJavaVersion();
          }
          chain.functions(run, measured, runs);
          out.println(progress(run, options.runs(), runs));
          out.flush();
        }
      }
      report.describe("load average after", loadAverage());
      report.describe("function JVMs' Java", javaVersion);
      out.println();
      out.print(report.table());
      out.println();
      out.println(
          "init = spawn to a constructed handler with its serializers (Lambda's Init Duration),"
              + " of which jvm = spawn to the runtime's main and ctor = class loading and the"
              + " constructor; total = init + first invoke; medians of each column; no SnapStart"
              + " snapshot (the worst case).");
      if (options.out() != null) {
        report.write(options.out());
        out.println("coldstart: wrote " + options.out().resolve("coldstart.json") + " and .md");
      }
      if (!report.allServed()) {
        err.println("coldstart: not every JVM served its event; see the logs under " + keep);
        return EXIT_FAILED;
      }
      out.println(
          "coldstart: goals " + (report.goalsMet() ? "met" : "NOT met") + " (see the table)");
      return 0;
    }
  }

  /**
   * Sets the stage with the in-process functions' log lines (JSON on stdout and stderr, as on
   * Lambda) sent to {@code log}, so the console shows the command's own lines.
   */
  private static Stage quietly(Path log, PrintStream err, Domain domain, ColdStartChain coldStart)
      throws Exception {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    try (PrintStream logs =
        new PrintStream(
            Files.newOutputStream(log), true, java.nio.charset.StandardCharsets.UTF_8)) {
      System.setOut(logs);
      System.setErr(logs);
      try {
        return Stage.start(Topology.of(domain), domain, coldStart);
      } catch (Exception | Error e) {
        err.println("coldstart: setting up failed; the functions' log is " + log);
        throw e;
      } finally {
        System.setOut(stdout);
        System.setErr(stderr);
      }
    }
  }

  private static String progress(int run, int of, Map<String, ColdStartReport.Run> runs) {
    List<String> parts = new ArrayList<>();
    runs.forEach(
        (id, r) ->
            parts.add(
                r.ok()
                    ? String.format(
                        Locale.ROOT,
                        "%s %.0f+%.0f ms (%s)",
                        id,
                        r.initMillis(),
                        r.invokeMillis(),
                        r.served())
                    : id + " FAILED (" + r.problem().lines().findFirst().orElse("") + ")"));
    return String.format("run %d/%d: %s", run, of, String.join(" | ", parts));
  }

  /** The runs' links: each function's event comes from what the one before it did. */
  private static final class Chain {
    private final Stage stage;
    private final ColdStartChain coldStart;
    private final LambdaSandbox sandbox;
    private final Roles roles;
    private final Path keep;
    private final Path work;
    private final Path functionsRoot;
    private String lastJavaVersion;

    Chain(
        Stage stage,
        ColdStartChain coldStart,
        LambdaSandbox sandbox,
        Roles roles,
        Path keep,
        Path work,
        Path functionsRoot) {
      this.stage = stage;
      this.coldStart = coldStart;
      this.sandbox = sandbox;
      this.roles = roles;
      this.keep = keep;
      this.work = work;
      this.functionsRoot = functionsRoot;
    }

    ColdStartReport.Run hello(int run, Path helloRoot, int memoryMb) throws Exception {
      LambdaSandbox.Measured m =
          launch(
              run,
              ColdStartReport.HELLO,
              HelloHandler.class.getName(),
              helloRoot,
              memoryMb,
              10,
              Map.of(),
              HELLO_EVENT);
      if (!m.ok()) {
        return ColdStartReport.Run.of(run, m, null, m.error());
      }
      String expected = JSON.writeValueAsString(HelloHandler.ANSWER);
      return expected.equals(m.response())
          ? ColdStartReport.Run.of(run, m, "answered", null)
          : ColdStartReport.Run.of(run, m, null, "answered " + m.response());
    }

    void functions(
        int run,
        Map<String, ColdStartReport.Function> measured,
        Map<String, ColdStartReport.Run> runs)
        throws Exception {
      String why = null;

      // 1. The domain's command (a guest books two nights).
      FunctionSpec book = roles.book();
      ColdStartChain.Request command = coldStart.command(run);
      LambdaSandbox.Measured m = launch(run, book, http(command));
      JsonNode booked = null;
      ColdStartReport.Run r;
      if (!m.ok()) {
        r = ColdStartReport.Run.of(run, m, null, m.error());
      } else {
        JsonNode response = JSON.readTree(m.response());
        int status = response.path("statusCode").asInt();
        booked = status == 202 ? JSON.readTree(response.path("body").asText("{}")) : null;
        r =
            booked != null && booked.hasNonNull("commandId")
                ? ColdStartReport.Run.of(run, m, "202", null)
                : ColdStartReport.Run.of(run, m, null, "answered " + m.response());
      }
      record(measured, runs, book, r);
      if (!r.ok()) {
        why = "the command failed";
      }

      // 2. The command handler gets the message the booking put on the command queue.
      FunctionSpec consume = roles.consume();
      FirstEvents.StreamPosition position = null;
      if (why == null) {
        FirstEvents.Received received;
        try {
          received =
              FirstEvents.sqs(
                  stage.sqs(),
                  stage.resources().queueUrl(roles.queue().queueId()),
                  stage.resources().queueArn(roles.queue().queueId()),
                  roles.queue().batchSize());
          position =
              FirstEvents.latest(
                  stage.streams(), stage.resources().streamArn(roles.stream().tableId()));
        } catch (RuntimeException e) {
          received = new FirstEvents.Received(null, List.of());
          r = ColdStartReport.Run.skipped(run, "no SQS event: " + e.getMessage());
        }
        String commandId = booked.path("commandId").asText();
        try {
          // Without a position the step above failed, and r says why.
          if (position != null
              && (received.messages().size() != 1
                  || !received.messages().get(0).body().contains(commandId))) {
            r =
                ColdStartReport.Run.skipped(
                    run,
                    "the command queue held "
                        + received.messages().size()
                        + " message(s), not the run's command "
                        + commandId);
          } else if (position != null) {
            m = launch(run, consume, received.event());
            r = batchRun(run, m, 1, "message");
          }
        } finally {
          stage.deleteAll(stage.resources().queueUrl(roles.queue().queueId()), received.messages());
        }
      } else {
        r = ColdStartReport.Run.skipped(run, "skipped: " + why);
      }
      record(measured, runs, consume, r);
      if (why == null && !r.ok()) {
        why = "the command handler failed";
      }

      // 3. The projector gets the stream records the command handler appended.
      FunctionSpec project = roles.project();
      String publisherEvent = null;
      if (why == null) {
        String event;
        try {
          List<String> filters = new ArrayList<>();
          filters.add(roles.stream().filterPattern());
          if (roles.publish() != null) {
            filters.add(roles.published().filterPattern());
          }
          List<String> events = FirstEvents.read(stage.streams(), position, filters);
          event = events.get(0);
          publisherEvent = roles.publish() != null ? events.get(1) : null;
        } catch (RuntimeException e) {
          event = null;
          r = ColdStartReport.Run.skipped(run, "no stream event: " + e.getMessage());
        }
        if (event != null) {
          m = launch(run, project, event);
          r = batchRun(run, m, FirstEvents.records(event), "record");
        }
      } else {
        r = ColdStartReport.Run.skipped(run, "skipped: " + why);
      }
      record(measured, runs, project, r);
      String projected = why == null && !r.ok() ? "the projector failed" : why;

      // 4. The command's effect read back: 200 only if the projector wrote it.
      FunctionSpec read = roles.read();
      if (projected == null) {
        m = launch(run, read, http(coldStart.readBack(new Api.Answer(202, booked.toString()))));
        if (!m.ok()) {
          r = ColdStartReport.Run.of(run, m, null, m.error());
        } else {
          int status = JSON.readTree(m.response()).path("statusCode").asInt();
          r =
              status == 200
                  ? ColdStartReport.Run.of(run, m, "200", null)
                  : ColdStartReport.Run.of(run, m, null, "answered " + m.response());
        }
      } else {
        r = ColdStartReport.Run.skipped(run, "skipped: " + projected);
      }
      record(measured, runs, read, r);

      if (roles.publish() == null) {
        return;
      }
      // 5. The publisher gets the same records (its own mapping on the stream) and publishes them:
      // the local bus delivers to the subscribed queues before it answers the publish.
      FunctionSpec publish = roles.publish();
      if (why == null && publisherEvent != null) {
        m = launch(run, publish, publisherEvent);
        r = batchRun(run, m, FirstEvents.records(publisherEvent), "record");
      } else {
        r =
            ColdStartReport.Run.skipped(
                run, why != null ? "skipped: " + why : "no stream event for the publisher");
      }
      record(measured, runs, publish, r);
      if (why == null && !r.ok()) {
        why = "the publisher failed";
      }

      for (Roles.Service service : roles.services()) {
        services(run, service, booked, why, measured, runs);
      }
    }

    /**
     * 6. A subscriber service's consumer gets what the bus delivered to its queue from the
     * publisher's run, and 7. its API shows the command's effect only if the consumer applied it.
     */
    private void services(
        int run,
        Roles.Service service,
        JsonNode booked,
        String why,
        Map<String, ColdStartReport.Function> measured,
        Map<String, ColdStartReport.Run> runs)
        throws Exception {
      ColdStartReport.Run r;
      if (why == null) {
        String queueUrl = stage.resources().queueUrl(service.queue().queueId());
        FirstEvents.Received received = null;
        try {
          received =
              FirstEvents.sqs(
                  stage.sqs(),
                  queueUrl,
                  stage.resources().queueArn(service.queue().queueId()),
                  service.queue().batchSize());
          LambdaSandbox.Measured m = launch(run, service.consume(), received.event());
          r = batchRun(run, m, received.messages().size(), "message");
        } catch (RuntimeException e) {
          r = ColdStartReport.Run.skipped(run, "no SQS event: " + e.getMessage());
        } finally {
          if (received != null) {
            stage.deleteAll(queueUrl, received.messages());
          }
        }
      } else {
        r = ColdStartReport.Run.skipped(run, "skipped: " + why);
      }
      record(measured, runs, service.consume(), r);
      if (why == null && !r.ok()) {
        why = "the " + service.consume().id() + " consumer failed";
      }

      String serviceId = service.consume().id();
      if (why == null) {
        Api.Answer accepted = new Api.Answer(202, booked.toString());
        LambdaSandbox.Measured m =
            launch(run, service.api(), http(coldStart.serviceReadBack(serviceId, accepted)));
        if (!m.ok()) {
          r = ColdStartReport.Run.of(run, m, null, m.error());
        } else {
          JsonNode response = JSON.readTree(m.response());
          int status = response.path("statusCode").asInt();
          r =
              status == 200
                      && coldStart.serviceShows(
                          serviceId, accepted, response.path("body").asText(""))
                  ? ColdStartReport.Run.of(run, m, "200", null)
                  : ColdStartReport.Run.of(
                      run, m, null, "answered without the command's effect: " + m.response());
        }
      } else {
        r = ColdStartReport.Run.skipped(run, "skipped: " + why);
      }
      record(measured, runs, service.api(), r);
    }

    /** An API request of the chain as API Gateway hands it over. */
    private static String http(ColdStartChain.Request r) throws IOException {
      return FirstEvents.http(
          r.routeKey(),
          r.path(),
          r.pathParameters(),
          r.body(),
          new FirstEvents.Caller(r.caller().sub(), r.caller().groups()),
          now());
    }

    private static void record(
        Map<String, ColdStartReport.Function> measured,
        Map<String, ColdStartReport.Run> runs,
        FunctionSpec f,
        ColdStartReport.Run r) {
      measured.get(f.id()).runs.add(r);
      runs.put(f.id(), r);
    }

    /** A batch function served its event when it reported no item failures. */
    private static ColdStartReport.Run batchRun(
        int run, LambdaSandbox.Measured m, int items, String what) throws IOException {
      if (!m.ok()) {
        return ColdStartReport.Run.of(run, m, null, m.error());
      }
      JsonNode response = JSON.readTree(m.response());
      JsonNode failures = response.path("batchItemFailures");
      if (!failures.isArray()) {
        return ColdStartReport.Run.of(run, m, null, "answered " + m.response());
      }
      if (failures.size() > 0) {
        return ColdStartReport.Run.of(
            run, m, null, failures.size() + " of " + items + " " + what + "s failed");
      }
      return ColdStartReport.Run.of(
          run, m, items + " " + what + (items == 1 ? "" : "s") + ", 0 failures", null);
    }

    private LambdaSandbox.Measured launch(int run, FunctionSpec f, String event) throws Exception {
      return launch(
          run,
          f.id(),
          f.handler(),
          functionsRoot,
          f.memoryMb(),
          f.timeoutSeconds(),
          stage.environment(f),
          event);
    }

    private LambdaSandbox.Measured launch(
        int run,
        String id,
        String handler,
        Path taskRoot,
        int memoryMb,
        int timeoutSeconds,
        Map<String, String> functionEnvironment,
        String event)
        throws Exception {
      String name = run == 0 ? "warm-up-" + id : String.format("run-%d-%s", run, id);
      Path eventFile = keep.resolve("events").resolve(name + ".json");
      Files.writeString(eventFile, event);
      Map<String, String> env =
          lambdaEnvironment(id, handler, memoryMb, timeoutSeconds, taskRoot, functionEnvironment);
      LambdaSandbox.Measured measured =
          sandbox.run(
              new LambdaSandbox.Launch(
                  id,
                  handler,
                  taskRoot,
                  memoryMb,
                  timeoutSeconds,
                  env,
                  eventFile,
                  work.resolve("results").resolve(name + ".json"),
                  keep.resolve("logs").resolve(name + ".log")));
      if (measured.javaVersion() != null) {
        lastJavaVersion = measured.javaVersion();
      }
      return measured;
    }

    String lastJavaVersion() {
      return lastJavaVersion;
    }

    /** The variables Lambda sets in a function's environment, then the function's own. */
    private Map<String, String> lambdaEnvironment(
        String id,
        String handler,
        int memoryMb,
        int timeoutSeconds,
        Path taskRoot,
        Map<String, String> functionEnvironment) {
      String name = PhysicalNames.function(id);
      Map<String, String> env = new TreeMap<>();
      env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
      env.put("LANG", "en_US.UTF-8");
      env.put("TZ", ":UTC");
      env.put("_HANDLER", handler);
      env.put("LAMBDA_TASK_ROOT", taskRoot.toAbsolutePath().toString());
      env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
      env.put("AWS_LAMBDA_FUNCTION_NAME", name);
      env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
      env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
      env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
      env.put("AWS_LAMBDA_LOG_STREAM_NAME", "coldstart/[$LATEST]" + id);
      env.put("AWS_REGION", LocalAws.REGION);
      env.put("AWS_DEFAULT_REGION", LocalAws.REGION);
      env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
      env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
      env.put("COLDSTART_TIMEOUT_S", Integer.toString(timeoutSeconds));
      env.put("COLDSTART_FUNCTION_ARN", LocalAws.functionArn(name));
      env.putAll(stage.endpointEnvironment());
      env.putAll(functionEnvironment);
      return env;
    }

    private static Instant now() {
      return Instant.now();
    }
  }

  /** The system load average, as a sign of how busy the machine was. */
  private static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
  }

  /**
   * Where {@code mvn package} leaves the functions jar, looked up from the working directory and
   * from where this class was loaded (the local jar, or the module's classes).
   */
  static Optional<Path> findFunctionsJar() {
    List<Path> candidates = new ArrayList<>();
    Path relative = Path.of("functions", "target", "innkeeper-functions.jar");
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      candidates.add(p.resolve(relative));
    }
    try {
      Path here =
          Path.of(
              ColdStartCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = Files.isDirectory(here) ? here : here.getParent();
      candidates.add(dir.resolve("innkeeper-functions.jar"));
      for (Path p = dir; p != null; p = p.getParent()) {
        candidates.add(p.resolve(relative));
      }
    } catch (URISyntaxException | RuntimeException e) {
      // No code source: only the working directory counts.
    }
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Best effort: it is a temporary directory.
                }
              });
    } catch (IOException e) {
      // Best effort.
    }
  }
}
