package io.innkeeper.hotel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.DomainRoutes;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.events.hotel.HotelDomainCommand;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the hotel domain declares holds together. */
class HotelDomainTest {
  private final HotelDomain domain = new HotelDomain();

  @Test
  void the_soak_checks_know_the_event_of_every_command_type() {
    for (String type : HotelDomainCommand.TYPES.currentVersions().keySet()) {
      assertTrue(
          domain.fixtures().recordChecks().appends(type).isPresent(),
          type + " has no expected event in the record checks");
    }
  }

  @Test
  void every_query_table_is_written_by_a_projection_and_each_projection_writes_only_its_own() {
    Set<String> written = new HashSet<>();
    for (Projection p : domain.projections(Tables.byId(domain.queryTables()))) {
      assertTrue(domain.queryTables().containsAll(p.tables()), p.name() + " " + p.tables());
      written.addAll(p.tables());
    }
    assertEquals(new HashSet<>(domain.queryTables()), written);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void commands_are_posts_queries_are_gets_each_route_once_and_the_command_status_the_cores() {
    List<String> commands =
        domain.commandEndpoints().stream().map(e -> e.route().routeKey()).toList();
    List<String> queries = domain.queryEndpoints().stream().map(e -> e.route().routeKey()).toList();
    assertTrue(commands.stream().allMatch(r -> r.startsWith("POST ")), commands.toString());
    assertTrue(queries.stream().allMatch(r -> r.startsWith("GET ")), queries.toString());
    assertEquals(commands.size() + queries.size(), new HashSet<>(concat(commands, queries)).size());
    assertFalse(queries.contains(DomainRoutes.COMMAND_STATUS));
    // Only the cancel reads the read side, for its owner check.
    assertEquals(
        Set.of(HotelDomain.RESERVATIONS),
        domain.commandEndpoints().stream()
            .flatMap(e -> e.reads().stream())
            .collect(java.util.stream.Collectors.toSet()));
  }
}
