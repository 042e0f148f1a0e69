package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.command.CommandConsumer;
import io.innkeeper.core.command.CommandProcessor;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.eventstore.DynamoEventStore;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.hotel.HotelDomain;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** command-handler: decides each queued command and appends its events to the record. */
public final class CommandHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final CommandConsumer consumer;

  /** Lambda's constructor: SDK clients are built once here (and captured by SnapStart). */
  public CommandHandler() {
    this(Aws.dynamoDb(), Env.require("EVENTS_TABLE"), Env.require("COMMANDS_TABLE"));
  }

  private CommandHandler(DynamoDbClient ddb, String eventsTable, String commandsTable) {
    this(
        new DynamoEventStore(ddb, eventsTable),
        new DynamoCommandStatusStore(ddb, commandsTable),
        Env.integer("MAX_RECEIVE_COUNT", 5),
        Aws.MILLISECOND_CLOCK);
  }

  public CommandHandler(
      EventStore store, CommandStatusStore statuses, int maxReceiveCount, Clock clock) {
    var processor = new CommandProcessor(store, statuses, HotelDomain.aggregates(), clock);
    this.consumer = new CommandConsumer(processor, statuses, maxReceiveCount, clock);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return consumer.handle(event);
  }
}
