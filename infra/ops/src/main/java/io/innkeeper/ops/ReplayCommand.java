package io.innkeeper.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.events.published.CloudEvent;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.PhysicalNames;
import io.innkeeper.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code replay --queue URL|ID [--since TIME] [--dry-run] (--endpoint URL --sqs-endpoint URL
 * --sns-endpoint URL | --outputs FILE)}: republishes integration events from the record to one
 * subscriber's queue ({@link Replay}).
 */
@Command(
    name = "replay",
    header = "Replays integration events from the record to one subscriber's queue.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Reads the events table (the record, so older than the stream's 24 hours), maps each event"
          + " to its integration event with the same id, and sends to one queue subscribed to the"
          + " event bus what its subscription would have delivered: raw or in SNS's envelope, only"
          + " the types its filter policy lets through, in sequence order per aggregate. Nothing"
          + " goes to the topic, so no other subscriber sees anything. A new subscriber backfills;"
          + " a broken one recovers. Subscribers drop what they already have by id or sequence, so"
          + " a replay can be repeated.",
      "",
      "Prints what it sent; exits 1 if SQS refused something.",
      ""
    })
public final class ReplayCommand extends Cli.Command {

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "URL|ID",
      description =
          "the subscriber's queue: its URL, or a topology queue id (e.g. guest-messages-queue)")
  String queue;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "only events that occurred at or after this instant (ISO-8601, e.g. 2026-12-01T00:00:00Z)")
  String since;

  @Option(names = "--dry-run", description = "count what would be sent, send nothing")
  boolean dryRun;

  @Mixin LocalEndpoints endpoints;

  @Mixin StackOptions stack;

  /** Runs the subcommand; returns the exit code. */
  public static int run(List<String> args, java.io.PrintStream out, java.io.PrintStream err) {
    return Cli.run(new ReplayCommand(), args, out, err);
  }

  @Override
  protected int run() throws Exception {
    boolean local = endpoints.dynamoDb != null || endpoints.sqs != null || endpoints.sns != null;
    if (local == (stack.outputs() != null)) {
      throw usage(
          "Say where the bus is: --endpoint URL --sqs-endpoint URL --sns-endpoint URL (a local"
              + " runtime) or --outputs FILE (a deployed stack), not both.");
    }
    if (local && (endpoints.dynamoDb == null || endpoints.sqs == null || endpoints.sns == null)) {
      throw usage("A local runtime needs all three: --endpoint, --sqs-endpoint, --sns-endpoint.");
    }
    Instant from = null;
    if (since != null) {
      try {
        from = Instant.parse(since);
      } catch (DateTimeParseException e) {
        throw usage("--since: not an ISO-8601 instant: " + since);
      }
    }
    Domain domain = Domains.load();
    Topology topology = Topology.of(domain);
    String eventsTable;
    String topicArn;
    String deployment;
    String queueUrl = queue.contains("://") ? queue : null;
    if (local) {
      eventsTable = PhysicalNames.table("events");
      topicArn = LocalAws.topicArn(PhysicalNames.topic(topology.topic(Topology.EVENT_BUS)));
      deployment = MetricCatalog.LOCAL_SERVICE_NAME;
    } else {
      JsonNode outputs;
      try {
        outputs =
            io.innkeeper.client.Json.MAPPER
                .readTree(Files.readAllBytes(stack.outputs()))
                .path(stack.stack());
      } catch (IOException e) {
        throw usage("cannot read " + stack.outputs() + ": " + e.getMessage());
      }
      eventsTable = required(outputs, OutputNames.tableName("events"));
      topicArn = required(outputs, OutputNames.topicArn(Topology.EVENT_BUS));
      if (queueUrl == null) {
        queueUrl = required(outputs, OutputNames.queueUrl(queue));
      }
      // The publisher's SERVICE_NAME on AWS is the stack's name.
      deployment = stack.stack();
    }
    try (DynamoDbClient ddb =
            local ? LocalAws.dynamoDb(endpoints.dynamoDb) : aws(DynamoDbClient.builder());
        SqsClient sqs = local ? LocalAws.sqs(endpoints.sqs) : aws(SqsClient.builder());
        SnsClient sns = local ? LocalAws.sns(endpoints.sns) : aws(SnsClient.builder())) {
      if (queueUrl == null) {
        String name = PhysicalNames.queue(topology.queue(queue));
        try {
          queueUrl = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        } catch (SdkException e) {
          err.println("replay: no queue " + name + " at " + endpoints.sqs + ": " + e.getMessage());
          return Cli.EXIT_FAILED;
        }
      }
      Replay replay =
          new Replay(ddb, sqs, sns, domain, CloudEvent.sourceOf(deployment, domain.name()));
      Replay.Subscription subscription;
      try {
        subscription = replay.subscription(topicArn, queueUrl);
      } catch (IllegalArgumentException e) {
        err.println("replay: " + e.getMessage());
        return Cli.EXIT_FAILED;
      }
      try {
        Replay.Result result =
            replay.replay(eventsTable, topicArn, queueUrl, subscription, from, dryRun);
        result.print(queueUrl, subscription, dryRun, out);
      } catch (IllegalStateException e) {
        err.println("replay: " + e.getMessage());
        return Cli.EXIT_FAILED;
      }
      out.flush();
      return Cli.EXIT_OK;
    }
  }

  private String required(JsonNode outputs, String name) {
    String value = outputs.path(name).asText("");
    if (value.isEmpty()) {
      throw usage("stack " + stack.stack() + " in " + stack.outputs() + " has no output " + name);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private <
          C,
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>
                  & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>>
      C aws(B builder) {
    builder.httpClient(UrlConnectionHttpClient.create());
    if (stack.region() != null) {
      builder.region(Region.of(stack.region()));
    }
    return builder.build();
  }
}
