package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.command.CommandQueue;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.command.SqsCommandQueue;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.hotel.booking.ReservationQueries;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** command-api: validates and authorizes commands, records them PENDING and enqueues them. */
public final class CommandApiHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final HttpRoutes routes;

  /** Lambda's constructor: SDK clients are built once here (and captured by SnapStart). */
  public CommandApiHandler() {
    this(Aws.dynamoDb());
  }

  private CommandApiHandler(DynamoDbClient ddb) {
    this(
        new DynamoCommandStatusStore(ddb, Env.require("COMMANDS_TABLE")),
        new SqsCommandQueue(Aws.sqs(), Env.require("COMMAND_QUEUE_URL")),
        HotelDomain.reservationLookup(new DynamoRowStore(ddb), Env.require("RESERVATIONS_TABLE")),
        Aws.MILLISECOND_CLOCK);
  }

  /**
   * @param reservations the reservations read model, read-only, for the owner check on a cancel
   */
  public CommandApiHandler(
      CommandStatusStore statuses,
      CommandQueue queue,
      Function<String, Optional<ReservationQueries.Visible>> reservations,
      Clock clock) {
    this.routes =
        HotelDomain.commandRoutes(new CommandIntake(statuses, queue, clock), reservations);
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return routes.handle(ApiRequest.from(event)).toLambda();
  }
}
