package io.innkeeper.local.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.local.PhysicalNames;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The physical names of the events table and the query tables of one deployment: the local
 * runtime's fixed names, or a deployed stack's, read from the outputs file {@code cdk deploy
 * --outputs-file} writes.
 */
public record ReadModelTables(
    String events, HotelDomain.QueryTables query, String watermarks, List<String> queryTables) {

  /** The local runtime's tables. */
  public static ReadModelTables local() {
    return of(PhysicalNames::table);
  }

  /**
   * A deployed stack's tables, from its outputs ({@code TableEventsName}, ...).
   *
   * @throws IllegalArgumentException if the file lacks the stack or one of its table outputs
   */
  public static ReadModelTables fromOutputs(Path outputsFile, String stack) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(outputsFile));
    JsonNode outputs = root.path(stack);
    if (!outputs.isObject()) {
      throw new IllegalArgumentException(
          outputsFile + " has no outputs of stack " + stack + " (it has " + names(root) + ")");
    }
    return of(
        id -> {
          String name = outputs.path(OutputNames.tableName(id)).asText("");
          if (name.isEmpty()) {
            throw new IllegalArgumentException(
                outputsFile + ": stack " + stack + " has no output " + OutputNames.tableName(id));
          }
          return name;
        });
  }

  private static ReadModelTables of(Function<String, String> name) {
    Map<String, String> query = new LinkedHashMap<>();
    for (TableSpec t : Topology.innkeeper().tables()) {
      if (t.role() == TableSpec.Role.QUERY) {
        query.put(t.id(), name.apply(t.id()));
      }
    }
    return new ReadModelTables(
        name.apply("events"),
        new HotelDomain.QueryTables(
            query.get("hotels"),
            query.get("availability"),
            query.get("occupancy"),
            query.get("reservations")),
        query.get("watermarks"),
        List.copyOf(query.values()));
  }

  private static String names(JsonNode root) {
    List<String> names = new java.util.ArrayList<>();
    root.fieldNames().forEachRemaining(names::add);
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
