package io.innkeeper.core.domain;

import io.innkeeper.core.query.ConsistencyGate;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.RowStore;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * A query route and how query-api serves it. Every query is wrapped with the {@link
 * ConsistencyGate}: it is handed the request's freshness and awaits it before its first read.
 *
 * @param route the route, as the API gateway routes it
 * @param query builds the route's query once per function instance
 */
public record QueryEndpoint(Route route, Function<Context, ConsistencyGate.Query> query) {

  public QueryEndpoint {
    Objects.requireNonNull(route);
    Objects.requireNonNull(query);
  }

  /**
   * What a query is given.
   *
   * @param store the query tables (query-api may only read them)
   * @param tables the physical names of the domain's query tables
   * @param cursors signs and checks page cursors
   * @param clock the time, for queries that depend on today
   */
  public record Context(RowStore store, Tables tables, Cursors cursors, Clock clock) {}
}
