package io.innkeeper.cdk;

import io.innkeeper.topology.Trigger;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSourceProps;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * Event source mappings for a function's queue and stream triggers; HTTP routes belong to {@link
 * InnkeeperApi}. Mappings target the function's alias, never {@code $LATEST}.
 */
final class Triggers {

  private Triggers() {}

  static void bind(InnkeeperFunction fn, Map<String, Table> tables, Map<String, Queue> queues) {
    for (Trigger trigger : fn.spec().triggers()) {
      if (trigger instanceof Trigger.SqsTrigger sqs) {
        sqs(fn, sqs, queues);
      } else if (trigger instanceof Trigger.StreamTrigger stream) {
        stream(fn, stream, tables, queues);
      }
    }
  }

  private static void sqs(InnkeeperFunction fn, Trigger.SqsTrigger sqs, Map<String, Queue> queues) {
    // Grants the consume actions the poller needs on this queue.
    fn.alias()
        .addEventSource(
            new SqsEventSource(
                AccessGrants.queue(queues, sqs.queueId()),
                SqsEventSourceProps.builder()
                    .batchSize(sqs.batchSize())
                    .maxConcurrency(sqs.maxConcurrency())
                    .reportBatchItemFailures(true)
                    .build()));
  }

  private static void stream(
      InnkeeperFunction fn,
      Trigger.StreamTrigger stream,
      Map<String, Table> tables,
      Map<String, Queue> queues) {
    var props =
        DynamoEventSourceProps.builder()
            .startingPosition(StartingPosition.valueOf(stream.startingPosition()))
            .batchSize(stream.batchSize())
            .retryAttempts(stream.maximumRetryAttempts())
            .bisectBatchOnError(stream.bisectBatchOnError())
            .maxRecordAge(Duration.seconds(stream.maximumRecordAgeSeconds()))
            .reportBatchItemFailures(true);
    if (stream.filterPattern() != null) {
      // What FilterCriteria.filter(map) would produce; the topology already holds the JSON, and
      // passing it through keeps it byte-for-byte what infra/local evaluates.
      props.filters(List.of(Map.of("pattern", stream.filterPattern())));
    }
    if (stream.onFailureQueueId() != null) {
      Queue parked = AccessGrants.queue(queues, stream.onFailureQueueId());
      // Also grants SendMessage on that queue, which the parked-batch records need.
      props.onFailure(new SqsDlq(parked));
      Nag.acknowledge(
          parked,
          "SQS3",
          "This queue is itself the dead-letter destination of the "
              + fn.spec().id()
              + " stream mapping (its on-failure destination, which cdk-nag does not recognise"
              + " as a DLQ). Nothing consumes it automatically; an operator redrives it.");
    }
    // Grants the stream read actions on this table's stream only.
    fn.alias()
        .addEventSource(
            new DynamoEventSource(AccessGrants.table(tables, stream.tableId()), props.build()));
  }
}
