package io.innkeeper.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shaded jar run as a user runs it, in a child JVM: {@code java -jar innkeeper-local.jar --port
 * 0 --no-seed --data-dir DIR}. Its API and DynamoDB endpoints are read from the banner it prints
 * once ready; it can be stopped gracefully or killed with SIGKILL.
 */
final class LocalProcess implements AutoCloseable {
  /**
   * The jar infra/local's package phase builds: where {@value #JAR_PROPERTY} says (infra/e2e's
   * failsafe sets it), else where it lies seen from a sibling module of infra/local.
   */
  static final String JAR_PROPERTY = "innkeeper.it.local.jar";

  static final Path JAR =
      Path.of(System.getProperty(JAR_PROPERTY, "../local/target/innkeeper-local.jar"));

  /**
   * Runs {@code LocalMain} from this classpath instead of the jar (e.g. to try a change without
   * shading a new jar); unset, the jar runs.
   */
  static final String CLASSPATH_PROPERTY = "innkeeper.it.local.classpath";

  private static final Pattern API = Pattern.compile("^\\s+API\\s+(http://\\S+)");
  private static final Pattern DYNAMODB = Pattern.compile("^\\s+DynamoDB\\s+(http://\\S+)");
  private static final Pattern SQS = Pattern.compile("^\\s+SQS\\s+(http://\\S+)");

  private final Process process;
  private final List<String> stdout;
  private final Path stderr;
  private final URI api;
  private final URI dynamoDb;
  private final URI sqs;
  private final long readyMillis;

  private LocalProcess(
      Process process, List<String> stdout, Path stderr, URI[] endpoints, long readyMillis) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.api = endpoints[0];
    this.dynamoDb = endpoints[1];
    this.sqs = endpoints[2];
    this.readyMillis = readyMillis;
  }

  /**
   * Starts the jar with {@code dataDir} and waits for its banner.
   *
   * @param logs where the child's stderr goes (one file per start)
   */
  static LocalProcess start(Path dataDir, Path logs, Duration timeout) throws Exception {
    return start(dataDir, logs, timeout, TimeCompression.none());
  }

  /** Starts the jar with {@code dataDir} and {@code --compress-time}, and waits for its banner. */
  static LocalProcess start(Path dataDir, Path logs, Duration timeout, TimeCompression compression)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("--port", "0", "--no-seed", "--data-dir", dataDir.toAbsolutePath().toString()));
    if (compression.compresses()) {
      args.addAll(List.of("--compress-time", Integer.toString(compression.factor())));
    }
    return start(System.getProperty(CLASSPATH_PROPERTY), args, logs, timeout);
  }

  /**
   * Starts {@code LocalMain} with {@code args} and waits for its banner.
   *
   * @param classpath where {@code LocalMain} and the domains are, or {@code null} for the jar
   */
  static LocalProcess start(String classpath, List<String> args, Path logs, Duration timeout)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    // The test JVM's -XX options (the build's argLine: its JIT and collector), whatever they are.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-XX:"))
        .forEach(command::add);
    if (classpath != null && !classpath.isBlank()) {
      command.addAll(List.of("-cp", classpath, LocalMain.class.getName()));
    } else {
      if (!Files.isRegularFile(JAR)) {
        throw new IllegalStateException(
            JAR.toAbsolutePath() + " is missing: the package phase builds it before the ITs run");
      }
      command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
    }
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectError(logs.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    long started = System.nanoTime();
    Process process = builder.start();
    // Never outlive the test JVM, whatever ends it.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(process::destroyForcibly, "local-process-reaper"));
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<URI[]> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              URI apiUrl = null;
              URI ddb = null;
              URI sqsUrl = null;
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                  Matcher a = API.matcher(line);
                  if (a.find()) {
                    apiUrl = URI.create(a.group(1));
                  }
                  Matcher d = DYNAMODB.matcher(line);
                  if (d.find()) {
                    ddb = URI.create(d.group(1));
                  }
                  Matcher q = SQS.matcher(line);
                  if (q.find()) {
                    sqsUrl = URI.create(q.group(1));
                  }
                  if (line.startsWith("Ctrl-C stops") && apiUrl != null && ddb != null) {
                    ready.complete(new URI[] {apiUrl, ddb, sqsUrl});
                  }
                }
              } catch (IOException e) {
                // The process is gone; what it printed is in lines.
              }
              ready.completeExceptionally(
                  new IllegalStateException("the runtime exited before it was ready"));
            },
            "local-process-stdout");
    reader.setDaemon(true);
    reader.start();
    URI[] endpoints;
    try {
      endpoints = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "innkeeper-local did not start within "
              + timeout.toSeconds()
              + " s; stdout: "
              + lines
              + "; stderr: "
              + tail(logs),
          e);
    }
    return new LocalProcess(
        process, lines, logs, endpoints, (System.nanoTime() - started) / 1_000_000);
  }

  URI api() {
    return api;
  }

  URI dynamoDb() {
    return dynamoDb;
  }

  /** The SQS endpoint, or {@code null} if the banner did not show one. */
  URI sqs() {
    return sqs;
  }

  long pid() {
    return process.pid();
  }

  long readyMillis() {
    return readyMillis;
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * {@code kill -9}: {@link Process#destroyForcibly()} is SIGKILL on Linux, so no shutdown hook
   * runs. Returns the exit code (137 = 128 + SIGKILL).
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for 30 s");
    }
    return process.exitValue();
  }

  /** What the child printed on stderr (its log), the last lines. */
  String log() {
    return tail(stderr);
  }

  List<String> stdout() {
    return List.copyOf(stdout);
  }

  private static String tail(Path file) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops it gracefully (SIGTERM: the shutdown hook closes the runtime), or kills it. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Lines of the child's stderr matching {@code needle}. */
  List<String> logLines(String needle) {
    List<String> found = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
        if (line.contains(needle)) {
          found.add(line);
        }
      }
    } catch (IOException e) {
      // no log, nothing found
    }
    return found;
  }
}
