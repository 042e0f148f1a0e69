package io.innkeeper.local.emulators;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The two AWS-compatible servers the local runtime talks to over HTTP: DynamoDB Local (with
 * Streams) and ElasticMQ (SQS), both in this JVM and bound to 127.0.0.1 on free ports.
 */
public final class Emulators implements AutoCloseable {

  private final DynamoDbLocalServer dynamoDb;
  private final ElasticMqServer sqs;

  private Emulators(DynamoDbLocalServer dynamoDb, ElasticMqServer sqs) {
    this.dynamoDb = dynamoDb;
    this.sqs = sqs;
  }

  /**
   * Starts both servers in parallel (each takes one to two seconds, mostly class loading).
   *
   * @param dataDir where both keep their data ({@code dynamodb/} and {@code sqs/} below it), or
   *     {@code null} to keep everything in memory
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
      if (failure != null) {
        closeQuietly(startedDynamoDb, failure);
        closeQuietly(startedSqs, failure);
        throw failure;
      }
      return new Emulators(startedDynamoDb, startedSqs);
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

  /** Both servers' endpoints; DynamoDB Local serves the Streams API on its DynamoDB port. */
  public AwsEndpoints endpoints() {
    return new AwsEndpoints(dynamoDb.endpoint(), dynamoDb.endpoint(), sqs.endpoint());
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    try {
      sqs.close();
    } catch (RuntimeException e) {
      failure = e;
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
