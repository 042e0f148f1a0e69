package io.innkeeper.local.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class SqsEventJsonTest {

  @Test
  void lambdaSerializersReadTheEvent() {
    Message message =
        Message.builder()
            .messageId("m-1")
            .receiptHandle("rh-1")
            .body("{\"hello\":1}")
            .md5OfBody("abc")
            .attributes(
                Map.of(
                    MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2",
                    MessageSystemAttributeName.MESSAGE_GROUP_ID, "hotel-1",
                    MessageSystemAttributeName.SENT_TIMESTAMP, "1700000000000"))
            .messageAttributes(
                Map.of(
                    "trace",
                        MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue("t-1")
                            .build(),
                    "raw",
                        MessageAttributeValue.builder()
                            .dataType("Binary")
                            .binaryValue(SdkBytes.fromUtf8String("xy"))
                            .build()))
            .build();
    String json = SqsEventJson.event(List.of(message), "arn:aws:sqs:us-east-1:000000000000:q");
    SQSEvent event =
        LambdaEventSerializers.serializerFor(SQSEvent.class, getClass().getClassLoader())
            .fromJson(json);
    SQSEvent.SQSMessage parsed = event.getRecords().get(0);
    assertEquals("m-1", parsed.getMessageId());
    assertEquals("rh-1", parsed.getReceiptHandle());
    assertEquals("{\"hello\":1}", parsed.getBody());
    assertEquals("abc", parsed.getMd5OfBody());
    assertEquals("aws:sqs", parsed.getEventSource());
    assertEquals("arn:aws:sqs:us-east-1:000000000000:q", parsed.getEventSourceArn());
    assertEquals("us-east-1", parsed.getAwsRegion());
    assertEquals("2", parsed.getAttributes().get("ApproximateReceiveCount"));
    assertEquals("hotel-1", parsed.getAttributes().get("MessageGroupId"));
    assertEquals("t-1", parsed.getMessageAttributes().get("trace").getStringValue());
    assertEquals("String", parsed.getMessageAttributes().get("trace").getDataType());
    assertEquals(
        "xy",
        java.nio.charset.StandardCharsets.UTF_8
            .decode(parsed.getMessageAttributes().get("raw").getBinaryValue())
            .toString());
    assertFalse(json.contains("md5OfMessageAttributes"));
  }
}
