package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.Priming;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.DomainRoutes;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.domain.QueryEndpoint;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** query-api: answers every query from the query tables (and command status). Reads only. */
public final class QueryApiHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  /** The function's id in the topology, as every log line names it. */
  static final String FUNCTION = "query-api";

  private final HttpRoutes routes;
  private final Priming priming;

  /** Lambda's constructor: SDK clients are built once here, primed, and captured by SnapStart. */
  public QueryApiHandler() {
    this(Domains.load(), Aws.dynamoDb());
    priming.register();
  }

  private QueryApiHandler(Domain domain, DynamoDbClient ddb) {
    this(
        domain,
        new DynamoRowStore(ddb),
        new DynamoCommandStatusStore(ddb, Env.require("COMMANDS_TABLE")),
        Settings.fromEnvironment(domain),
        Aws.MILLISECOND_CLOCK);
  }

  public QueryApiHandler(
      Domain domain, RowStore store, CommandStatusStore statuses, Settings settings, Clock clock) {
    var gate =
        new ConsistencyGate(
            new Watermarks(store, settings.watermarksTable()), settings.consistencyWait());
    var context =
        new QueryEndpoint.Context(
            store, settings.tables(), new Cursors(settings.cursorKey()), clock);
    this.routes = DomainRoutes.queries(domain, context, gate, statuses);
    // The function only reads; the requests ask for ids nothing has, so they are cheap misses.
    this.priming = new Priming(FUNCTION);
    for (PrimingSamples.Request r : domain.primingSamples().queryApi()) {
      priming.step(r.name(), () -> get(r.expectedStatus(), PrimingEvents.request(r)));
    }
    priming
        .step(
            "GET /commands/{commandId}: malformed consistency token",
            () -> get(400, command(Map.of(ConsistencyGate.HEADER, "ct1.not-a-token"))))
        .step("GET /commands/{commandId}: absent command", () -> get(404, command(Map.of())));
  }

  private static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent command(
      Map<String, String> headers) {
    return PrimingEvents.request(
        DomainRoutes.COMMAND_STATUS, Map.of("commandId", ABSENT_ID), headers, null);
  }

  private void get(
      int expected, com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent request) {
    PrimingEvents.expect(expected, handleRequest(request, null));
  }

  /** The SnapStart hook; package-private so tests can prime directly. */
  Priming priming() {
    return priming;
  }

  /**
   * What the query functions are configured with.
   *
   * @param consistencyWait how long a query with a consistency token waits for the read model
   * @param cursorKey the key that signs page cursors; shared by every instance of the deployment
   */
  public record Settings(
      Tables tables, String watermarksTable, Duration consistencyWait, byte[] cursorKey) {

    static Settings fromEnvironment(Domain domain) {
      return new Settings(
          Tables.fromEnvironment(domain.queryTables()),
          Env.require("WATERMARKS_TABLE"),
          Duration.ofMillis(Env.integer("CONSISTENCY_WAIT_MS", 5000)),
          Env.require("CURSOR_KEY").getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return routes.handle(FUNCTION, event, context);
  }
}
