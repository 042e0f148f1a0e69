package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.Priming;
import io.innkeeper.core.ReadOnly;
import io.innkeeper.core.command.CommandConsumer;
import io.innkeeper.core.command.CommandEnvelope;
import io.innkeeper.core.command.CommandProcessor;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.command.Redelivery;
import io.innkeeper.core.command.SqsCommandQueue;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.eventstore.DynamoEventStore;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.obs.Log;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** command-handler: decides each queued command and appends its events to the record. */
public final class CommandHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  /** The function's id in the topology, as every log line names it. */
  static final String FUNCTION = "command-handler";

  private final CommandConsumer consumer;
  private final Priming priming;

  /** Lambda's constructor: SDK clients are built once here, primed, and captured by SnapStart. */
  public CommandHandler() {
    this(
        Domains.load(), Aws.dynamoDb(), Env.require("EVENTS_TABLE"), Env.require("COMMANDS_TABLE"));
    priming.register();
  }

  private CommandHandler(
      Domain domain, DynamoDbClient ddb, String eventsTable, String commandsTable) {
    this(
        domain,
        new DynamoEventStore(ddb, eventsTable, commandsTable),
        new DynamoCommandStatusStore(ddb, commandsTable),
        Env.integer("MAX_RECEIVE_COUNT", 5),
        Aws.MILLISECOND_CLOCK,
        Redelivery.after(Env.require("COMMAND_RETRY_DELAYS"), lazyVisibility()));
  }

  /**
   * Changes a message's visibility with an SQS client built at the first failure: only a failing
   * command needs SQS, and building a client costs every cold start about a tenth of a second.
   */
  private static Redelivery.Visibility lazyVisibility() {
    String queueUrl = Env.require("COMMAND_QUEUE_URL");
    var queue = new java.util.concurrent.atomic.AtomicReference<SqsCommandQueue>();
    java.util.function.Supplier<SqsCommandQueue> lazy =
        () -> {
          if (queue.get() == null) {
            queue.compareAndSet(null, new SqsCommandQueue(Aws.sqs(), queueUrl));
          }
          return queue.get();
        };
    return new Redelivery.Visibility() {
      @Override
      public void change(String receiptHandle, int seconds) {
        lazy.get().changeVisibility(receiptHandle, seconds);
      }

      @Override
      public void changeAll(java.util.List<String> receiptHandles, int seconds) {
        lazy.get().changeVisibility(receiptHandles, seconds);
      }
    };
  }

  public CommandHandler(
      Domain domain,
      EventStore store,
      CommandStatusStore statuses,
      int maxReceiveCount,
      Clock clock) {
    this(domain, store, statuses, maxReceiveCount, clock, Redelivery.queueDefault());
  }

  /**
   * @param redelivery when a failed command comes back (the queue's visibility timeout, or the
   *     topology's retry delays)
   */
  public CommandHandler(
      Domain domain,
      EventStore store,
      CommandStatusStore statuses,
      int maxReceiveCount,
      Clock clock,
      Redelivery redelivery) {
    var processor = new CommandProcessor(store, statuses, domain, clock);
    this.consumer = new CommandConsumer(processor, statuses, maxReceiveCount, clock, redelivery);
    // The real pipeline over stores that refuse writes: priming does the reads and the deciding a
    // queued command does, and cannot change anything whatever the samples hold.
    var dryRun =
        new CommandProcessor(ReadOnly.events(store), ReadOnly.statuses(statuses), domain, clock);
    this.priming = new Priming(FUNCTION);
    for (PrimingSamples.Command sample : domain.primingSamples().commands()) {
      priming.step(
          sample.type() + ": decided, stopped at the first write",
          () -> prime(dryRun, PrimingEvents.command(sample)));
    }
  }

  /** Through JSON and back first, as command-api writes it and the queue delivers it. */
  private static void prime(CommandProcessor dryRun, CommandEnvelope sample) {
    CommandEnvelope received = CommandEnvelope.fromJson(sample.toJson());
    ReadOnly.untilFirstWrite(() -> dryRun.process(received));
  }

  /** The SnapStart hook; package-private so tests can prime directly. */
  Priming priming() {
    return priming;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    try (Log.Scope scope =
        Log.invocation(
            FUNCTION, "awsRequestId", context == null ? null : context.getAwsRequestId())) {
      return consumer.handle(event, io.innkeeper.core.aws.Deadline.of(context));
    }
  }
}
