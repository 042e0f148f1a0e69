package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.hotel.HotelDomain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** query-api: answers every query from the query tables (and command status). Reads only. */
public final class QueryApiHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final HttpRoutes routes;

  /** Lambda's constructor: SDK clients are built once here (and captured by SnapStart). */
  public QueryApiHandler() {
    this(
        Aws.dynamoDb(),
        new HotelDomain.QueryTables(Env.require("HOTELS_TABLE")),
        Env.require("COMMANDS_TABLE"));
  }

  public QueryApiHandler(DynamoDbClient ddb, HotelDomain.QueryTables tables, String commandsTable) {
    this.routes =
        HotelDomain.queryRoutes(ddb, tables, new DynamoCommandStatusStore(ddb, commandsTable));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return routes.handle(ApiRequest.from(event)).toLambda();
  }
}
