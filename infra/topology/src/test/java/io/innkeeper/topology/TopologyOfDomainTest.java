package io.innkeeper.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.domain.CommandEndpoint;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.domain.QueryEndpoint;
import io.innkeeper.core.domain.Route;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.domain.fixture.Fixtures;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.topology.FunctionSpec.Access;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.FunctionSpec.TableLevel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The topology is the generic machinery plus exactly what a domain declares: a domain with other
 * tables and routes gets those, by name, and nothing of the hotel's; a domain the platform could
 * not deploy is refused with every reason.
 */
class TopologyOfDomainTest {

  /** A domain as the topology sees it: a name, query tables, routes, projections. */
  private record Library(
      String name, List<String> tables, List<CommandEndpoint> commands, List<QueryEndpoint> queries)
      implements Domain {
    @Override
    public TypeRegistry<DomainCommand> commandTypes() {
      return TypeRegistry.<DomainCommand>builder("command").build();
    }

    @Override
    public TypeRegistry<DomainEvent> eventTypes() {
      return TypeRegistry.<DomainEvent>builder("event").build();
    }

    @Override
    public List<Aggregate<?, ?, ?>> aggregates() {
      return List.of();
    }

    @Override
    public List<String> queryTables() {
      return tables;
    }

    @Override
    public List<Projection> projections(Tables t) {
      return tables.stream().map(id -> projection(id, t.name(id))).toList();
    }

    @Override
    public List<CommandEndpoint> commandEndpoints() {
      return commands;
    }

    @Override
    public List<QueryEndpoint> queryEndpoints() {
      return queries;
    }

    @Override
    public PrimingSamples primingSamples() {
      return new PrimingSamples(List.of(), List.of(), List.of(), List.of());
    }

    @Override
    public Fixtures fixtures() {
      return new Fixtures() {};
    }
  }

  private static Projection projection(String name, String table) {
    return new Projection() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<String> tables() {
        return List.of(table);
      }

      @Override
      public List<RowKey> reads(StoredEvent source, DomainEvent event, Rows known) {
        return List.of();
      }

      @Override
      public List<RowChange> apply(StoredEvent source, DomainEvent event, Rows current) {
        return List.of();
      }
    };
  }

  private static final CommandEndpoint LEND =
      new CommandEndpoint(
          Route.authenticated("POST", "/loans"), Set.of("book-copies"), c -> r -> null);
  private static final QueryEndpoint CATALOGUE =
      new QueryEndpoint(Route.open("GET", "/books"), q -> (r, f) -> null);

  private static final Library LIBRARY =
      new Library("library", List.of("book-copies", "loans"), List.of(LEND), List.of(CATALOGUE));

  @Test
  void a_domain_gets_its_tables_routes_and_environment_and_the_core_keeps_its_own() {
    Topology t = Topology.of(LIBRARY);

    assertEquals(
        List.of("events", "commands", "book-copies", "loans", "watermarks"),
        t.tables().stream().map(TableSpec::id).toList());
    assertEquals(List.of("book-copies", "loans"), t.projections());
    assertEquals(
        Map.of(
            "POST /loans", "command-api",
            "GET /books", "query-api",
            "GET /commands/{commandId}", "query-api"),
        t.routes().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    r -> r.route().routeKey(), r -> r.function().id())));
    for (FunctionSpec f : t.functions()) {
      assertEquals(
          new EnvValue.Literal("library"), f.environment().get("INNKEEPER_DOMAIN"), f.id());
    }
    FunctionSpec commandApi = t.function("command-api");
    assertEquals(
        new EnvValue.TableName("book-copies"), commandApi.environment().get("BOOK_COPIES_TABLE"));
    assertTrue(
        commandApi.access().contains(new Access.Table("book-copies", TableLevel.READ)),
        "command-api reads what its routes declared they read");
    assertTrue(
        commandApi.access().stream()
            .noneMatch(a -> a instanceof Access.Table ta && ta.tableId().equals("loans")),
        "and nothing else of the read side");
    assertEquals(
        new EnvValue.TableName("loans"), t.function("projector").environment().get("LOANS_TABLE"));
  }

  @Test
  void a_domain_that_cannot_be_deployed_is_refused_with_every_reason() {
    var bad =
        new Library(
            "Library!",
            List.of("events", "loans", "loans"),
            List.of(
                LEND,
                new CommandEndpoint(
                    Route.authenticated("POST", "/loans"), Set.of("fines"), c -> r -> null)),
            List.of(
                new QueryEndpoint(
                    Route.authenticated("GET", "/commands/{commandId}"), q -> (r, f) -> null)));

    var e = assertThrows(IllegalArgumentException.class, () -> Topology.of(bad));

    for (String reason :
        List.of(
            "domain name 'Library!'",
            "'events' is the core's own",
            "query table loans is declared twice",
            "POST /loans is declared twice",
            "GET /commands/{commandId} is the core's own",
            "reads book-copies, which is no query table",
            "reads fines, which is no query table")) {
      assertTrue(e.getMessage().contains(reason), reason + " in " + e.getMessage());
    }
  }
}
