package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.Priming;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.QueryEndpoint;
import io.innkeeper.core.domain.SubscriberService;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.query.ConsistencyGate;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.RowStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A subscriber service's API (e.g. {@code guest-messages-api}): serves the service's routes from
 * its own tables, read-only. A consistency token waits until the service has applied the token's
 * event (its marks are watermarks), so a guest sees the notice of the booking they just made.
 */
public final class SubscriberApiHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final String function;
  private final HttpRoutes routes;
  private final Priming priming;

  /** Lambda's constructor: SDK clients are built once here, primed, and captured by SnapStart. */
  public SubscriberApiHandler() {
    this(Domains.load(), new DynamoRowStore(Aws.dynamoDb()));
    priming.register();
  }

  private SubscriberApiHandler(Domain domain, RowStore store) {
    this(
        SubscriberHandler.service(domain, Env.require(SubscriberHandler.SERVICE)),
        store,
        null,
        Duration.ofMillis(Env.integer("CONSISTENCY_WAIT_MS", 5000)),
        Env.require("CURSOR_KEY").getBytes(StandardCharsets.UTF_8),
        Aws.MILLISECOND_CLOCK);
  }

  /**
   * @param tables the service's tables; {@code null} reads them from the environment
   */
  public SubscriberApiHandler(
      SubscriberService service,
      RowStore store,
      Tables tables,
      Duration consistencyWait,
      byte[] cursorKey,
      Clock clock) {
    Tables mine = tables != null ? tables : Tables.fromEnvironment(service.tables());
    this.function = service.apiFunction();
    var gate =
        new ConsistencyGate(
            new Watermarks(store, mine.name(service.marksTable())), consistencyWait);
    var context = new QueryEndpoint.Context(store, mine, new Cursors(cursorKey), clock);
    this.routes = new HttpRoutes();
    for (QueryEndpoint e : service.queries()) {
      routes.on(e.route().routeKey(), gate.route(e.query().apply(context)));
    }
    // Each route with a malformed token: refused before any read, so priming changes nothing.
    this.priming = new Priming(function);
    for (QueryEndpoint e : service.queries()) {
      priming.step(
          e.route().routeKey() + ": malformed consistency token",
          () ->
              PrimingEvents.expect(
                  400,
                  handleRequest(
                      PrimingEvents.request(
                          e.route().routeKey(),
                          Map.of(),
                          Map.of(ConsistencyGate.HEADER, "ct1.not-a-token"),
                          null),
                      null)));
    }
  }

  /** The SnapStart hook; package-private so tests can prime directly. */
  Priming priming() {
    return priming;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return routes.handle(function, event, context);
  }
}
