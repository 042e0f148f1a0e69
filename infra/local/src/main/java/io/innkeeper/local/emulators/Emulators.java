package io.innkeeper.local.emulators;

import io.innkeeper.local.sns.LocalSns;
import io.innkeeper.local.sns.SnsServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS-compatible servers the local runtime talks to over HTTP: DynamoDB Local (with Streams),
 * ElasticMQ (SQS) and the local SNS endpoint (the event bus, delivering into ElasticMQ), all in
 * this JVM and bound to 127.0.0.1 on free ports.
 */
public final class Emulators implements AutoCloseable {

  private final DynamoDbLocalServer dynamoDb;
  private final ElasticMqServer sqs;
  private final SqsClient snsDeliveries;
  private final SnsServer sns;

  private Emulators(
      DynamoDbLocalServer dynamoDb, ElasticMqServer sqs, SqsClient snsDeliveries, SnsServer sns) {
    this.dynamoDb = dynamoDb;
    this.sqs = sqs;
    this.snsDeliveries = snsDeliveries;
    this.sns = sns;
  }

  /**
   * Starts both servers in parallel (each takes one to two seconds, mostly class loading).
   *
   * @param dataDir where they keep their data ({@code dynamodb/}, {@code sqs/} and {@code sns/}
   *     below it), or {@code null} to keep everything in memory
   */
  public static Emulators start(Path dataDir) throws Exception {
    // Both servers log through SLF4J; initialized from two threads at once, SLF4J queues and then
    // replays early calls with a three-line warning.
    org.slf4j.LoggerFactory.getILoggerFactory();
    ExecutorService starters =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "emulator-start");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<DynamoDbLocalServer> dynamoDb =
          starters.submit(
              () ->
                  DynamoDbLocalServer.start(dataDir == null ? null : dataDir.resolve("dynamodb")));
      Future<ElasticMqServer> sqs =
          starters.submit(
              () -> ElasticMqServer.start(dataDir == null ? null : dataDir.resolve("sqs")));
      DynamoDbLocalServer startedDynamoDb = null;
      ElasticMqServer startedSqs = null;
      Exception failure = null;
      try {
        startedDynamoDb = dynamoDb.get();
      } catch (ExecutionException e) {
        failure = unwrap(e, "DynamoDB Local");
      }
      try {
        startedSqs = sqs.get();
      } catch (ExecutionException e) {
        Exception sqsFailure = unwrap(e, "ElasticMQ");
        if (failure == null) {
          failure = sqsFailure;
        } else {
          failure.addSuppressed(sqsFailure);
        }
      }
      SqsClient snsDeliveries = null;
      SnsServer sns = null;
      if (failure == null) {
        // The bus needs ElasticMQ's endpoint; it starts in milliseconds, so after the other two.
        try {
          snsDeliveries = SnsServer.deliveryClient(startedSqs.endpoint());
          sns =
              SnsServer.start(
                  snsDeliveries,
                  "127.0.0.1",
                  0,
                  LocalSns.Options.defaults()
                      .withStateFile(
                          dataDir == null ? null : dataDir.resolve("sns").resolve("bus.json")));
        } catch (Exception e) {
          failure = new IllegalStateException("the local SNS endpoint did not start: " + e, e);
          closeQuietly(snsDeliveries, failure);
        }
      }
      if (failure != null) {
        closeQuietly(startedDynamoDb, failure);
        closeQuietly(startedSqs, failure);
        throw failure;
      }
      return new Emulators(startedDynamoDb, startedSqs, snsDeliveries, sns);
    } finally {
      starters.shutdown();
    }
  }

  private static Exception unwrap(ExecutionException e, String server) {
    return new IllegalStateException(server + " did not start: " + e.getCause(), e.getCause());
  }

  private static void closeQuietly(AutoCloseable server, Exception failure) {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Closes the open shards of every table's stream in DynamoDB Local, so child shards take over:
   * what DynamoDB Streams does every few hours, here on demand ({@code shard-rollover} chaos).
   *
   * @return whether DynamoDB Local rolled over
   */
  public boolean rolloverShards() {
    return dynamoDb.rolloverShards() > 0;
  }

  public URI dynamoDbEndpoint() {
    return dynamoDb.endpoint();
  }

  public URI sqsEndpoint() {
    return sqs.endpoint();
  }

  /** The local SNS endpoint (the event bus). */
  public URI snsEndpoint() {
    return sns.endpoint();
  }

  /** The event bus behind {@link #snsEndpoint()}, for the runtime's own use. */
  public LocalSns sns() {
    return sns.bus();
  }

  /** Both servers' endpoints; DynamoDB Local serves the Streams API on its DynamoDB port. */
  public AwsEndpoints endpoints() {
    return new AwsEndpoints(
        dynamoDb.endpoint(), dynamoDb.endpoint(), sqs.endpoint(), sns.endpoint());
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    try {
      sns.close();
      snsDeliveries.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      sqs.close();
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    try {
      dynamoDb.close();
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
