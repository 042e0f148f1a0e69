package io.innkeeper.local.chaos;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

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

  private static final ThreadLocal<Chaos> CURRENT = new ThreadLocal<>();

  private static final ExecutionAttribute<Boolean> ANSWER_500 =
      new ExecutionAttribute<>("InnkeeperChaosAnswer500");

  /** The SDK instantiates this through the global interceptor list. */
  public DynamoDbChaosInterceptor() {}

  /**
   * Runs {@code body} (one function invocation) with {@code chaos} deciding the faults of the
   * DynamoDB calls it makes on this thread.
   */
  public static <T> T invoking(Chaos chaos, Callable<T> body) throws Exception {
    Chaos previous = CURRENT.get();
    CURRENT.set(chaos);
    try {
      return body.call();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** Whether {@code chaos} injects any fault into DynamoDB calls. */
  public static boolean affects(Chaos chaos) {
    return chaos.config().rate(Fault.DYNAMODB_THROTTLE) > 0
        || chaos.config().rate(Fault.DYNAMODB_5XX) > 0;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
    Chaos chaos = CURRENT.get();
    if (chaos == null
        || !SERVICE_NAME.equals(attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
      return;
    }
    // Per attempt: a retry starts clean.
    attrs.putAttribute(ANSWER_500, Boolean.FALSE);
    if (chaos.strikes(Fault.DYNAMODB_THROTTLE)) {
      throw throttled();
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

  private static AwsErrorDetails details(String code, String message, int status) {
    return AwsErrorDetails.builder()
        .errorCode(code)
        .errorMessage(message)
        .serviceName(SERVICE_NAME)
        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build())
        .build();
  }

  /** DynamoDB's request ids: 52 upper-case alphanumerics. */
  private static String requestId() {
    String a = UUID.randomUUID().toString().replace("-", "");
    String b = UUID.randomUUID().toString().replace("-", "");
    return (a + b).substring(0, 52).toUpperCase(java.util.Locale.ROOT);
  }
}
