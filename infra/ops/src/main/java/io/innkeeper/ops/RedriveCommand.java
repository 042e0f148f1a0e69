package io.innkeeper.ops;

import io.innkeeper.core.bus.PublisherRuntime;
import io.innkeeper.core.bus.SnsTopic;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.events.published.CloudEvent;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.PhysicalNames;
import io.innkeeper.topology.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code redrive [commands|projections] (--endpoint URL --sqs-endpoint URL | --outputs FILE)}:
 * replays what failed, once the cause is fixed, against a running local runtime or a deployed
 * stack.
 *
 * <ul>
 *   <li>{@code commands}: every message of a dead-letter queue goes back to the queue it came from
 *       ({@link RedriveDeadLetters}), in order per message group.
 *   <li>{@code projections}: every record the projector parked on its on-failure queue is read back
 *       from the stream, its events loaded from the events table and projected in order per
 *       aggregate ({@link RedriveParked}).
 *   <li>neither: both, commands first.
 * </ul>
 *
 * Which queues and tables take part comes from the topology; their names from the local runtime's
 * conventions or from the stack's outputs ({@link RedriveTargets}).
 */
@Command(
    name = "redrive",
    header = "Sends dead-lettered commands and parked stream records through again.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Replays what failed once its cause is fixed, against a running local runtime or a deployed"
          + " stack:",
      "  commands      moves every message of the command dead-letter queue back to the command"
          + " queue, in order per message group (a FAILED command can still settle)",
      "  projections   reads back from the stream what the projector parked on its on-failure"
          + " queue, loads those events from the events table and projects them in order per"
          + " aggregate; a parked record is deleted once all its events are projected",
      "  publications  likewise for what the event bus's publisher parked: its events are published"
          + " again on the topic, in order per aggregate, with their ids (SNS drops what it"
          + " already took within 5 minutes, subscribers by id after that)",
      "  (neither)     all three, commands first; publications locally only with --sns-endpoint",
      "",
      "Prints what it did; exits 1 if anything could not be redriven (it stays where it was).",
      ""
    })
public final class RedriveCommand extends Cli.Command {

  @Parameters(
      arity = "0..1",
      paramLabel = "commands|projections|publications",
      description = "what to redrive (default: all)")
  String target;

  @Mixin LocalEndpoints endpoints;

  @Mixin StackOptions stack;

  @Option(
      names = "--discard-trimmed",
      description =
          "projections: also delete parked records whose stream records are gone (DynamoDB"
              + " Streams keeps 24 h); only after `rebuild` replayed the events table, which still"
              + " holds their events")
  boolean discardTrimmed;

  /** Runs the subcommand; returns the exit code (0, 1 when something was left, 2 on bad usage). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Cli.run(new RedriveCommand(), args, out, err);
  }

  /** What to redrive. */
  enum Target {
    COMMANDS,
    PROJECTIONS,
    PUBLICATIONS,
    /** All of them. */
    BOTH;

    boolean commands() {
      return this == COMMANDS || this == BOTH;
    }

    boolean projections() {
      return this == PROJECTIONS || this == BOTH;
    }

    boolean publications() {
      return this == PUBLICATIONS || this == BOTH;
    }

    /** Whether records parked by a stream reader are read back from the stream. */
    boolean parked() {
      return projections() || publications();
    }
  }

  /** The options, checked against each other. */
  record Options(
      Target target,
      URI endpoint,
      URI sqsEndpoint,
      Path outputs,
      String stack,
      String region,
      boolean discardTrimmed) {

    boolean local() {
      return outputs == null;
    }
  }

  @Override
  protected int run() throws Exception {
    Options o = options();
    Topology topology = Topology.innkeeper();
    RedriveTargets deployed = null;
    if (!o.local()) {
      // Read the outputs before any client exists: a wrong file is a usage error, found offline.
      try {
        deployed = RedriveTargets.fromOutputs(topology, o.outputs(), o.stack());
      } catch (IOException | IllegalArgumentException e) {
        throw usage("cannot use " + o.outputs() + ": " + e.getMessage());
      }
    }
    try (SqsClient sqs = sqs(o);
        DynamoDbClient ddb = o.target().parked() ? dynamoDb(o) : null;
        DynamoDbStreamsClient streams = o.target().parked() ? streams(o) : null;
        SnsClient sns = publications(o) ? sns(o) : null) {
      RedriveTargets targets = deployed;
      if (targets == null) {
        try {
          targets = RedriveTargets.local(topology, sqs);
        } catch (SdkException e) {
          err.println(
              "redrive: cannot find the local runtime's queues at "
                  + o.sqsEndpoint()
                  + " (is it running?): "
                  + e.getMessage());
          return Cli.EXIT_FAILED;
        }
      }
      boolean clean = true;
      if (o.target().commands()) {
        for (RedriveTargets.DeadLetters route : targets.deadLetters()) {
          var result = new RedriveDeadLetters(sqs).redrive(route.dlqUrl(), route.queueUrl());
          result.print(route, out);
          clean &= result.clean();
        }
      }
      if (o.target().projections()) {
        for (RedriveTargets.Parked parked : targets.parked()) {
          if (parked.functionId().equals(PUBLISHER)) {
            continue;
          }
          var result =
              new RedriveParked(sqs, streams, ddb, targets.tables())
                  .redrive(parked.queueUrl(), o.discardTrimmed());
          result.print(parked, out);
          clean &= result.clean();
        }
      }
      if (o.target().publications()) {
        if (sns == null) {
          out.println(
              "redrive publisher-parked: skipped (the local runtime's --sns-endpoint is needed)");
        } else {
          PublisherRuntime publisher = publisher(o, topology, sns);
          for (RedriveTargets.Parked parked : targets.parked()) {
            if (!parked.functionId().equals(PUBLISHER)) {
              continue;
            }
            var result =
                new RedriveParked(sqs, streams, ddb, e -> publisher.publishOne(e), "published")
                    .redrive(parked.queueUrl(), o.discardTrimmed());
            result.print(parked, out);
            clean &= result.clean();
          }
        }
      }
      out.flush();
      return clean ? Cli.EXIT_OK : Cli.EXIT_FAILED;
    }
  }

  /** The event bus's publisher's function id, whose parked records are publications. */
  static final String PUBLISHER = "publisher";

  /** Whether publications are redriven: asked for, and the bus is reachable. */
  private boolean publications(Options o) {
    return o.target().publications() && (!o.local() || endpoints.sns != null);
  }

  /** The publisher as the deployment runs it: the same topic, source and ids. */
  private PublisherRuntime publisher(Options o, Topology topology, SnsClient sns) {
    Domain domain = Domains.load();
    String topicArn;
    String deployment;
    if (o.local()) {
      topicArn = LocalAws.topicArn(PhysicalNames.topic(topology.topic(Topology.EVENT_BUS)));
      deployment = MetricCatalog.LOCAL_SERVICE_NAME;
    } else {
      try {
        topicArn =
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Files.readAllBytes(o.outputs()))
                .path(o.stack())
                .path(OutputNames.topicArn(Topology.EVENT_BUS))
                .asText("");
      } catch (IOException e) {
        throw usage("cannot read " + o.outputs() + ": " + e.getMessage());
      }
      if (topicArn.isEmpty()) {
        throw usage(
            "stack "
                + o.stack()
                + " has no output "
                + OutputNames.topicArn(Topology.EVENT_BUS)
                + ": deploy the event bus first");
      }
      deployment = o.stack();
    }
    return new PublisherRuntime(
        domain.publishedLanguage(),
        domain.eventTypes(),
        new SnsTopic(sns, topicArn),
        CloudEvent.sourceOf(deployment, domain.name()));
  }

  private SnsClient sns(Options o) {
    if (o.local()) {
      return LocalAws.sns(endpoints.sns);
    }
    var b = SnsClient.builder().httpClient(UrlConnectionHttpClient.create());
    if (o.region() != null) {
      b.region(Region.of(o.region()));
    }
    return b.build();
  }

  /** The options, checked against each other; a usage error when they do not fit. */
  Options options() {
    Target chosen;
    if (target == null) {
      chosen = Target.BOTH;
    } else if (target.equals("commands")) {
      chosen = Target.COMMANDS;
    } else if (target.equals("projections")) {
      chosen = Target.PROJECTIONS;
    } else if (target.equals("publications")) {
      chosen = Target.PUBLICATIONS;
    } else {
      throw usage("Unknown redrive target: " + target + " (commands, projections or publications)");
    }
    boolean local = endpoints.dynamoDb != null || endpoints.sqs != null;
    if (local == (stack.outputs() != null)) {
      throw usage(
          "Say where the queues are: --endpoint URL --sqs-endpoint URL (a local runtime) or"
              + " --outputs FILE (a deployed stack), not both.");
    }
    if (local && endpoints.sqs == null) {
      throw usage("--sqs-endpoint URL is needed too: the local runtime's SQS endpoint.");
    }
    if (local && chosen == Target.PUBLICATIONS && endpoints.sns == null) {
      throw usage(
          "--sns-endpoint URL is needed to redrive publications: the local runtime's SNS"
              + " endpoint.");
    }
    if (local && endpoints.dynamoDb == null && chosen.parked()) {
      throw usage(
          "--endpoint URL is needed to redrive projections: the local runtime's DynamoDB"
              + " endpoint.");
    }
    if (discardTrimmed && !chosen.parked()) {
      throw usage("--discard-trimmed applies to projections and publications only.");
    }
    return new Options(
        chosen,
        endpoints.dynamoDb,
        endpoints.sqs,
        stack.outputs(),
        stack.stack(),
        stack.region(),
        discardTrimmed);
  }

  private static SqsClient sqs(Options o) {
    if (o.local()) {
      return LocalAws.sqs(o.sqsEndpoint());
    }
    var b = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
    if (o.region() != null) {
      b.region(Region.of(o.region()));
    }
    return b.build();
  }

  private static DynamoDbClient dynamoDb(Options o) {
    if (o.local()) {
      return LocalAws.dynamoDb(o.endpoint());
    }
    var b = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
    if (o.region() != null) {
      b.region(Region.of(o.region()));
    }
    return b.build();
  }

  /** DynamoDB Local serves the Streams API on its own endpoint; AWS has a separate one. */
  private static DynamoDbStreamsClient streams(Options o) {
    if (o.local()) {
      return LocalAws.dynamoDbStreams(o.endpoint());
    }
    var b = DynamoDbStreamsClient.builder().httpClient(UrlConnectionHttpClient.create());
    if (o.region() != null) {
      b.region(Region.of(o.region()));
    }
    return b.build();
  }
}
