package io.innkeeper.perf.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coldstart --runs 1} end to end: emulators, a fresh JVM per function and for hello-world,
 * and a report in which every function really served its event (the booking was accepted, its
 * command decided, its event projected, and the reservation read back).
 */
class ColdStartIT {

  /** Where {@code mvn package} leaves the functions jar, seen from this module. */
  static final Path FUNCTIONS_JAR = Path.of("../../functions/target/innkeeper-functions.jar");

  @TempDir Path out;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void one_run_measures_every_function_and_hello_world_each_serving_its_event() throws Exception {
    assertTrue(
        Files.isRegularFile(FUNCTIONS_JAR),
        "the functions jar is missing at "
            + FUNCTIONS_JAR.toAbsolutePath().normalize()
            + "; build it first (mvn -o -pl functions package)");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream printed = new PrintStream(console, true, StandardCharsets.UTF_8);

    int code =
        ColdStartCommand.run(
            List.of("--runs", "1", "--out", out.toString(), "--artifact", FUNCTIONS_JAR.toString()),
            printed,
            printed);

    String text = console.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertEquals(0, code, text);

    JsonNode report = new ObjectMapper().readTree(out.resolve("coldstart.json").toFile());
    Map<String, JsonNode> functions = new LinkedHashMap<>();
    report.get("functions").forEach(f -> functions.put(f.get("function").asText(), f));
    List<String> expected = new ArrayList<>(List.of(ColdStartReport.HELLO));
    Topology.innkeeper().functions().stream().map(FunctionSpec::id).forEach(expected::add);
    assertEquals(
        expected.stream().sorted().toList(), functions.keySet().stream().sorted().toList());

    for (JsonNode f : functions.values()) {
      String id = f.get("function").asText();
      Path artifact = Path.of(f.get("artifact").asText());
      assertEquals(Files.size(artifact), f.get("artifactBytes").asLong(), id + " artifact size");
      assertEquals(1, f.get("runs").size(), id);
      JsonNode run = f.get("runs").get(0);
      assertTrue(run.path("problem").isMissingNode(), id + ": " + run);
      for (String time : List.of("jvmMs", "constructorMs", "initMs", "firstInvokeMs")) {
        assertTrue(run.get(time).asDouble() > 0, id + " " + time + ": " + run);
      }
      assertEquals(
          run.get("initMs").asDouble() + run.get("firstInvokeMs").asDouble(),
          run.get("totalMs").asDouble(),
          0.11,
          id);
      assertTrue(f.get("ratioToHelloWorld").asDouble() > 0, id);
    }
    // Each served its own event: what the handler answered, as the harness read it back.
    assertEquals("answered", served(functions, ColdStartReport.HELLO));
    assertEquals("202", served(functions, "command-api"));
    assertEquals("1 message, 0 failures", served(functions, "command-handler"));
    assertTrue(served(functions, "projector").matches("\\d+ records?, 0 failures"));
    // 200 only if the projector's JVM wrote the reservation: nothing else projects meanwhile.
    assertEquals("200", served(functions, "query-api"));
    assertTrue(served(functions, "publisher").matches("\\d+ records?, 0 failures"));
    assertTrue(served(functions, "guest-messages").matches("\\d+ messages?, 0 failures"));
    // 200 with the run's reservation only if guest-messages' JVM applied what the bus delivered.
    assertEquals("200", served(functions, "guest-messages-api"));
    assertEquals(
        Files.size(FUNCTIONS_JAR), functions.get("command-api").get("artifactBytes").asLong());
    assertTrue(functions.get(ColdStartReport.HELLO).get("artifactBytes").asLong() < 10_000);

    // The projector's event is the stream record of the booking the command handler decided.
    String sqsEvent = Files.readString(out.resolve("events/run-1-command-handler.json"));
    String streamEvent = Files.readString(out.resolve("events/run-1-projector.json"));
    JsonNode command =
        new ObjectMapper()
            .readTree(
                new ObjectMapper().readTree(sqsEvent).get("Records").get(0).get("body").asText());
    assertTrue(streamEvent.contains("\"eventName\":\"INSERT\""), streamEvent);
    assertTrue(streamEvent.contains(command.path("commandId").asText()), streamEvent);

    // The publisher read the same records as the projector, and the bus delivered the booking's
    // published event to guest-messages' queue from the publisher's JVM.
    JsonNode projected = new ObjectMapper().readTree(streamEvent).get("Records");
    JsonNode publisherRecords =
        new ObjectMapper()
            .readTree(Files.readString(out.resolve("events/run-1-publisher.json")))
            .get("Records");
    assertEquals(projected, publisherRecords);
    String reservationId =
        new ObjectMapper()
            .readTree(Files.readString(out.resolve("events/run-1-query-api.json")))
            .path("pathParameters")
            .path("reservationId")
            .asText();
    assertTrue(!reservationId.isEmpty(), "the read-back names no reservation");
    String delivered = Files.readString(out.resolve("events/run-1-guest-messages.json"));
    assertTrue(delivered.contains(reservationId), delivered);

    String markdown = Files.readString(out.resolve("coldstart.md"));
    for (String id : expected) {
      assertTrue(markdown.contains("| " + id + " |"), markdown);
    }
    assertTrue(markdown.contains("SnapStart"), markdown);
    assertTrue(text.contains("run 1/1: hello-world"), text);
  }

  private static String served(Map<String, JsonNode> functions, String id) {
    return functions.get(id).get("runs").get(0).path("served").asText();
  }
}
