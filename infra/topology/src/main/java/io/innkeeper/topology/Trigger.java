package io.innkeeper.topology;

import java.util.Objects;

/** What invokes a function. */
public sealed interface Trigger {

  /**
   * An API Gateway HTTP API route (payload format 2.0).
   *
   * @param method HTTP method
   * @param path path template, e.g. {@code /hotels/{hotelId}}
   * @param authenticated whether a valid bearer JWT is required
   */
  record HttpRoute(String method, String path, boolean authenticated) implements Trigger {
    public HttpRoute {
      Objects.requireNonNull(method);
      Objects.requireNonNull(path);
    }

    /** The API Gateway route key, e.g. {@code GET /hotels/{hotelId}}. */
    public String routeKey() {
      return method + " " + path;
    }
  }

  /**
   * An SQS event source mapping. Partial batch responses ({@code ReportBatchItemFailures}) are
   * always on.
   *
   * @param queueId the queue
   * @param batchSize messages per invocation (FIFO allows at most 10)
   * @param maxConcurrency at most this many concurrent invocations (AWS minimum is 2)
   */
  record SqsTrigger(String queueId, int batchSize, int maxConcurrency) implements Trigger {}

  /**
   * A DynamoDB stream event source mapping. Partial batch responses are always on.
   *
   * @param tableId the table whose stream is read
   * @param batchSize records per invocation
   * @param startingPosition {@code TRIM_HORIZON} or {@code LATEST}
   * @param filterPattern a Lambda event filter pattern (JSON), or {@code null} for none
   * @param maximumRetryAttempts retries of a failing batch before it is parked
   * @param bisectBatchOnError split a failing batch to isolate the bad record
   * @param maximumRecordAgeSeconds records older than this are parked, not retried
   * @param onFailureQueueId a standard queue where parked batches are described, or {@code null}
   */
  record StreamTrigger(
      String tableId,
      int batchSize,
      String startingPosition,
      String filterPattern,
      int maximumRetryAttempts,
      boolean bisectBatchOnError,
      int maximumRecordAgeSeconds,
      String onFailureQueueId)
      implements Trigger {}
}
