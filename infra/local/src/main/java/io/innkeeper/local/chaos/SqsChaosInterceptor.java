package io.innkeeper.local.chaos;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;

/**
 * {@link Fault#SQS_THROTTLE}: a function's {@code SendMessage} (the command intake) is refused as
 * SQS refuses a request over its rate, before it is sent: {@code RequestThrottled}, HTTP 400,
 * nothing enqueued. The SDK classes that code as throttling and retries it with its throttling
 * backoff, per attempt, as it would a real one. Dormant outside a function invocation of a runtime
 * with chaos, like {@link DynamoDbChaosInterceptor}.
 */
public final class SqsChaosInterceptor implements ExecutionInterceptor {

  /** The SDK's service name of the SQS client. */
  static final String SERVICE_NAME = "Sqs";

  static final String MESSAGE = "Request is throttled.";

  /** The SDK instantiates this through the global interceptor list. */
  public SqsChaosInterceptor() {}

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
    Chaos chaos = Chaos.current();
    if (chaos == null
        || !SERVICE_NAME.equals(attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
      return;
    }
    String operation = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    if (("SendMessage".equals(operation) || "SendMessageBatch".equals(operation))
        && chaos.strikes(Fault.SQS_THROTTLE)) {
      throw RequestThrottledException.builder()
          .message(MESSAGE)
          .statusCode(400)
          .requestId(DynamoDbChaosInterceptor.requestId())
          .awsErrorDetails(
              DynamoDbChaosInterceptor.details("RequestThrottled", MESSAGE, 400, SERVICE_NAME))
          .build();
    }
  }
}
