package io.innkeeper.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.client.Json;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.PhysicalNames;
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
 * The physical names of the events table and the query tables of one deployment of a domain: the
 * local runtime's fixed names, or a deployed stack's, read from the outputs file {@code cdk deploy
 * --outputs-file} writes.
 *
 * @param domain whose projections write the query tables
 * @param query the domain's query tables
 * @param queryTables every query table's physical name, the watermarks included
 */
public record ReadModelTables(
    Domain domain, String events, Tables query, String watermarks, List<String> queryTables) {

  /** The local runtime's tables, of the domain on the classpath. */
  public static ReadModelTables local() {
    return local(Domains.load());
  }

  /** The local runtime's tables of {@code domain}. */
  public static ReadModelTables local(Domain domain) {
    return of(domain, PhysicalNames::table);
  }

  /**
   * A deployed stack's tables, from its outputs ({@code TableEventsName}, ...).
   *
   * @throws IllegalArgumentException if the file lacks the stack or one of its table outputs
   */
  public static ReadModelTables fromOutputs(Path outputsFile, String stack) throws IOException {
    JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(outputsFile));
    JsonNode outputs = root.path(stack);
    if (!outputs.isObject()) {
      throw new IllegalArgumentException(
          outputsFile + " has no outputs of stack " + stack + " (it has " + names(root) + ")");
    }
    return of(
        Domains.load(),
        id -> {
          String name = outputs.path(OutputNames.tableName(id)).asText("");
          if (name.isEmpty()) {
            throw new IllegalArgumentException(
                outputsFile + ": stack " + stack + " has no output " + OutputNames.tableName(id));
          }
          return name;
        });
  }

  private static ReadModelTables of(Domain domain, Function<String, String> name) {
    Map<String, String> query = new LinkedHashMap<>();
    for (TableSpec t : Topology.of(domain).tables()) {
      if (t.role() == TableSpec.Role.QUERY) {
        query.put(t.id(), name.apply(t.id()));
      }
    }
    Map<String, String> domainTables = new LinkedHashMap<>();
    domain.queryTables().forEach(id -> domainTables.put(id, query.get(id)));
    return new ReadModelTables(
        domain,
        name.apply("events"),
        Tables.of(domainTables),
        query.get("watermarks"),
        List.copyOf(query.values()));
  }

  /** The projector as it runs on these tables. */
  public ProjectorRuntime projector(RowStore store) {
    return new ProjectorRuntime(
        domain.projections(query), store, new Watermarks(store, watermarks), domain.eventTypes());
  }

  private static String names(JsonNode root) {
    List<String> names = new java.util.ArrayList<>();
    root.fieldNames().forEachRemaining(names::add);
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
