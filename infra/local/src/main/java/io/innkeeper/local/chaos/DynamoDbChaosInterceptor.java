package io.innkeeper.local.chaos;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Throttling and 500s from DynamoDB, for the functions' clients only. The AWS SDK loads this
 * interceptor into every client it builds (it is listed in {@code
 * software/amazon/awssdk/global/handlers/execution.interceptors}), so it stays dormant unless the
 * calling thread runs a function invocation of a runtime with chaos ({@link #invoking}) and the
 * client is a DynamoDB client: the runtime's own clients (pollers, provisioner, tests) never see a
 * fault, and several runtimes in one JVM each inject their own.
 *
 * <p>Faults are decided per attempt, inside the SDK's retry loop, so the SDK retries them as it
 * retries real ones:
 *
 * <ul>
 *   <li>{@link Fault#DYNAMODB_THROTTLE}: before transmission the attempt fails with a {@code
 *       ProvisionedThroughputExceededException} (HTTP 400, that error code, a request id), as
 *       DynamoDB answers a throttled request: nothing was done. The SDK classes it as throttling
 *       and retries it with its throttling backoff.
 *   <li>{@link Fault#DYNAMODB_5XX}, half the time <em>before</em> transmission: an {@code
 *       InternalServerError} (HTTP 500) and nothing done; the other half <em>after</em>: the
 *       request reaches DynamoDB and takes effect, then its answer is replaced by DynamoDB's 500
 *       body (status, body and CRC32 header as DynamoDB sends them), which the SDK unmarshals and
 *       retries like any 500. The caller, or its retry, then meets its own write: the case that
 *       tests idempotent writes and exactly-once effects.
 *   <li>{@link Fault#TRANSACTION_CONFLICT}, on {@code PutItem}, {@code UpdateItem} and {@code
 *       DeleteItem} before transmission: {@code TransactionConflictException} (HTTP 400), as
 *       DynamoDB answers a single-item write on an item a transaction holds; nothing written.
 *   <li>{@link Fault#THROTTLED_TRANSACTION}, on {@code TransactWriteItems} before transmission:
 *       {@code TransactionCanceledException} (HTTP 400) with one reason per item, {@code None} for
 *       all but one {@code ThrottlingError}; nothing written.
 *   <li>{@link Fault#SLOW_CALL}, any call, each attempt: the attempt stalls for {@code
 *       slow-call-millis} before it is sent. The SDK's attempt timeout interrupts the stall as it
 *       would abandon a stalled connection; without one the call just takes that long.
 *   <li>{@link Fault#UNPROCESSED_KEYS}, on a {@code BatchGetItem} that succeeded: some requested
 *       keys (at least one) are moved from the answer to {@code UnprocessedKeys}, as DynamoDB
 *       answers in part when throttled or past 16 MB. A read has no effect, so the keys being read
 *       and then dropped is the same to the caller as their not being read.
 *   <li>{@link Fault#UNPROCESSED_ITEMS}, on a {@code BatchWriteItem} of two items or more: some
 *       (not all) are taken out of the request before it is sent and given back as {@code
 *       UnprocessedItems}: they are not written, as DynamoDB leaves them.
 * </ul>
 *
 * <p>With the SDK's default policy for DynamoDB (SDK 2.59: four attempts; 500s back off with full
 * jitter from 25 ms, throttles with equal jitter from 500 ms, both capped at 20 s) a call fails for
 * good only when all four attempts are struck. A {@code TransactWriteItems} retried after a 500
 * that came after its write carries the same {@code ClientRequestToken} (the SDK fills it in once
 * per call), and DynamoDB (Local too) answers the retry with success; a {@code PutItem} or {@code
 * UpdateItem} retried the same way meets its own write through its condition, if it has one. Which
 * hook does what was checked against a stub server in {@code ChaosInterceptorTest}: {@code
 * beforeTransmission} and {@code modifyHttpResponse} both run once per attempt inside the retry
 * loop, and a response changed in {@code modifyHttpResponse} is unmarshalled as DynamoDB's own.
 */
public final class DynamoDbChaosInterceptor implements ExecutionInterceptor {

  /** The SDK's service name of the DynamoDB client (DynamoDB Streams has its own). */
  static final String SERVICE_NAME = "DynamoDb";

  static final String THROTTLE_MESSAGE =
      "The level of configured provisioned throughput for the table was exceeded. Consider"
          + " increasing your provisioning level with the UpdateTable API.";
  static final String INTERNAL_MESSAGE = "Internal server error";

  /** Variant names counted in {@link Chaos#variants()}. */
  static final String BEFORE = Fault.DYNAMODB_5XX.key() + "-before-write";

  static final String AFTER = Fault.DYNAMODB_5XX.key() + "-after-write";

  private static final ExecutionAttribute<Boolean> ANSWER_500 =
      new ExecutionAttribute<>("InnkeeperChaosAnswer500");

  private static final ExecutionAttribute<Map<String, List<WriteRequest>>> HELD_BACK =
      new ExecutionAttribute<>("InnkeeperChaosHeldBackItems");

  static final String TRANSACTION_CONFLICT_MESSAGE = "Transaction is ongoing for the item";

  static final String THROTTLING_REASON_MESSAGE =
      "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically"
          + " scaling your table or index so please try again shortly.";

  /** The SDK instantiates this through the global interceptor list. */
  public DynamoDbChaosInterceptor() {}

  /**
   * Runs {@code body} (one function invocation) with {@code chaos} deciding the faults of the
   * DynamoDB calls it makes on this thread.
   */
  public static <T> T invoking(Chaos chaos, Callable<T> body) throws Exception {
    return Chaos.during(chaos, body);
  }

  /** Whether {@code chaos} injects any fault into the functions' AWS calls. */
  public static boolean affects(Chaos chaos) {
    for (Fault f :
        List.of(
            Fault.DYNAMODB_THROTTLE,
            Fault.DYNAMODB_5XX,
            Fault.TRANSACTION_CONFLICT,
            Fault.THROTTLED_TRANSACTION,
            Fault.UNPROCESSED_KEYS,
            Fault.UNPROCESSED_ITEMS,
            Fault.SLOW_CALL,
            Fault.SQS_THROTTLE)) {
      if (chaos.config().rate(f) > 0) {
        return true;
      }
    }
    return false;
  }

  private static Chaos chaosFor(ExecutionAttributes attrs) {
    Chaos chaos = Chaos.current();
    return chaos != null
            && SERVICE_NAME.equals(attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
        ? chaos
        : null;
  }

  private static String operation(ExecutionAttributes attrs) {
    return attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attrs) {
    Chaos chaos = chaosFor(attrs);
    if (chaos == null
        || !(context.request() instanceof BatchWriteItemRequest request)
        || !request.hasRequestItems()) {
      return context.request();
    }
    int total = request.requestItems().values().stream().mapToInt(List::size).sum();
    if (total < 2 || !chaos.strikes(Fault.UNPROCESSED_ITEMS)) {
      return context.request();
    }
    // Some, never all: DynamoDB does at least part of a batch it accepts.
    int keep = 1 + chaos.nextInt(total - 1);
    Map<String, List<WriteRequest>> sent = new LinkedHashMap<>();
    Map<String, List<WriteRequest>> heldBack = new LinkedHashMap<>();
    int i = 0;
    for (var e : request.requestItems().entrySet()) {
      for (WriteRequest w : e.getValue()) {
        (i++ < keep ? sent : heldBack).computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(w);
      }
    }
    attrs.putAttribute(HELD_BACK, heldBack);
    return request.toBuilder().requestItems(sent).build();
  }

  @Override
  public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attrs) {
    Chaos chaos = chaosFor(attrs);
    if (chaos == null) {
      return context.response();
    }
    if (context.response() instanceof BatchWriteItemResponse written
        && attrs.getAttribute(HELD_BACK) != null) {
      Map<String, List<WriteRequest>> unprocessed = new LinkedHashMap<>();
      if (written.hasUnprocessedItems()) {
        written.unprocessedItems().forEach((t, l) -> unprocessed.put(t, new ArrayList<>(l)));
      }
      attrs
          .getAttribute(HELD_BACK)
          .forEach((t, l) -> unprocessed.computeIfAbsent(t, k -> new ArrayList<>()).addAll(l));
      return written.toBuilder().unprocessedItems(unprocessed).build();
    }
    if (context.response() instanceof BatchGetItemResponse read
        && context.request() instanceof BatchGetItemRequest asked
        && asked.hasRequestItems()
        && chaos.strikes(Fault.UNPROCESSED_KEYS)) {
      return partly(read, asked, chaos);
    }
    return context.response();
  }

  /** The answer with a random part of the keys (at least one) moved to {@code UnprocessedKeys}. */
  private static BatchGetItemResponse partly(
      BatchGetItemResponse read, BatchGetItemRequest asked, Chaos chaos) {
    List<Map.Entry<String, Map<String, AttributeValue>>> keys = new ArrayList<>();
    asked
        .requestItems()
        .forEach((table, k) -> k.keys().forEach(key -> keys.add(Map.entry(table, key))));
    int first = chaos.nextInt(keys.size());
    Map<String, List<Map<String, AttributeValue>>> dropped = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      if (i == first || chaos.nextInt(2) == 0) {
        dropped
            .computeIfAbsent(keys.get(i).getKey(), t -> new ArrayList<>())
            .add(keys.get(i).getValue());
      }
    }
    Map<String, List<Map<String, AttributeValue>>> responses = new LinkedHashMap<>();
    read.responses()
        .forEach(
            (table, items) -> {
              List<Map<String, AttributeValue>> kept = new ArrayList<>();
              for (Map<String, AttributeValue> item : items) {
                if (!isAmong(item, dropped.getOrDefault(table, List.of()))) {
                  kept.add(item);
                }
              }
              responses.put(table, kept);
            });
    Map<String, KeysAndAttributes> unprocessed = new LinkedHashMap<>();
    if (read.hasUnprocessedKeys()) {
      unprocessed.putAll(read.unprocessedKeys());
    }
    dropped.forEach(
        (table, ks) -> {
          KeysAndAttributes original = asked.requestItems().get(table);
          List<Map<String, AttributeValue>> all = new ArrayList<>(ks);
          if (unprocessed.containsKey(table)) {
            all.addAll(unprocessed.get(table).keys());
          }
          unprocessed.put(table, original.toBuilder().keys(all).build());
        });
    return read.toBuilder().responses(responses).unprocessedKeys(unprocessed).build();
  }

  /** Whether {@code item} is the item of one of {@code keys} (all of a key's attributes match). */
  private static boolean isAmong(
      Map<String, AttributeValue> item, List<Map<String, AttributeValue>> keys) {
    for (Map<String, AttributeValue> key : keys) {
      boolean match = true;
      for (var e : key.entrySet()) {
        match &= e.getValue().equals(item.get(e.getKey()));
      }
      if (match) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
    Chaos chaos = chaosFor(attrs);
    if (chaos == null) {
      return;
    }
    // Per attempt: a retry starts clean.
    attrs.putAttribute(ANSWER_500, Boolean.FALSE);
    if (chaos.strikes(Fault.SLOW_CALL)) {
      stall(chaos.config().slowCallMillis());
    }
    if (chaos.strikes(Fault.DYNAMODB_THROTTLE)) {
      throw throttled();
    }
    String operation = operation(attrs);
    if (WRITES.contains(operation) && chaos.strikes(Fault.TRANSACTION_CONFLICT)) {
      throw transactionConflict();
    }
    if ("TransactWriteItems".equals(operation)
        && context.request() instanceof TransactWriteItemsRequest transaction
        && chaos.strikes(Fault.THROTTLED_TRANSACTION)) {
      throw throttledTransaction(transaction.transactItems().size(), chaos);
    }
    if (chaos.strikes(Fault.DYNAMODB_5XX)) {
      if (chaos.nextInt(2) == 0) {
        chaos.note(BEFORE);
        throw internalError();
      }
      chaos.note(AFTER);
      attrs.putAttribute(ANSWER_500, Boolean.TRUE);
    }
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(
      Context.ModifyHttpResponse context, ExecutionAttributes attrs) {
    if (!Boolean.TRUE.equals(attrs.getAttribute(ANSWER_500))) {
      return context.httpResponse();
    }
    byte[] body = internalErrorBody();
    CRC32 crc = new CRC32();
    crc.update(body);
    return context.httpResponse().toBuilder()
        .statusCode(500)
        .statusText("Internal Server Error")
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .putHeader("Content-Length", Integer.toString(body.length))
        .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
        .build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attrs) {
    if (!Boolean.TRUE.equals(attrs.getAttribute(ANSWER_500))) {
      return context.responseBody();
    }
    // The real answer is read to the end (so the connection can be reused) and dropped.
    context
        .responseBody()
        .ifPresent(
            in -> {
              try (in) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
              } catch (IOException ignored) {
                // Dropped either way.
              }
            });
    return Optional.of(new ByteArrayInputStream(internalErrorBody()));
  }

  /** The single-item writes a transaction's hold on an item can refuse. */
  private static final java.util.Set<String> WRITES =
      java.util.Set.of("PutItem", "UpdateItem", "DeleteItem");

  /**
   * Stalls this attempt. The SDK's attempt timeout ends the stall by interrupting the thread, as it
   * abandons a stalled connection; the attempt then fails and the SDK, which knows its timer fired,
   * reports an attempt timeout and retries.
   */
  static void stall(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw software.amazon.awssdk.core.exception.AbortedException.builder()
          .message("stalled call abandoned")
          .cause(e)
          .build();
    }
  }

  private static TransactionConflictException transactionConflict() {
    return TransactionConflictException.builder()
        .message(TRANSACTION_CONFLICT_MESSAGE)
        .statusCode(400)
        .requestId(requestId())
        .awsErrorDetails(details("TransactionConflictException", TRANSACTION_CONFLICT_MESSAGE, 400))
        .build();
  }

  private static TransactionCanceledException throttledTransaction(int items, Chaos chaos) {
    int throttled = chaos.nextInt(Math.max(1, items));
    List<CancellationReason> reasons = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < Math.max(1, items); i++) {
      if (i == throttled) {
        reasons.add(
            CancellationReason.builder()
                .code("ThrottlingError")
                .message(THROTTLING_REASON_MESSAGE)
                .build());
        codes.add("ThrottlingError");
      } else {
        reasons.add(CancellationReason.builder().code("None").build());
        codes.add("None");
      }
    }
    String message =
        "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes;
    return TransactionCanceledException.builder()
        .message(message)
        .cancellationReasons(reasons)
        .statusCode(400)
        .requestId(requestId())
        .awsErrorDetails(details("TransactionCanceledException", message, 400))
        .build();
  }

  private static byte[] internalErrorBody() {
    return ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\""
            + INTERNAL_MESSAGE
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static ProvisionedThroughputExceededException throttled() {
    String requestId = requestId();
    return ProvisionedThroughputExceededException.builder()
        .message(THROTTLE_MESSAGE)
        .statusCode(400)
        .requestId(requestId)
        .awsErrorDetails(details("ProvisionedThroughputExceededException", THROTTLE_MESSAGE, 400))
        .build();
  }

  private static InternalServerErrorException internalError() {
    return InternalServerErrorException.builder()
        .message(INTERNAL_MESSAGE)
        .statusCode(500)
        .requestId(requestId())
        .awsErrorDetails(details("InternalServerError", INTERNAL_MESSAGE, 500))
        .build();
  }

  static AwsErrorDetails details(String code, String message, int status) {
    return details(code, message, status, SERVICE_NAME);
  }

  static AwsErrorDetails details(String code, String message, int status, String service) {
    return AwsErrorDetails.builder()
        .errorCode(code)
        .errorMessage(message)
        .serviceName(service)
        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build())
        .build();
  }

  /** DynamoDB's request ids: 52 upper-case alphanumerics. */
  static String requestId() {
    String a = UUID.randomUUID().toString().replace("-", "");
    String b = UUID.randomUUID().toString().replace("-", "");
    return (a + b).substring(0, 52).toUpperCase(java.util.Locale.ROOT);
  }
}
