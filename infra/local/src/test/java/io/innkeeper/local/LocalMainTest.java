package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.ops.ReadModelTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return LocalMain.dispatch(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void parsesRunOptions() {
    var options =
        LocalMain.parseRun(List.of("--port", "0", "--data-dir", "data", "--no-seed"), System.err);
    assertEquals(0, options.port());
    assertEquals(Path.of("data").toAbsolutePath(), options.dataDir());
    assertEquals(false, options.seed());
    var defaults = LocalMain.parseRun(List.of(), System.err);
    assertEquals(8080, defaults.port());
    assertNull(defaults.dataDir());
    assertTrue(defaults.seed());
    assertNull(defaults.rateLimit(), "no throttling unless asked for");
    var throttled = LocalMain.parseRun(List.of("--rate-limit", "20:40"), System.err);
    assertEquals(io.innkeeper.local.gateway.RateLimit.parse("20:40"), throttled.rateLimit());
  }

  @Test
  void compressTimeTakesAFactorAndRefusesWhatIsNone() throws Exception {
    assertEquals(1, LocalMain.parseRun(List.of(), System.err).timeCompression().factor());
    assertEquals(
        10,
        LocalMain.parseRun(List.of("--compress-time", "10"), System.err)
            .timeCompression()
            .factor());

    assertEquals(2, run("run", "--compress-time", "0", "--port", "0"));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--compress-time must be a factor from 1 to 20, not 0"), said);
    assertNull(LocalMain.parseRun(List.of("--compress-time", "fast"), System.err));
  }

  @Test
  void aDomainIsPickedByNameAndAnUnknownOneIsRefusedNamingThoseFound() throws Exception {
    assertEquals("rooms", LocalMain.parseRun(List.of("--domain", "rooms"), System.err).domain());
    assertNull(LocalMain.parseRun(List.of(), System.err).domain(), "INNKEEPER_DOMAIN or the only");

    assertEquals(2, run("run", "--domain", "spa", "--port", "0"));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("INNKEEPER_DOMAIN=spa names no domain"), said);
    assertTrue(said.contains("hotel") && said.contains("rooms"), said);
  }

  @Test
  void unknownOptionIsAUsageError() throws Exception {
    assertEquals(2, run("--bogus"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option: --bogus"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage:"));
  }

  @Test
  void badValuesAreUsageErrors() throws Exception {
    assertEquals(2, run("--port", "http"));
    assertEquals(2, run("--port", "70000"));
    assertEquals(2, run("--data-dir"));
    assertEquals(2, run("--rate-limit", "fast"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--rate-limit: "));
  }

  @Test
  void benchRejectsABadMixWithItsUsage() throws Exception {
    assertEquals(2, run("bench", "--mix", "book=1,launch=2"));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--mix: expected kind=weight"), said);
    assertTrue(said.contains("Usage: java -jar innkeeper-local.jar bench"), said);
  }

  @Test
  void unknownSubcommandIsAUsageError() throws Exception {
    assertEquals(2, run("frobnicate"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown command: frobnicate"));
  }

  @Test
  void helpPrintsUsage() throws Exception {
    assertEquals(0, run("run", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--data-dir DIR"));
  }

  @Test
  void readModelOperationsNeedExactlyOnePlaceToWorkOn() throws Exception {
    assertEquals(2, run("verify"));
    assertEquals(2, run("rebuild", "--endpoint", "http://127.0.0.1:1", "--outputs", "o.json"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--endpoint URL (a local runtime)"));
    assertEquals(2, run("verify", "--endpoint", "not a url"));
    assertEquals(2, run("verify", "--endpoint"));
    assertEquals(2, run("verify", "--reset", "--endpoint", "http://127.0.0.1:1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option: --reset"));
  }

  @Test
  void optionsOfTheOperationsAreParsed() {
    var local =
        LocalMain.parseOps(List.of("--endpoint", "http://127.0.0.1:8000"), true, System.err);
    assertEquals("http://127.0.0.1:8000", local.endpoint().toString());
    assertEquals(false, local.reset());
    var aws =
        LocalMain.parseOps(
            List.of("--outputs", "out.json", "--stack", "Prod", "--region", "eu-west-1", "--reset"),
            true,
            System.err);
    assertEquals(Path.of("out.json"), aws.outputs());
    assertEquals("Prod", aws.stack());
    assertEquals("eu-west-1", aws.region());
    assertTrue(aws.reset());
    assertEquals(
        "Innkeeper", LocalMain.parseOps(List.of("--outputs", "o"), false, System.err).stack());
  }

  @Test
  void aDeployedStacksTablesAreReadFromTheDeployOutputsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cdk-outputs.json");
    // Every table's output as the CDK app writes it, with CloudFormation's kind of names.
    Map<String, Object> outputs = new java.util.LinkedHashMap<>(Map.of("ApiUrl", "https://x"));
    List<String> queryNames = new java.util.ArrayList<>();
    for (var table : io.innkeeper.topology.Topology.innkeeper().tables()) {
      String name = "ik-" + io.innkeeper.topology.OutputNames.pascal(table.id()) + "-1";
      outputs.put(io.innkeeper.topology.OutputNames.tableName(table.id()), name);
      if (table.role() == io.innkeeper.topology.TableSpec.Role.QUERY) {
        queryNames.add(name);
      }
    }
    Files.writeString(file, io.innkeeper.events.Json.write(Map.of("Innkeeper", outputs)));

    ReadModelTables tables = ReadModelTables.fromOutputs(file, "Innkeeper");

    assertEquals("ik-Events-1", tables.events());
    assertEquals("ik-Availability-1", tables.query().name("availability"));
    assertEquals("ik-Watermarks-1", tables.watermarks());
    assertEquals(queryNames, tables.queryTables());
    assertTrue(queryNames.contains("ik-Hotels-1"), queryNames.toString());
    var wrongStack =
        assertThrows(
            IllegalArgumentException.class, () -> ReadModelTables.fromOutputs(file, "Staging"));
    assertTrue(wrongStack.getMessage().contains("it has Innkeeper"), wrongStack.getMessage());
    Files.writeString(file, "{\"Innkeeper\": {\"TableEventsName\": \"e\"}}");
    var missing =
        assertThrows(
            IllegalArgumentException.class, () -> ReadModelTables.fromOutputs(file, "Innkeeper"));
    assertTrue(missing.getMessage().contains("no output TableHotelsName"), missing.getMessage());
  }

  @Test
  void theLocalRuntimesTablesHaveTheirFixedNames() {
    ReadModelTables tables = ReadModelTables.local();
    assertEquals("innkeeper-events", tables.events());
    assertEquals("innkeeper-reservations", tables.query().name("reservations"));
    assertEquals(tables.domain().queryTables().size() + 1, tables.queryTables().size());
  }
}
