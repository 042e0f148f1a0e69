package io.innkeeper.local.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Items decide through their {@code behavior} attribute: {@code fail-once} is reported as the
 * failed item the first time it is seen, {@code poison} makes every invocation that holds it throw.
 */
public final class StreamProbeHandler
    implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

  private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    List<String> ids = new ArrayList<>();
    List<String> sequenceNumbers = new ArrayList<>();
    String failed = null;
    boolean poison = false;
    for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
      Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
      String id = image.get("pk").getS() + "/" + image.get("sk").getN();
      ids.add(id);
      String seq = record.getDynamodb().getSequenceNumber();
      sequenceNumbers.add(seq);
      AttributeValue behavior = image.get("behavior");
      String b = behavior == null ? "ok" : behavior.getS();
      if (b.equals("poison")) {
        poison = true;
      } else if (b.equals("fail-once") && failed == null && FAILED_ONCE.add(id)) {
        failed = seq;
      }
    }
    String function = context.getFunctionName();
    if (poison) {
      Probes.STREAM.add(new Probes.StreamCall(function, ids, sequenceNumbers, "threw"));
      throw new IllegalStateException("probe: poison record");
    }
    Probes.STREAM.add(
        new Probes.StreamCall(
            function, ids, sequenceNumbers, failed == null ? "ok" : "failed:" + failed));
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    if (failed != null) {
      failures.add(new StreamsEventResponse.BatchItemFailure(failed));
    }
    return new StreamsEventResponse(failures);
  }
}
