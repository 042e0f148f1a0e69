package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.Priming;
import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.command.CommandQueue;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.command.SqsCommandQueue;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.hotel.booking.ReservationQueries;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** command-api: validates and authorizes commands, records them PENDING and enqueues them. */
public final class CommandApiHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  /** The function's id in the topology, as every log line names it. */
  static final String FUNCTION = "command-api";

  private final HttpRoutes routes;
  private final Priming priming;

  /** Lambda's constructor: SDK clients are built once here, primed, and captured by SnapStart. */
  public CommandApiHandler() {
    this(Aws.dynamoDb(), Aws.sqs(), Env.require("COMMAND_QUEUE_URL"));
    priming.register();
  }

  private CommandApiHandler(DynamoDbClient ddb, SqsClient sqs, String queueUrl) {
    this(
        new DynamoCommandStatusStore(ddb, Env.require("COMMANDS_TABLE")),
        new SqsCommandQueue(sqs, queueUrl),
        HotelDomain.reservationLookup(new DynamoRowStore(ddb), Env.require("RESERVATIONS_TABLE")),
        Aws.MILLISECOND_CLOCK);
    // A send would enqueue a command. Reading the queue's attributes changes nothing, is allowed by
    // the send grant, and takes the SQS client through the same request pipeline.
    priming.step(
        "command queue: attributes",
        () ->
            sqs.getQueueAttributes(
                b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)));
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
    // Every step only reads: the booking is refused by validation, before anything is recorded or
    // enqueued, and the reads look up an id no command or reservation has.
    this.priming =
        new Priming(FUNCTION)
            .step(
                "POST /reservations: invalid body",
                () ->
                    PrimingSamples.expect(
                        400,
                        handleRequest(
                            PrimingSamples.request(
                                "POST /reservations",
                                Map.of(),
                                Map.of("content-type", "application/json"),
                                "{\"hotelId\":\"" + ABSENT_ID + "\",\"guests\":0}"),
                            null)))
            .step("commands table: absent command", () -> statuses.find(ABSENT_ID))
            .step("reservations table: absent reservation", () -> reservations.apply(ABSENT_ID));
  }

  /** The SnapStart hook; package-private so tests can prime directly. */
  Priming priming() {
    return priming;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return routes.handle(FUNCTION, event, context);
  }
}
