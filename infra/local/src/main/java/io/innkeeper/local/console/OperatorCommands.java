package io.innkeeper.local.console;

import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.readmodel.InMemoryRowStore;
import io.innkeeper.ops.ReadModelOps;
import io.innkeeper.ops.ReadModelTables;
import io.innkeeper.ops.RedriveCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The operator commands the console's buttons run: {@code redrive} exactly as the command line runs
 * it (its own entry point, with the arguments a person would type against this runtime), and {@code
 * verify} with the same read-model code, limited to one projection's tables. Nothing else on the
 * page changes data except through the API.
 *
 * <p>This is the one place the console calls the operator tool ({@code infra/ops}, {@code
 * io.innkeeper.ops}, the code of {@code innkeeper-ops.jar}), so when that tool changes only this
 * adapter follows it.
 */
final class OperatorCommands {

  private final URI dynamoDb;
  private final URI sqs;
  private final DynamoDbClient ddb;
  private final ReadModelTables tables;

  OperatorCommands(URI dynamoDb, URI sqs, DynamoDbClient ddb, ReadModelTables tables) {
    this.dynamoDb = dynamoDb;
    this.sqs = sqs;
    this.ddb = ddb;
    this.tables = tables;
  }

  /** What the redrive targets may be, as the command line names them. */
  static final List<String> REDRIVE_TARGETS = List.of("commands", "projections");

  /**
   * Runs {@code redrive <target> --endpoint ... --sqs-endpoint ...}; one at a time, as an operator
   * at one terminal would.
   *
   * @return its exit code and what it printed
   */
  synchronized Map<String, Object> redrive(String target) throws Exception {
    if (!REDRIVE_TARGETS.contains(target)) {
      throw new IllegalArgumentException("redrive target must be one of " + REDRIVE_TARGETS);
    }
    List<String> args =
        List.of(target, "--endpoint", dynamoDb.toString(), "--sqs-endpoint", sqs.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = RedriveCommand.run(args, o, e);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("command", "redrive " + target);
    result.put("exitCode", code);
    result.put("output", lines(out.toString(StandardCharsets.UTF_8)));
    result.put("errors", lines(err.toString(StandardCharsets.UTF_8)));
    return result;
  }

  /** The projections by name, with the tables each keeps. */
  Map<String, List<String>> projections() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Projection p : tables.projector(new InMemoryRowStore()).projections()) {
      out.put(p.name(), p.tables());
    }
    return out;
  }

  /**
   * {@code verify} of one projection: every event projected from scratch, compared row by row with
   * that projection's tables.
   */
  Optional<Map<String, Object>> verify(String projection) {
    List<String> own = projections().get(projection);
    if (own == null) {
      return Optional.empty();
    }
    long started = System.nanoTime();
    ReadModelOps.Drift drift = new ReadModelOps(ddb, tables).verify(own);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("projection", projection);
    result.put("tables", own);
    result.put("events", drift.events());
    result.put("rowsExpected", drift.rowsExpected());
    result.put("rowsFound", drift.rowsFound());
    result.put("drift", drift.lines());
    result.put("millis", (System.nanoTime() - started) / 1_000_000);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      ReadModelOps.print(drift, p);
    }
    result.put("output", lines(printed.toString(StandardCharsets.UTF_8)));
    return Optional.of(result);
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    text.lines().filter(l -> !l.isBlank()).forEach(lines::add);
    return lines;
  }
}
