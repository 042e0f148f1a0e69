package io.innkeeper.perf.coldstart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child side without emulators: real JVMs started the way {@code coldstart} starts them. */
class LambdaSandboxTest {

  @TempDir Path dir;

  @Test
  void lambdas_own_jvm_options_for_256_mb_are_reproduced() {
    // Lambda's java11 runtime started a 256 MB function with -XX:MaxHeapSize=222823k
    // -XX:MaxMetaspaceSize=26214k -XX:ReservedCodeCacheSize=13107k -XX:+UseSerialGC.
    List<String> options = LambdaSandbox.lambdaJvmOptions(256);
    assertTrue(options.contains("-XX:MaxHeapSize=222823k"), options.toString());
    assertTrue(options.contains("-XX:MaxMetaspaceSize=26214k"), options.toString());
    assertTrue(options.contains("-XX:ReservedCodeCacheSize=13107k"), options.toString());
    assertTrue(options.contains("-XX:+UseSerialGC"), options.toString());
    assertTrue(options.contains("-XX:TieredStopAtLevel=1"), options.toString());
    assertTrue(LambdaSandbox.lambdaJvmOptions(1024).contains("-XX:MaxHeapSize=891290k"));
  }

  @Test
  void the_runtime_jar_holds_the_runtime_libraries_and_the_bootstrap_but_no_function_code()
      throws Exception {
    Path jar = LambdaSandbox.buildRuntimeJar(dir.resolve("runtime.jar"));
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream().map(ZipEntry::getName).forEach(names::add);
    }
    assertTrue(names.contains("com/amazonaws/services/lambda/runtime/RequestHandler.class"));
    assertTrue(
        names.contains(
            "com/amazonaws/services/lambda/runtime/serialization/events/LambdaEventSerializers.class"));
    assertTrue(names.contains("io/innkeeper/perf/coldstart/ColdStartBootstrap.class"));
    assertTrue(
        names.contains("io/innkeeper/perf/coldstart/ColdStartBootstrap$HarnessContext.class"));
    List<String> foreign =
        names.stream()
            .filter(
                n ->
                    n.startsWith("com/amazonaws/services/lambda/runtime/events/")
                        || n.startsWith("software/")
                        || (n.startsWith("io/innkeeper/")
                            && !n.startsWith("io/innkeeper/perf/coldstart/ColdStartBootstrap")))
            .toList();
    assertEquals(List.of(), foreign, "the events library and the functions are the artifact's");
    // Built twice, byte for byte the same.
    Path again = LambdaSandbox.buildRuntimeJar(dir.resolve("again.jar"));
    assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(again));
  }

  @Test
  void hello_world_starts_in_a_fresh_jvm_and_answers_its_event() throws Exception {
    Path helloJar = LambdaSandbox.buildHelloJar(dir.resolve("hello-world.jar"));
    try (ZipFile zip = new ZipFile(helloJar.toFile())) {
      assertEquals(
          List.of("io/innkeeper/perf/coldstart/HelloHandler.class"),
          zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList());
    }
    LambdaSandbox.Measured m = launch(helloJar, HelloHandler.class.getName());

    assertNull(m.error(), m.error());
    assertEquals("\"" + HelloHandler.ANSWER + "\"", m.response());
    assertTrue(m.jvmMillis() > 0, "jvm " + m.jvmMillis());
    assertTrue(m.constructMillis() > 0, "constructor " + m.constructMillis());
    assertTrue(m.handlerInitMillis() >= m.constructMillis(), m.toString());
    assertTrue(m.invokeMillis() > 0, "invoke " + m.invokeMillis());
    // The child's own clock and the parent's agree on the order of things.
    assertTrue(m.totalMillis() <= m.processMillis(), m.toString());
  }

  @Test
  void a_constructor_that_throws_is_reported_as_an_init_failure() throws Exception {
    Path jar = dir.resolve("failing.jar");
    LambdaSandbox.writeJar(
        jar,
        Map.of(
            LambdaSandbox.classFile(FailingHandler.class),
            LambdaSandbox.classBytes(FailingHandler.class)));

    LambdaSandbox.Measured m = launch(jar, FailingHandler.class.getName());

    assertTrue(m.error() != null && m.error().startsWith("init: "), String.valueOf(m.error()));
    assertTrue(m.error().contains("NOT_THERE is not set"), m.error());
    assertNull(m.response());
  }

  private LambdaSandbox.Measured launch(Path artifact, String handler) throws Exception {
    Path runtime = LambdaSandbox.buildRuntimeJar(dir.resolve("runtime.jar"));
    Path taskRoot = LambdaSandbox.unpack(artifact, dir.resolve("task-" + handler));
    Path event = dir.resolve("event.json");
    Files.writeString(event, ColdStartCommand.HELLO_EVENT);
    LambdaSandbox sandbox = new LambdaSandbox(LambdaSandbox.currentJava(), runtime, List.of());
    return sandbox.run(
        new LambdaSandbox.Launch(
            "test",
            handler,
            taskRoot,
            256,
            10,
            Map.of("_HANDLER", handler, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"),
            event,
            dir.resolve("result-" + handler + ".json"),
            dir.resolve("log-" + handler + ".log")));
  }
}
