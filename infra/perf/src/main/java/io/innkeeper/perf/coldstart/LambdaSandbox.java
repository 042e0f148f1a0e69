package io.innkeeper.perf.coldstart;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.client.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The parent side of a measurement: lays out what Lambda's Java runtime would have (the runtime's
 * own jar, each function's code unpacked into a task root), starts one fresh JVM per measurement
 * with {@link ColdStartBootstrap} as its main class, and reads back what it measured.
 */
final class LambdaSandbox {

  private static final ObjectMapper JSON = Json.MAPPER;

  /** Classes the managed runtime provides: {@code aws-lambda-java-core} and its serialization. */
  private static final String RUNTIME_PACKAGE = "com/amazonaws/services/lambda/runtime/";

  /** The events library is the function's own (it is in the artifact), not the runtime's. */
  private static final String EVENTS_PACKAGE = RUNTIME_PACKAGE + "events/";

  /** The serialization library's relocated Jackson, Gson, Joda-Time and org.json. */
  private static final String SERIALIZATION_THIRD_PARTY = "com/amazonaws/lambda/thirdparty/";

  /** Fixed entry times, so two builds of a helper jar are byte-identical. */
  private static final long ENTRY_TIME = 315_532_800_000L; // 1980-01-01T00:00:00Z

  private final String java;
  private final Path runtimeJar;
  private final List<String> extraJvmOptions;

  /**
   * @param java the {@code java} launcher the children run on
   * @param runtimeJar the jar built by {@link #buildRuntimeJar}
   * @param extraJvmOptions options appended after Lambda's (e.g. {@code -Xlog:class+load})
   */
  LambdaSandbox(String java, Path runtimeJar, List<String> extraJvmOptions) {
    this.java = java;
    this.runtimeJar = runtimeJar;
    this.extraJvmOptions = List.copyOf(extraJvmOptions);
  }

  /** The {@code java} this JVM runs on. */
  static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The options Lambda's Java runtime starts its JVM with, for a function of {@code memoryMb}: heap
   * 85 %, metaspace 10 % and code cache 5 % of the memory, the serial collector, class data
   * sharing, and (the default since the java17 runtime) tiered compilation stopped at C1.
   */
  static List<String> lambdaJvmOptions(int memoryMb) {
    long kb = memoryMb * 1024L;
    return List.of(
        // Lambda's own line for 256 MB reads 222823k, 26214k, 13107k: the heap rounded up.
        "-XX:MaxHeapSize=" + ((kb * 85 + 99) / 100) + "k",
        "-XX:MaxMetaspaceSize=" + (kb * 10 / 100) + "k",
        "-XX:ReservedCodeCacheSize=" + (kb * 5 / 100) + "k",
        "-XX:+UseSerialGC",
        "-Xshare:auto",
        "-XX:+TieredCompilation",
        "-XX:TieredStopAtLevel=1",
        "-Djava.net.preferIPv4Stack=true");
  }

  /**
   * Builds the runtime's jar: {@link ColdStartBootstrap} and the Lambda runtime libraries, copied
   * from wherever this JVM loaded them (the library jars, or the shaded local jar).
   */
  static Path buildRuntimeJar(Path jar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (Class<?> provided : List.of(RequestHandler.class, LambdaEventSerializers.class)) {
      copyRuntimeLibrary(codeSource(provided), entries);
    }
    for (Class<?> c : ColdStartBootstrap.class.getNestMembers()) {
      entries.put(classFile(c), classBytes(c));
    }
    if (!entries.containsKey(classFile(RequestHandler.class))
        || !entries.containsKey(classFile(LambdaEventSerializers.class))) {
      throw new IllegalStateException(
          "the Lambda runtime libraries were not found on the class path");
    }
    writeJar(jar, entries);
    return jar;
  }

  /** A jar holding only {@link HelloHandler}: the hello-world function's whole artifact. */
  static Path buildHelloJar(Path jar) throws IOException {
    writeJar(jar, Map.of(classFile(HelloHandler.class), classBytes(HelloHandler.class)));
    return jar;
  }

  /**
   * Unpacks an artifact into a task root, as Lambda unpacks a jar into {@code /var/task}; an
   * existing task root of the same artifact is used again.
   */
  static Path unpack(Path artifact, Path taskRoot) throws IOException {
    Path done = taskRoot.resolve(".unpacked");
    if (Files.exists(done)) {
      return taskRoot;
    }
    Files.createDirectories(taskRoot);
    Path root = taskRoot.toAbsolutePath().normalize();
    try (ZipFile zip = new ZipFile(artifact.toFile())) {
      var entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("entry outside the task root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.writeString(done, artifact.toAbsolutePath().toString());
    return taskRoot;
  }

  /** One cold start to measure. */
  record Launch(
      String name,
      String handler,
      Path taskRoot,
      int memoryMb,
      int timeoutSeconds,
      Map<String, String> environment,
      Path eventFile,
      Path resultFile,
      Path logFile) {}

  /**
   * What one cold start measured.
   *
   * @param jvmMillis from spawning the process to the bootstrap's {@code main}
   * @param handlerInitMillis from {@code main} to a constructed handler with its serializers
   * @param constructMillis the part of it until the constructor returned (class loading included);
   *     the rest is building the event serializers
   * @param invokeMillis the first invoke: event read, {@code handleRequest}, response written
   * @param processMillis from spawning the process to its exit, for reference
   * @param response the response JSON, or {@code null} after an error
   * @param error what failed, or {@code null}
   */
  record Measured(
      double jvmMillis,
      double handlerInitMillis,
      double constructMillis,
      double invokeMillis,
      double processMillis,
      String response,
      String error,
      String javaVersion) {

    /** Lambda's Init Duration: the JVM's start-up and the handler's construction. */
    double initMillis() {
      return jvmMillis + handlerInitMillis;
    }

    double totalMillis() {
      return initMillis() + invokeMillis;
    }

    boolean ok() {
      return error == null;
    }
  }

  /** The command line of a launch, without the environment. */
  List<String> command(Launch launch) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(lambdaJvmOptions(launch.memoryMb()));
    command.addAll(extraJvmOptions);
    command.add("-cp");
    command.add(runtimeJar.toAbsolutePath().toString());
    command.add(ColdStartBootstrap.class.getName());
    command.add(launch.taskRoot().toAbsolutePath().toString());
    command.add(launch.eventFile().toAbsolutePath().toString());
    command.add(launch.resultFile().toAbsolutePath().toString());
    return command;
  }

  /** Starts a fresh JVM for {@code launch}, waits for it, and reads its result. */
  Measured run(Launch launch) throws IOException, InterruptedException {
    Files.deleteIfExists(launch.resultFile());
    ProcessBuilder builder = new ProcessBuilder(command(launch));
    builder.environment().clear();
    builder.environment().putAll(launch.environment());
    builder.redirectErrorStream(true);
    builder.redirectOutput(launch.logFile().toFile());
    builder.directory(launch.taskRoot().toFile());

    long spawnedNanos = System.nanoTime();
    Instant spawnedAt = Instant.now();
    Process process = builder.start();
    // Lambda's init limit is 10 s and the function's timeout bounds the invoke; a busy machine
    // gets a generous margin on top.
    long limitSeconds = 120L + launch.timeoutSeconds();
    if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      return failed(
          "the JVM did not finish within " + limitSeconds + " s; see " + launch.logFile());
    }
    double processMillis = (System.nanoTime() - spawnedNanos) / 1e6;
    if (!Files.exists(launch.resultFile())) {
      return failed(
          "the JVM exited "
              + process.exitValue()
              + " without a result; see "
              + launch.logFile()
              + ":\n"
              + tail(launch.logFile()));
    }
    JsonNode result = JSON.readTree(launch.resultFile().toFile());
    long mainAtMicros = result.get("mainAtEpochMicros").asLong();
    long spawnedMicros = spawnedAt.getEpochSecond() * 1_000_000L + spawnedAt.getNano() / 1_000;
    String error = text(result, "error");
    long initNanos = result.get("initNanos").asLong();
    long invokeNanos = result.get("invokeNanos").asLong();
    if (error == null && (initNanos < 0 || invokeNanos < 0)) {
      error = "the bootstrap reported no timings";
    }
    return new Measured(
        (mainAtMicros - spawnedMicros) / 1e3,
        initNanos / 1e6,
        result.path("constructNanos").asLong(-1) / 1e6,
        invokeNanos / 1e6,
        processMillis,
        text(result, "response"),
        error,
        text(result, "javaVersion"));
  }

  private static Measured failed(String error) {
    return new Measured(-1, -1, -1, -1, -1, null, error, null);
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("cannot tell where " + c.getName() + " was loaded from", e);
    }
  }

  private static boolean runtimeEntry(String name) {
    return (name.startsWith(RUNTIME_PACKAGE) && !name.startsWith(EVENTS_PACKAGE))
        || name.startsWith(SERIALIZATION_THIRD_PARTY);
  }

  private static void copyRuntimeLibrary(Path source, Map<String, byte[]> entries)
      throws IOException {
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          String name = source.relativize(file).toString().replace('\\', '/');
          if (runtimeEntry(name)) {
            entries.putIfAbsent(name, Files.readAllBytes(file));
          }
        }
      }
      return;
    }
    try (ZipFile zip = new ZipFile(source.toFile())) {
      var all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        if (!entry.isDirectory() && runtimeEntry(entry.getName())) {
          try (InputStream in = zip.getInputStream(entry)) {
            entries.putIfAbsent(entry.getName(), in.readAllBytes());
          }
        }
      }
    }
  }

  static String classFile(Class<?> c) {
    return c.getName().replace('.', '/') + ".class";
  }

  static byte[] classBytes(Class<?> c) throws IOException {
    try (InputStream in = c.getClassLoader().getResourceAsStream(classFile(c))) {
      if (in == null) {
        throw new IllegalStateException("no class file for " + c.getName());
      }
      return in.readAllBytes();
    }
  }

  static void writeJar(Path jar, Map<String, byte[]> entries) throws IOException {
    Files.createDirectories(jar.toAbsolutePath().getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      JarEntry meta = new JarEntry("META-INF/MANIFEST.MF");
      meta.setTime(ENTRY_TIME);
      out.putNextEntry(meta);
      manifest.write(out);
      out.closeEntry();
      for (String name : new TreeSet<>(entries.keySet())) {
        JarEntry entry = new JarEntry(name);
        entry.setTime(ENTRY_TIME);
        out.putNextEntry(entry);
        out.write(entries.get(name));
        out.closeEntry();
      }
    }
  }
}
