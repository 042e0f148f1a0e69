package io.innkeeper.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.ops.RedriveCommand.Target;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code redrive}'s arguments and usage errors, all decided before anything is contacted. */
class RedriveCommandTest {
  private static final String DDB = "http://127.0.0.1:8000";
  private static final String SQS = "http://127.0.0.1:9324";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return RedriveCommand.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private RedriveCommand.Options parse(String... args) {
    RedriveCommand command = new RedriveCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsTheUsageAndDoesNothingElse() {
    assertEquals(0, run("-h"));
    assertEquals(0, run("projections", "--help"));
    String usage = out.toString(StandardCharsets.UTF_8);
    assertTrue(usage.contains("Usage: redrive"), usage);
    assertTrue(usage.contains("[commands|projections|publications]"), usage);
    assertTrue(usage.contains("--sns-endpoint=URL"), usage);
    assertTrue(usage.contains("--sqs-endpoint=URL"), usage);
    assertTrue(usage.contains("--discard-trimmed"), usage);
    assertEquals("", err());
  }

  @Test
  void theTargetIsCommandsProjectionsOrBothByDefault() {
    assertEquals(
        Target.COMMANDS, parse("commands", "--endpoint", DDB, "--sqs-endpoint", SQS).target());
    assertEquals(
        Target.PROJECTIONS,
        parse("--endpoint", DDB, "projections", "--sqs-endpoint", SQS).target());
    var both = parse("--endpoint", DDB, "--sqs-endpoint", SQS);
    assertEquals(Target.BOTH, both.target());
    assertTrue(
        both.target().commands() && both.target().projections() && both.target().publications());
    assertEquals(
        Target.PUBLICATIONS,
        parse("publications", "--endpoint", DDB, "--sqs-endpoint", SQS, "--sns-endpoint", SQS)
            .target());
    assertEquals(URI.create(DDB), both.endpoint());
    assertEquals(URI.create(SQS), both.sqsEndpoint());
    assertTrue(both.local());
    assertFalse(both.discardTrimmed());
  }

  @Test
  void commandsNeedOnlyTheSqsEndpointLocally() {
    var o = parse("commands", "--sqs-endpoint", SQS);
    assertNotNull(o, err());
    assertNull(o.endpoint());
  }

  @Test
  void aDeployedStackIsNamedByItsOutputsFile() {
    var o = parse("projections", "--outputs", "out.json", "--region", "eu-west-1");
    assertEquals(Path.of("out.json"), o.outputs());
    assertEquals("Innkeeper", o.stack());
    assertEquals("eu-west-1", o.region());
    assertFalse(o.local());
    assertEquals(
        "Staging", parse("--outputs", "out.json", "--stack", "Staging", "commands").stack());
    assertTrue(parse("projections", "--outputs", "o.json", "--discard-trimmed").discardTrimmed());
  }

  @Test
  void withoutAPlaceToWorkOnItIsAUsageError() throws Exception {
    assertEquals(2, run());
    assertTrue(err().contains("--endpoint URL --sqs-endpoint URL (a local runtime)"), err());
    assertTrue(err().contains("Usage:"), err());
  }

  @Test
  void aLocalRuntimeAndAStackAtOnceIsAUsageError() throws Exception {
    assertEquals(2, run("--endpoint", DDB, "--sqs-endpoint", SQS, "--outputs", "o.json"));
    assertTrue(err().contains("not both"), err());
  }

  @Test
  void theLocalRuntimeNeedsItsSqsEndpoint() throws Exception {
    assertEquals(2, run("projections", "--endpoint", DDB));
    assertTrue(err().contains("--sqs-endpoint URL is needed"), err());
  }

  @Test
  void projectionsNeedTheDynamoDbEndpointLocally() throws Exception {
    assertEquals(2, run("--sqs-endpoint", SQS));
    assertTrue(err().contains("--endpoint URL is needed to redrive projections"), err());
    assertEquals(2, run("projections", "--sqs-endpoint", SQS));
  }

  @Test
  void badOptionsAndTargetsAreUsageErrors() throws Exception {
    List<List<String>> bad = new ArrayList<>();
    bad.add(List.of("--endpoint", "not a url", "--sqs-endpoint", SQS));
    bad.add(List.of("--endpoint", DDB, "--sqs-endpoint", "localhost"));
    bad.add(List.of("--endpoint", DDB, "--sqs-endpoint"));
    bad.add(List.of("--outputs"));
    bad.add(List.of("--bogus", "--outputs", "o.json"));
    bad.add(List.of("events", "--outputs", "o.json"));
    bad.add(List.of("commands", "projections", "--outputs", "o.json"));
    bad.add(List.of("commands", "--discard-trimmed", "--outputs", "o.json"));
    for (List<String> args : bad) {
      err.reset();
      assertEquals(2, run(args.toArray(String[]::new)), String.join(" ", args));
      assertTrue(err().contains("Usage:"), err());
    }
    assertEquals(2, run("events", "--outputs", "o.json"));
    assertTrue(err().contains("Unknown redrive target: events"), err());
    assertEquals(2, run("--bogus"));
    assertTrue(err().contains("Unknown option: '--bogus'"), err());
    assertEquals(2, run("commands", "projections", "--sqs-endpoint", SQS));
    assertTrue(err().contains("Unmatched argument"), err());
    assertEquals(2, run("commands", "--discard-trimmed", "--sqs-endpoint", SQS));
    assertTrue(
        err().contains("--discard-trimmed applies to projections and publications only"), err());
    // Publications locally need the bus's endpoint.
    assertEquals(2, run("publications", "--endpoint", DDB, "--sqs-endpoint", SQS));
    assertTrue(err().contains("--sns-endpoint URL is needed"), err());
  }

  @Test
  void anOutputsFileThatCannotBeReadIsAUsageError(@TempDir Path dir) throws Exception {
    assertEquals(2, run("--outputs", dir.resolve("missing.json").toString()));
    assertTrue(err().contains("cannot use"), err());
  }

  @Test
  void anOutputsFileWithoutTheQueuesIsAUsageError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outputs.json");
    Files.writeString(file, outputs(false));
    assertEquals(2, run("commands", "--outputs", file.toString()));
    assertTrue(err().contains("has no output " + OutputNames.queueUrl("command-queue")), err());
    err.reset();
    assertEquals(2, run("commands", "--outputs", file.toString(), "--stack", "Other"));
    assertTrue(err().contains("has no outputs of stack Other"), err());
  }

  @Test
  void theStackOutputsNameEveryQueueAndTableTheRedriveNeeds(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outputs.json");
    Files.writeString(file, outputs(true));

    RedriveTargets targets = RedriveTargets.fromOutputs(Topology.innkeeper(), file, "Innkeeper");

    assertEquals(
        List.of(
            new RedriveTargets.DeadLetters(
                "command-queue", url("command-queue"), "command-dlq", url("command-dlq")),
            // The guest-messages service's dead letters go back to its queue on the bus.
            new RedriveTargets.DeadLetters(
                "guest-messages-queue",
                url("guest-messages-queue"),
                "guest-messages-dlq",
                url("guest-messages-dlq"))),
        targets.deadLetters());
    assertEquals(
        List.of(
            new RedriveTargets.Parked(
                "projector", "events", "projector-parked", url("projector-parked")),
            new RedriveTargets.Parked(
                "publisher", "events", "publisher-parked", url("publisher-parked"))),
        targets.parked());
    assertEquals("stack-events", targets.tables().events());
    assertEquals("stack-watermarks", targets.tables().watermarks());
  }

  /** A {@code cdk deploy --outputs-file} file of stack Innkeeper, with or without queue URLs. */
  private static String outputs(boolean queues) {
    List<String> entries = new ArrayList<>();
    for (var table : Topology.innkeeper().tables()) {
      entries.add("\"" + OutputNames.tableName(table.id()) + "\": \"stack-" + table.id() + "\"");
    }
    if (queues) {
      for (var queue : Topology.innkeeper().queues()) {
        entries.add("\"" + OutputNames.queueUrl(queue.id()) + "\": \"" + url(queue.id()) + "\"");
      }
    }
    return "{\"Innkeeper\": {" + String.join(", ", entries) + "}}";
  }

  private static String url(String queueId) {
    return "https://sqs.eu-west-1.amazonaws.com/123456789012/Innkeeper-" + queueId;
  }
}
