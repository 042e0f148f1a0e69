package io.innkeeper.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.innkeeper.topology.FunctionSpec;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerAdapterTest {

  /** Lambda finds I and O through a generic superclass as well. */
  abstract static class BatchHandler<E> implements RequestHandler<E, SQSBatchResponse> {}

  public static final class Failing extends BatchHandler<SQSEvent> {
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
      return new SQSBatchResponse(
          List.of(new SQSBatchResponse.BatchItemFailure(event.getRecords().get(0).getMessageId())));
    }
  }

  public static final class Streams implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
      return new StreamsEventResponse(
          List.of(
              new StreamsEventResponse.BatchItemFailure(
                  event.getRecords().get(0).getDynamodb().getSequenceNumber())));
    }
  }

  public static final class Silent implements RequestHandler<Map<String, Object>, Void> {
    @Override
    public Void handleRequest(Map<String, Object> event, Context context) {
      return null;
    }
  }

  public static final class NoDefaultConstructor implements RequestHandler<String, String> {
    public NoDefaultConstructor(String unused) {}

    @Override
    public String handleRequest(String event, Context context) {
      return event;
    }
  }

  private static final ClassLoader LOADER = HandlerAdapterTest.class.getClassLoader();

  private static LocalContext context() {
    var spec = new FunctionSpec("f", "x", 128, 3, Map.of(), List.of(), List.of());
    return new LocalContext(spec, "00000000-0000-0000-0000-000000000000", "s", System.nanoTime());
  }

  @Test
  void resolvesTypeArgumentsThroughGenericSuperclasses() {
    Type[] types = HandlerAdapter.requestHandlerTypes(Failing.class);
    assertEquals(SQSEvent.class, types[0]);
    assertEquals(SQSBatchResponse.class, types[1]);
  }

  @Test
  void sqsBatchResponseSerializesInLambdaShape() throws Exception {
    HandlerAdapter adapter = HandlerAdapter.forClass(Failing.class.getName(), LOADER);
    Object event =
        adapter.readEvent(
            "{\"Records\":[{\"messageId\":\"m-1\",\"body\":\"b\",\"eventSource\":\"aws:sqs\"}]}");
    String out = adapter.call(adapter.newInstance(), event, context());
    assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}", out);
  }

  @Test
  void streamsEventResponseSerializesInLambdaShape() throws Exception {
    HandlerAdapter adapter = HandlerAdapter.forClass(Streams.class.getName(), LOADER);
    Object event =
        adapter.readEvent(
            "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":"
                + "{\"SequenceNumber\":\"000001\",\"Keys\":{\"pk\":{\"S\":\"a\"}}}}]}");
    String out = adapter.call(adapter.newInstance(), event, context());
    assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"000001\"}]}", out);
  }

  @Test
  void voidHandlerAnswersNothing() throws Exception {
    HandlerAdapter adapter = HandlerAdapter.forClass(Silent.class.getName(), LOADER);
    assertNull(adapter.call(adapter.newInstance(), adapter.readEvent("{\"a\":1}"), context()));
  }

  @Test
  void handlerWithoutNoArgumentConstructorIsRefused() {
    assertThrows(
        NoSuchMethodException.class,
        () -> HandlerAdapter.forClass(NoDefaultConstructor.class.getName(), LOADER));
  }

  @Test
  void contextCountsDownFromTheTimeout() {
    var spec = new FunctionSpec("f", "x", 256, 3, Map.of(), List.of(), List.of());
    var context =
        new LocalContext(spec, "11111111-2222", "stream", System.nanoTime() + 3_000_000_000L);
    assertTrue(context.getRemainingTimeInMillis() > 2_500);
    assertTrue(context.getRemainingTimeInMillis() <= 3_000);
    assertEquals("innkeeper-f", context.getFunctionName());
    assertEquals(256, context.getMemoryLimitInMB());
    assertEquals(
        "arn:aws:lambda:us-east-1:000000000000:function:innkeeper-f",
        context.getInvokedFunctionArn());
  }
}
