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
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.query.ConsistencyGate;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.hotel.HotelDomain;
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
    this(Aws.dynamoDb(), Settings.fromEnvironment());
    priming.register();
  }

  private QueryApiHandler(DynamoDbClient ddb, Settings settings) {
    this(
        new DynamoRowStore(ddb),
        new DynamoCommandStatusStore(ddb, Env.require("COMMANDS_TABLE")),
        settings,
        Aws.MILLISECOND_CLOCK);
  }

  public QueryApiHandler(
      RowStore store, CommandStatusStore statuses, Settings settings, Clock clock) {
    this.routes =
        HotelDomain.queryRoutes(
            store,
            settings.tables(),
            statuses,
            new ConsistencyGate(
                new Watermarks(store, settings.watermarksTable()), settings.consistencyWait()),
            new Cursors(settings.cursorKey()),
            clock);
    // The function only reads; the requests ask for ids no hotel, guest or command has, so they
    // are cheap misses, and between them cover GetItem, BatchGetItem and Query.
    this.priming =
        new Priming(FUNCTION)
            .step(
                "GET /hotels/{hotelId}: absent hotel",
                () -> get(404, "GET /hotels/{hotelId}", Map.of("hotelId", ABSENT_ID), Map.of()))
            .step(
                "GET /hotels/{hotelId}: malformed consistency token",
                () ->
                    get(
                        400,
                        "GET /hotels/{hotelId}",
                        Map.of("hotelId", ABSENT_ID),
                        Map.of(ConsistencyGate.HEADER, "ct1.not-a-token")))
            .step(
                "GET /me/reservations: caller without reservations",
                () -> get(200, "GET /me/reservations", Map.of(), Map.of()))
            .step(
                "GET /commands/{commandId}: absent command",
                () ->
                    get(
                        404,
                        "GET /commands/{commandId}",
                        Map.of("commandId", ABSENT_ID),
                        Map.of()));
  }

  private void get(
      int expected, String routeKey, Map<String, String> path, Map<String, String> headers) {
    PrimingSamples.expect(
        expected, handleRequest(PrimingSamples.request(routeKey, path, headers, null), null));
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
      HotelDomain.QueryTables tables,
      String watermarksTable,
      Duration consistencyWait,
      byte[] cursorKey) {

    static Settings fromEnvironment() {
      return new Settings(
          HotelDomain.QueryTables.fromEnvironment(),
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
