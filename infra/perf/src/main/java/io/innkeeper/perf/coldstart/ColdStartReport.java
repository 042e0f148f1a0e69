package io.innkeeper.perf.coldstart;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.innkeeper.client.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of a {@code coldstart} run: per function, each run's timings and the medians, the
 * ratio to the hello-world floor and the artifact size, each against its goal; rendered as a
 * console table, JSON and Markdown.
 */
final class ColdStartReport {

  /** A function's init plus first invoke may take at most this many times the hello-world's. */
  static final double MAX_RATIO = 2.5;

  /** A function's artifact may be at most this many bytes (12 MB, decimal). */
  static final long MAX_ARTIFACT_BYTES = 12_000_000L;

  static final String HELLO = "hello-world";

  private static final ObjectWriter JSON = Json.MAPPER.writerWithDefaultPrettyPrinter();

  /**
   * One cold start of one function.
   *
   * @param served what shows the function really served its event (e.g. {@code 202}); {@code null}
   *     when it did not
   * @param problem why the run does not count, or {@code null}
   */
  record Run(
      int run,
      double jvmMillis,
      double handlerInitMillis,
      double constructMillis,
      double invokeMillis,
      double processMillis,
      String served,
      String problem) {

    static Run of(int run, LambdaSandbox.Measured m, String served, String problem) {
      return new Run(
          run,
          m.jvmMillis(),
          m.handlerInitMillis(),
          m.constructMillis(),
          m.invokeMillis(),
          m.processMillis(),
          served,
          problem);
    }

    /** A run that could not take place, e.g. because an earlier link of the chain failed. */
    static Run skipped(int run, String why) {
      return new Run(run, -1, -1, -1, -1, -1, null, why);
    }

    double initMillis() {
      return jvmMillis + handlerInitMillis;
    }

    double totalMillis() {
      return initMillis() + invokeMillis;
    }

    boolean ok() {
      return problem == null;
    }
  }

  /** One function's runs. */
  static final class Function {
    final String id;
    final String handler;
    final int memoryMb;
    final Path artifact;
    final long artifactBytes;
    final String firstEvent;
    final List<Run> runs = new ArrayList<>();

    Function(
        String id,
        String handler,
        int memoryMb,
        Path artifact,
        long artifactBytes,
        String firstEvent) {
      this.id = id;
      this.handler = handler;
      this.memoryMb = memoryMb;
      this.artifact = artifact;
      this.artifactBytes = artifactBytes;
      this.firstEvent = firstEvent;
    }

    List<Run> okRuns() {
      return runs.stream().filter(Run::ok).toList();
    }

    double medianJvm() {
      return median(okRuns().stream().mapToDouble(Run::jvmMillis).toArray());
    }

    double medianHandlerInit() {
      return median(okRuns().stream().mapToDouble(Run::handlerInitMillis).toArray());
    }

    double medianConstruct() {
      return median(okRuns().stream().mapToDouble(Run::constructMillis).toArray());
    }

    double medianInit() {
      return median(okRuns().stream().mapToDouble(Run::initMillis).toArray());
    }

    double medianInvoke() {
      return median(okRuns().stream().mapToDouble(Run::invokeMillis).toArray());
    }

    /** The median of each run's init + first invoke (not the sum of the two medians). */
    double medianTotal() {
      return median(okRuns().stream().mapToDouble(Run::totalMillis).toArray());
    }

    boolean allServed() {
      return !runs.isEmpty() && runs.stream().allMatch(Run::ok);
    }
  }

  private final List<Function> functions = new ArrayList<>();
  private final Map<String, Object> environment = new LinkedHashMap<>();
  private final int runs;

  ColdStartReport(int runs) {
    this.runs = runs;
  }

  Function add(Function function) {
    functions.add(function);
    return function;
  }

  List<Function> functions() {
    return List.copyOf(functions);
  }

  /** Facts about where the numbers come from (machine, JVM options), for the JSON and Markdown. */
  void describe(String name, Object value) {
    environment.put(name, value);
  }

  Function hello() {
    return functions.stream()
        .filter(f -> f.id.equals(HELLO))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no hello-world measurements"));
  }

  /** The function's median total over the hello-world's; NaN when either has no good run. */
  double ratio(Function f) {
    double floor = hello().medianTotal();
    double total = f.medianTotal();
    return Double.isNaN(floor) || Double.isNaN(total) || floor <= 0 ? Double.NaN : total / floor;
  }

  boolean ratioMet(Function f) {
    double ratio = ratio(f);
    return !Double.isNaN(ratio) && ratio <= MAX_RATIO;
  }

  boolean sizeMet(Function f) {
    return f.artifactBytes <= MAX_ARTIFACT_BYTES;
  }

  /** Every run of every function served its event. */
  boolean allServed() {
    return !functions.isEmpty() && functions.stream().allMatch(Function::allServed);
  }

  /** Every function (hello-world aside) meets both goals. */
  boolean goalsMet() {
    return functions.stream()
        .filter(f -> !f.id.equals(HELLO))
        .allMatch(f -> ratioMet(f) && sizeMet(f));
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** The summary table for the console. */
  String table() {
    // As wide as the longest id, so a subscriber service's API (e.g. guest-messages-api) aligns.
    int width = "function".length();
    for (Function f : functions) {
      width = Math.max(width, f.id.length());
    }
    String idColumn = "%-" + width + "s";
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            idColumn + " %14s %8s %7s %7s %8s %9s %8s  %s%n",
            "function",
            "artifact bytes",
            "init ms",
            "(jvm)",
            "(ctor)",
            "1st inv",
            "total ms",
            "x hello",
            "goal (<= " + MAX_RATIO + "x hello, <= 12 MB)"));
    for (Function f : functions) {
      b.append(
          String.format(
              Locale.ROOT,
              idColumn + " %,14d %8s %7s %7s %8s %9s %8s  %s%n",
              f.id,
              f.artifactBytes,
              millis(f.medianInit()),
              millis(f.medianJvm()),
              millis(f.medianConstruct()),
              millis(f.medianInvoke()),
              millis(f.medianTotal()),
              ratioText(f),
              verdict(f)));
    }
    return b.toString();
  }

  private String ratioText(Function f) {
    double ratio = ratio(f);
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  /** "met", or what is missed; hello-world is the floor itself. */
  String verdict(Function f) {
    if (f.id.equals(HELLO)) {
      return "(floor)";
    }
    List<String> missed = new ArrayList<>();
    if (!f.allServed()) {
      missed.add(f.okRuns().size() + "/" + f.runs.size() + " runs served");
    }
    if (!ratioMet(f)) {
      missed.add("ratio " + ratioText(f) + " > " + MAX_RATIO);
    }
    if (!sizeMet(f)) {
      missed.add(String.format(Locale.ROOT, "%,d B > 12 MB", f.artifactBytes));
    }
    return missed.isEmpty() ? "met" : "MISSED: " + String.join("; ", missed);
  }

  private static String millis(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
  }

  private static Double rounded(double value) {
    return Double.isNaN(value) ? null : Math.round(value * 10) / 10.0;
  }

  /** Everything measured, as JSON. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("runs", runs);
    json.put(
        "goals", Map.of("maxRatioToHelloWorld", MAX_RATIO, "maxArtifactBytes", MAX_ARTIFACT_BYTES));
    json.put("environment", environment);
    List<Object> list = new ArrayList<>();
    for (Function f : functions) {
      Map<String, Object> fn = new LinkedHashMap<>();
      fn.put("function", f.id);
      fn.put("handler", f.handler);
      fn.put("memoryMb", f.memoryMb);
      fn.put("artifact", f.artifact.toAbsolutePath().toString());
      fn.put("artifactBytes", f.artifactBytes);
      fn.put("firstEvent", f.firstEvent);
      fn.put("medianJvmMs", rounded(f.medianJvm()));
      fn.put("medianHandlerInitMs", rounded(f.medianHandlerInit()));
      fn.put("medianConstructorMs", rounded(f.medianConstruct()));
      fn.put("medianInitMs", rounded(f.medianInit()));
      fn.put("medianFirstInvokeMs", rounded(f.medianInvoke()));
      fn.put("medianTotalMs", rounded(f.medianTotal()));
      double ratio = ratio(f);
      fn.put("ratioToHelloWorld", Double.isNaN(ratio) ? null : Math.round(ratio * 100) / 100.0);
      fn.put("ratioGoalMet", f.id.equals(HELLO) ? null : ratioMet(f));
      fn.put("sizeGoalMet", f.id.equals(HELLO) ? null : sizeMet(f));
      fn.put("allServed", f.allServed());
      List<Object> runList = new ArrayList<>();
      for (Run r : f.runs) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("run", r.run());
        run.put("served", r.served());
        if (r.problem() != null) {
          run.put("problem", r.problem());
        }
        if (r.jvmMillis() >= 0) {
          run.put("jvmMs", rounded(r.jvmMillis()));
          run.put("handlerInitMs", rounded(r.handlerInitMillis()));
          run.put("constructorMs", rounded(r.constructMillis()));
          run.put("initMs", rounded(r.initMillis()));
          run.put("firstInvokeMs", rounded(r.invokeMillis()));
          run.put("totalMs", rounded(r.totalMillis()));
          run.put("processMs", rounded(r.processMillis()));
        }
        runList.add(run);
      }
      fn.put("runs", runList);
      list.add(fn);
    }
    json.put("functions", list);
    json.put("allServed", allServed());
    json.put("goalsMet", goalsMet());
    return json;
  }

  /** The report as Markdown, with how it was measured and what it does not show. */
  String toMarkdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Cold starts\n\n");
    b.append(
        "Each function started in a fresh JVM the way Lambda's Java runtime starts it (class path"
            + " of the runtime libraries, function code unpacked into a task root and loaded by"
            + " its own class loader, Lambda's JVM options for the function's memory size), then"
            + " given one realistic first event against the local DynamoDB and SQS emulators. "
            + "A hello-world Java handler, started and timed the same way in the same run, is the"
            + " floor.\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Medians of %d run%s. Goals: init + first invoke at most %.1f x the hello-world's;"
                + " artifact at most 12 MB (12,000,000 bytes).%n%n",
            runs,
            runs == 1 ? "" : "s",
            MAX_RATIO));
    b.append(
        "| function | artifact bytes | init ms | JVM ms | constructor ms | serializers ms |"
            + " first invoke ms | total ms | x hello-world | goal |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Function f : functions) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
              f.id,
              f.artifactBytes,
              millis(f.medianInit()),
              millis(f.medianJvm()),
              millis(f.medianConstruct()),
              millis(f.medianHandlerInit() - f.medianConstruct()),
              millis(f.medianInvoke()),
              millis(f.medianTotal()),
              ratioText(f),
              verdict(f)));
    }
    b.append("\n## What the columns mean\n\n");
    b.append(
        "- **init**: from spawning the JVM until the handler's constructor has returned and the"
            + " event serializers are built: what Lambda reports as *Init Duration*. It is the"
            + " sum of *JVM* (spawn to the runtime's `main`), *constructor* (the function's class"
            + " loader, loading the handler class and running its constructor) and *serializers*"
            + " (Lambda's serializers for the handler's input and output types); each column is"
            + " a median of its own, so they need not add up exactly.\n");
    b.append(
        "- **first invoke**: reading the event with Lambda's serializer, `handleRequest`"
            + " (with its real SDK calls to the emulators), writing the response: the first"
            + " invoke's *Duration*.\n");
    b.append(
        "- **x hello-world**: the function's median init + first invoke over the hello-world's.\n");
    b.append(
        "- **artifact**: the deployed jar (the Lambda runtime libraries are the managed"
            + " runtime's and not counted; the events library is in the artifact).\n\n");
    b.append("## First events\n\n");
    for (Function f : functions) {
      b.append("- `").append(f.id).append("`: ").append(f.firstEvent).append('\n');
    }
    b.append("\n## SnapStart\n\n");
    b.append(
        "On AWS the functions run with SnapStart: Lambda initializes a version once, runs the"
            + " handlers' priming (`core/Priming`, CRaC `Resource`s: synthetic requests and"
            + " read-only calls) and snapshots the JVM; a cold start then restores that snapshot"
            + " instead of running init. These numbers are the cold start **without** a"
            + " snapshot: the worst case (a new version's first environments, or SnapStart off),"
            + " which is exactly the cost SnapStart hides. They are not what a client sees on a"
            + " SnapStart restore.\n\n");
    b.append("## Where it ran\n\n");
    environment.forEach(
        (name, value) -> b.append("- ").append(name).append(": `").append(value).append("`\n"));
    b.append(
        "\nLocal numbers are relative: CPU is not throttled as Lambda throttles a 1024 MB function"
            + " (about 0.6 vCPU), the emulators answer faster and slower than AWS in places, and"
            + " other work on the machine moves every number. The ratio to the hello-world"
            + " floor, measured in the same run, is the figure to compare.\n\n");
    b.append("## Every run\n\n");
    b.append(
        "| function | run | init ms | JVM ms | first invoke ms | total ms | served |\n"
            + "|---|---:|---:|---:|---:|---:|---|\n");
    for (Function f : functions) {
      for (Run r : f.runs) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %s | %s | %s | %s |%n",
                f.id,
                r.run(),
                r.jvmMillis() < 0 ? "-" : millis(r.initMillis()),
                r.jvmMillis() < 0 ? "-" : millis(r.jvmMillis()),
                r.jvmMillis() < 0 ? "-" : millis(r.invokeMillis()),
                r.jvmMillis() < 0 ? "-" : millis(r.totalMillis()),
                r.ok() ? r.served() : "**no**: " + oneLine(r.problem())));
      }
    }
    return b.toString();
  }

  private static String oneLine(String s) {
    String first = s == null ? "" : s.lines().findFirst().orElse("");
    return first.replace("|", "\\|");
  }

  /** Writes {@code coldstart.json} and {@code coldstart.md} into {@code dir}. */
  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("coldstart.json").toFile(), toJson());
    Files.writeString(dir.resolve("coldstart.md"), toMarkdown());
  }
}
