package io.innkeeper.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.events.Json;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.TableSpec;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code verify} and {@code rebuild}: where they work, decided before anything is contacted. */
class ReadModelCommandsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Cli.run(
        new OpsMain(),
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void readModelOperationsNeedExactlyOnePlaceToWorkOn() {
    assertEquals(2, run("verify"));
    assertTrue(err().contains("--endpoint URL (a local runtime)"), err());
    assertTrue(err().contains("Usage: innkeeper-ops verify"), err());
    assertEquals(2, run("rebuild", "--endpoint", "http://127.0.0.1:1", "--outputs", "o.json"));
    assertEquals(2, run("verify", "--endpoint", "not a url"));
    assertTrue(err().contains("must be a URL such as http://127.0.0.1:8000, not not a url"), err());
    assertEquals(2, run("verify", "--endpoint"));
    err.reset();
    assertEquals(2, run("verify", "--reset", "--endpoint", "http://127.0.0.1:1"));
    assertTrue(err().contains("Unknown option: '--reset'"), err());
  }

  @Test
  void optionsOfTheOperationsAreParsed() {
    RebuildCommand local = new RebuildCommand();
    new CommandLine(local).parseArgs("--endpoint", "http://127.0.0.1:8000");
    assertEquals("http://127.0.0.1:8000", local.endpoint.toString());
    assertEquals(false, local.reset);
    RebuildCommand aws = new RebuildCommand();
    new CommandLine(aws)
        .parseArgs("--outputs", "out.json", "--stack", "Prod", "--region", "eu-west-1", "--reset");
    assertEquals(Path.of("out.json"), aws.stack.outputs());
    assertEquals("Prod", aws.stack.stack());
    assertEquals("eu-west-1", aws.stack.region());
    assertTrue(aws.reset);
    VerifyCommand verify = new VerifyCommand();
    new CommandLine(verify).parseArgs("--outputs", "o");
    assertEquals("Innkeeper", verify.stack.stack());
  }

  @Test
  void anOutputsFileThatCannotBeReadIsAUsageError(@TempDir Path dir) {
    assertEquals(2, run("verify", "--outputs", dir.resolve("missing.json").toString()));
    assertTrue(err().contains("cannot use"), err());
  }

  @Test
  void aDeployedStacksTablesAreReadFromTheDeployOutputsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cdk-outputs.json");
    // Every table's output as the CDK app writes it, with CloudFormation's kind of names.
    Map<String, Object> outputs = new LinkedHashMap<>(Map.of("ApiUrl", "https://x"));
    List<String> queryNames = new ArrayList<>();
    for (var table : Topology.innkeeper().tables()) {
      String name = "ik-" + OutputNames.pascal(table.id()) + "-1";
      outputs.put(OutputNames.tableName(table.id()), name);
      if (table.role() == TableSpec.Role.QUERY) {
        queryNames.add(name);
      }
    }
    Files.writeString(file, Json.write(Map.of("Innkeeper", outputs)));

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
