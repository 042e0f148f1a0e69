package io.innkeeper.ops;

import java.net.URI;
import picocli.CommandLine.Option;

/**
 * The options that name a running local runtime's AWS endpoints (its banner prints them), shared by
 * the operator commands that reach queues, tables and the event bus directly. Which of them a
 * command needs is the command's to say.
 */
public final class LocalEndpoints {

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      converter = Cli.Url.class,
      description = "the local runtime's DynamoDB (and Streams) endpoint (printed at start-up)")
  URI dynamoDb;

  @Option(
      names = "--sqs-endpoint",
      paramLabel = "URL",
      converter = Cli.Url.class,
      description = "the local runtime's SQS endpoint (printed at start-up)")
  URI sqs;

  @Option(
      names = "--sns-endpoint",
      paramLabel = "URL",
      converter = Cli.Url.class,
      description = "the local runtime's SNS endpoint (printed at start-up)")
  URI sns;
}
