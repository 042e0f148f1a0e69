package io.innkeeper.local.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bodies decide: {@code ok-*} succeeds, {@code fail-once-*} is reported failed on its first
 * receive, {@code poison-*} always, and {@code throw-once-*} makes the whole invocation throw on
 * its first receive.
 */
public final class SqsProbeHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final AtomicInteger INVOCATIONS = new AtomicInteger();

  public SqsProbeHandler() {
    Probes.ENVIRONMENT.put("PARKED_QUEUE_URL", String.valueOf(Probes.env("PARKED_QUEUE_URL")));
    Probes.ENVIRONMENT.put("ORDERS_TABLE", String.valueOf(Probes.env("ORDERS_TABLE")));
    Probes.ENVIRONMENT.put("GREETING", String.valueOf(Probes.env("GREETING")));
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    int invocation = INVOCATIONS.incrementAndGet();
    boolean throwing =
        event.getRecords().stream()
            .anyMatch(m -> m.getBody().startsWith("throw-once") && receiveCount(m) == 1);
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      Probes.SQS_ATTRIBUTE_NAMES.addAll(message.getAttributes().keySet());
      int count = receiveCount(message);
      Probes.SQS.add(new Probes.SqsDelivery(invocation, message.getBody(), count, throwing));
      String body = message.getBody();
      if (body.startsWith("poison") || (body.startsWith("fail-once") && count == 1)) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    if (throwing) {
      throw new IllegalStateException("probe: throw-once");
    }
    return new SQSBatchResponse(failures);
  }

  private static int receiveCount(SQSEvent.SQSMessage message) {
    return Integer.parseInt(message.getAttributes().get("ApproximateReceiveCount"));
  }
}
