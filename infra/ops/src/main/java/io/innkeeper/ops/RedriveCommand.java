package io.innkeeper.ops;

import io.innkeeper.topology.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
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
public final class RedriveCommand {

  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  static final String USAGE =
      """
      Usage: java -jar innkeeper-local.jar redrive [commands|projections]
                 (--endpoint URL --sqs-endpoint URL | --outputs FILE) [options]

      Replays what failed once its cause is fixed, against a running local runtime or a
      deployed stack:
        commands      moves every message of the command dead-letter queue back to the command
                      queue, in order per message group (a FAILED command can still settle)
        projections   reads back from the stream what the projector parked on its on-failure
                      queue, loads those events from the events table and projects them in
                      order per aggregate; a parked record is deleted once all its events are
                      projected
        (neither)     both, commands first

      Prints what it did; exits 1 if anything could not be redriven (it stays where it was).

      Options:
        --endpoint URL      the local runtime's DynamoDB (and Streams) endpoint (printed at
                            start-up); needed for projections
        --sqs-endpoint URL  the local runtime's SQS endpoint (printed at start-up)
        --outputs FILE      a deployed stack: the file `cdk deploy --outputs-file FILE` wrote;
                            AWS credentials and region from the default chains
        --stack NAME        the stack in the outputs file (default Innkeeper)
        --region REGION     the AWS region, if not the default chain's
        --discard-trimmed   projections: also delete parked records whose stream records are
                            gone (DynamoDB Streams keeps 24 h); only after `rebuild` replayed
                            the events table, which still holds their events
        -h, --help          show this help
      """;

  private RedriveCommand() {}

  /** What to redrive. */
  enum Target {
    COMMANDS,
    PROJECTIONS,
    BOTH;

    boolean commands() {
      return this != PROJECTIONS;
    }

    boolean projections() {
      return this != COMMANDS;
    }
  }

  /** Parsed arguments; {@code help} alone means only the usage was asked for. */
  record Options(
      Target target,
      URI endpoint,
      URI sqsEndpoint,
      Path outputs,
      String stack,
      String region,
      boolean discardTrimmed,
      boolean help) {

    boolean local() {
      return outputs == null;
    }
  }

  /** Runs the subcommand; returns the exit code (0, 1 when something was left, 2 on bad usage). */
  public static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options o = parse(args, err);
    if (o == null) {
      err.print(USAGE);
      return EXIT_USAGE;
    }
    if (o.help()) {
      out.print(USAGE);
      return 0;
    }
    Topology topology = Topology.innkeeper();
    RedriveTargets deployed = null;
    if (!o.local()) {
      // Read the outputs before any client exists: a wrong file is a usage error, found offline.
      try {
        deployed = RedriveTargets.fromOutputs(topology, o.outputs(), o.stack());
      } catch (IOException | IllegalArgumentException e) {
        err.println("redrive: cannot use " + o.outputs() + ": " + e.getMessage());
        return EXIT_USAGE;
      }
    }
    try (SqsClient sqs = sqs(o);
        DynamoDbClient ddb = o.target().projections() ? dynamoDb(o) : null;
        DynamoDbStreamsClient streams = o.target().projections() ? streams(o) : null) {
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
          return EXIT_FAILED;
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
          var result =
              new RedriveParked(sqs, streams, ddb, targets.tables())
                  .redrive(parked.queueUrl(), o.discardTrimmed());
          result.print(parked, out);
          clean &= result.clean();
        }
      }
      out.flush();
      return clean ? 0 : EXIT_FAILED;
    }
  }

  /**
   * Parses the arguments; {@code null} (after saying why on {@code err}) when they are not valid.
   */
  static Options parse(List<String> args, PrintStream err) {
    Target target = null;
    URI endpoint = null;
    URI sqsEndpoint = null;
    Path outputs = null;
    String stack = "Innkeeper";
    String region = null;
    boolean discardTrimmed = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-h", "--help" -> {
          return new Options(Target.BOTH, null, null, null, stack, null, false, true);
        }
        case "--discard-trimmed" -> discardTrimmed = true;
        case "commands", "projections" -> {
          if (target != null) {
            err.println("Say one target: commands or projections (or neither for both).");
            return null;
          }
          target = arg.equals("commands") ? Target.COMMANDS : Target.PROJECTIONS;
        }
        case "--endpoint", "--sqs-endpoint", "--outputs", "--stack", "--region" -> {
          if (i + 1 >= args.size()) {
            err.println(arg + " needs a value");
            return null;
          }
          String value = args.get(++i);
          switch (arg) {
            case "--endpoint", "--sqs-endpoint" -> {
              URI uri = url(value);
              if (uri == null) {
                err.println(arg + " must be a URL such as http://127.0.0.1:8000, not " + value);
                return null;
              }
              if (arg.equals("--endpoint")) {
                endpoint = uri;
              } else {
                sqsEndpoint = uri;
              }
            }
            case "--outputs" -> outputs = Path.of(value);
            case "--stack" -> stack = value;
            default -> region = value;
          }
        }
        default -> {
          err.println(
              arg.startsWith("-") ? "Unknown option: " + arg : "Unknown redrive target: " + arg);
          return null;
        }
      }
    }
    target = target == null ? Target.BOTH : target;
    boolean local = endpoint != null || sqsEndpoint != null;
    if (local == (outputs != null)) {
      err.println(
          "Say where the queues are: --endpoint URL --sqs-endpoint URL (a local runtime) or"
              + " --outputs FILE (a deployed stack), not both.");
      return null;
    }
    if (local && sqsEndpoint == null) {
      err.println("--sqs-endpoint URL is needed too: the local runtime's SQS endpoint.");
      return null;
    }
    if (local && endpoint == null && target.projections()) {
      err.println(
          "--endpoint URL is needed to redrive projections: the local runtime's DynamoDB"
              + " endpoint.");
      return null;
    }
    if (discardTrimmed && !target.projections()) {
      err.println("--discard-trimmed applies to projections only.");
      return null;
    }
    return new Options(
        target, endpoint, sqsEndpoint, outputs, stack, region, discardTrimmed, false);
  }

  private static URI url(String value) {
    try {
      URI uri = URI.create(value);
      return uri.getScheme() == null || uri.getHost() == null ? null : uri;
    } catch (IllegalArgumentException e) {
      return null;
    }
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
