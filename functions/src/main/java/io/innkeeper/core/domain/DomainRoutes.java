package io.innkeeper.core.domain;

import io.innkeeper.core.command.CommandStatusQuery;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.query.ConsistencyGate;

/** The API functions' routes: the domain's endpoints, and on the query side the core's own. */
public final class DomainRoutes {
  /** The core's own query route: a command's status, for its sender or an admin. */
  public static final String COMMAND_STATUS = "GET /commands/{commandId}";

  private DomainRoutes() {}

  /** The routes command-api serves: the domain's command endpoints. */
  public static HttpRoutes commands(Domain domain, CommandEndpoint.Context context) {
    HttpRoutes routes = new HttpRoutes();
    domain
        .commandEndpoints()
        .forEach(e -> routes.on(e.route().routeKey(), e.handler().apply(context)));
    return routes;
  }

  /**
   * The routes query-api serves: the domain's queries and the command status, each behind the
   * consistency gate.
   */
  public static HttpRoutes queries(
      Domain domain,
      QueryEndpoint.Context context,
      ConsistencyGate gate,
      CommandStatusStore statuses) {
    HttpRoutes routes = new HttpRoutes();
    domain
        .queryEndpoints()
        .forEach(e -> routes.on(e.route().routeKey(), gate.route(e.query().apply(context))));
    var commands = new CommandStatusQuery(statuses);
    return routes.on(
        COMMAND_STATUS,
        gate.route(
            (request, freshness) -> {
              freshness.await();
              return commands.handle(request);
            }));
  }
}
