package io.innkeeper.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The operator tool's jar, as the package phase shaded it: it runs against AWS without carrying the
 * local runtime's emulators (DynamoDB Local, ElasticMQ, the Pekko it runs on, the SQLite DynamoDB
 * Local stores in), and {@code java -jar innkeeper-ops.jar} starts its command line.
 */
class OpsJarIT {
  /** The jar the package phase builds, relative to the module (failsafe's working directory). */
  static final Path JAR = Path.of("target", "innkeeper-ops.jar");

  /** What each emulator's classes start with, by what they are. */
  static final Map<String, String> EMULATORS =
      Map.of(
          "com/amazonaws/services/dynamodbv2/local/", "DynamoDB Local",
          "org/elasticmq/", "ElasticMQ",
          "org/apache/pekko/", "Pekko",
          "com/almworks/sqlite4java/", "sqlite4java",
          "org/eclipse/jetty/", "Jetty (DynamoDB Local's server)");

  @Test
  void the_jar_carries_no_emulator() throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is missing");
    List<String> found = new ArrayList<>();
    int classes = 0;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      var entries = jar.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        classes += name.endsWith(".class") ? 1 : 0;
        EMULATORS.forEach(
            (prefix, what) -> {
              if (name.startsWith(prefix) && !found.contains(what)) {
                found.add(what);
              }
            });
        if (name.contains("sqlite4java") && name.endsWith(".so") && !found.contains("SQLite")) {
          found.add("SQLite");
        }
      }
      assertEquals(List.of(), found, "the operator tool's jar carries emulators");
      assertTrue(
          jar.getEntry("io/innkeeper/ops/RedriveCommand.class") != null
              && jar.getEntry("software/amazon/awssdk/services/dynamodb/DynamoDbClient.class")
                  != null,
          "it carries its own code and the SDK");
      assertEquals(
          "io.innkeeper.ops.OpsMain",
          jar.getManifest().getMainAttributes().getValue("Innkeeper-Main"));
    }
    assertTrue(classes > 1000, "a shaded jar, not the module's own: " + classes + " classes");
  }

  @Test
  void java_dash_jar_starts_the_command_line() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-jar", JAR.toAbsolutePath().toString(), "--help")
            .redirectErrorStream(true)
            .start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "it exits");
    assertEquals(0, p.exitValue(), said);
    assertTrue(said.contains("Usage: innkeeper-ops"), said);
    assertTrue(said.contains("redrive") && said.contains("smoke"), said);
  }
}
