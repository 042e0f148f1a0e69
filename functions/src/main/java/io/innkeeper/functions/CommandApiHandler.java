package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.Priming;
import io.innkeeper.core.ReadOnly;
import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.command.CommandQueue;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.command.SqsCommandQueue;
import io.innkeeper.core.domain.CommandEndpoint;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.DomainRoutes;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
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
    this(Domains.load(), Aws.dynamoDb(), Aws.sqs(), Env.require("COMMAND_QUEUE_URL"));
    priming.register();
  }

  private CommandApiHandler(Domain domain, DynamoDbClient ddb, SqsClient sqs, String queueUrl) {
    this(
        domain,
        new DynamoCommandStatusStore(ddb, Env.require("COMMANDS_TABLE")),
        new SqsCommandQueue(sqs, queueUrl),
        new DynamoRowStore(ddb),
        Tables.fromEnvironment(reads(domain)),
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
   * @param readModels the query tables, of which the endpoints see only the {@code tables} they
   *     declared they read, and only to read
   */
  public CommandApiHandler(
      Domain domain,
      CommandStatusStore statuses,
      CommandQueue queue,
      RowStore readModels,
      Tables tables,
      Clock clock) {
    var context =
        new CommandEndpoint.Context(
            new CommandIntake(statuses, queue, clock, domain.commandTypes()),
            ReadOnly.rows(readModels),
            tables);
    this.routes = DomainRoutes.commands(domain, context);
    // Every step only reads: the domain's requests are refused by validation, before anything is
    // recorded or enqueued, and the reads look up an id no command or row has.
    this.priming = new Priming(FUNCTION);
    for (PrimingSamples.Request r : domain.primingSamples().commandApi()) {
      priming.step(
          r.name(),
          () ->
              PrimingEvents.expect(
                  r.expectedStatus(), handleRequest(PrimingEvents.request(r), null)));
    }
    priming.step("commands table: absent command", () -> statuses.find(ABSENT_ID));
    for (String id : tables.ids()) {
      RowKey absent = new RowKey(tables.name(id), ABSENT_ID, ABSENT_ID);
      priming.step(id + " table: absent row", () -> readModels.get(absent, false));
    }
  }

  /** The query tables the domain's command endpoints read, sorted. */
  static Set<String> reads(Domain domain) {
    Set<String> reads = new TreeSet<>();
    domain.commandEndpoints().forEach(e -> reads.addAll(e.reads()));
    return reads;
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
