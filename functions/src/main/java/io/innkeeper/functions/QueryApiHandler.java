package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.http.ApiRequest;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** query-api: answers every query from the query tables (and command status). Reads only. */
public final class QueryApiHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final HttpRoutes routes;

  /** Lambda's constructor: SDK clients are built once here (and captured by SnapStart). */
  public QueryApiHandler() {
    this(Aws.dynamoDb(), Settings.fromEnvironment());
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
    return routes.handle(ApiRequest.from(event)).toLambda();
  }
}
