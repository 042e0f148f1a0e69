package io.innkeeper.local.triggers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class StreamRecordJsonTest {

  private static final String STREAM_ARN =
      "arn:aws:dynamodb:ddblocal:000000000000:table/innkeeper-events/stream/2026-01-01T00:00:00.000";

  private static software.amazon.awssdk.services.dynamodb.model.AttributeValue s(String value) {
    return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(value);
  }

  private static Record record() {
    var sdk = software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder();
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> image =
        Map.ofEntries(
            Map.entry("pk", s("hotel#1")),
            Map.entry(
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("7")),
            Map.entry(
                "blob",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromB(
                    SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xff}))),
            Map.entry(
                "blobs",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBs(
                    List.of(SdkBytes.fromUtf8String("hi"), SdkBytes.fromUtf8String("yo")))),
            Map.entry(
                "tags",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromSs(
                    List.of("a", "b"))),
            Map.entry(
                "nums",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNs(
                    List.of("1", "2.5"))),
            Map.entry(
                "ok", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(true)),
            Map.entry(
                "none",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNul(true)),
            Map.entry(
                "empty",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(List.of())),
            Map.entry(
                "emptyMap",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(Map.of())),
            Map.entry(
                "nested",
                sdk.m(
                        Map.of(
                            "list",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(
                                List.of(
                                    s("x"),
                                    software.amazon.awssdk.services.dynamodb.model.AttributeValue
                                        .fromN("3")))))
                    .build()));
    return Record.builder()
        .eventID("e-1")
        .eventName(OperationType.INSERT)
        .eventVersion("1.1")
        .eventSource("aws:dynamodb")
        .awsRegion("ddblocal")
        .dynamodb(
            StreamRecord.builder()
                .approximateCreationDateTime(Instant.parse("2026-01-02T03:04:00Z"))
                .keys(Map.of("pk", s("hotel#1"), "sk", image.get("sk")))
                .newImage(image)
                .sequenceNumber("000000000000000000042")
                .sizeBytes(99L)
                .streamViewType(StreamViewType.NEW_IMAGE)
                .build())
        .build();
  }

  @Test
  void recordInLambdaForm() {
    ObjectNode json = StreamRecordJson.record(record(), STREAM_ARN);
    assertEquals("e-1", json.get("eventID").asText());
    assertEquals("INSERT", json.get("eventName").asText());
    assertEquals("aws:dynamodb", json.get("eventSource").asText());
    assertEquals("us-east-1", json.get("awsRegion").asText());
    assertEquals(STREAM_ARN, json.get("eventSourceARN").asText());
    JsonNode data = json.get("dynamodb");
    assertEquals(
        Instant.parse("2026-01-02T03:04:00Z").getEpochSecond(),
        data.get("ApproximateCreationDateTime").asLong());
    assertEquals("000000000000000000042", data.get("SequenceNumber").asText());
    assertEquals(99, data.get("SizeBytes").asInt());
    assertEquals("NEW_IMAGE", data.get("StreamViewType").asText());
    assertFalse(data.has("OldImage"));
    JsonNode image = data.get("NewImage");
    assertEquals("{\"N\":\"7\"}", image.get("sk").toString());
    assertEquals("{\"B\":\"AAEC/w==\"}", image.get("blob").toString());
    assertEquals("{\"BS\":[\"aGk=\",\"eW8=\"]}", image.get("blobs").toString());
    assertEquals("{\"SS\":[\"a\",\"b\"]}", image.get("tags").toString());
    assertEquals("{\"NS\":[\"1\",\"2.5\"]}", image.get("nums").toString());
    assertEquals("{\"BOOL\":true}", image.get("ok").toString());
    assertEquals("{\"NULL\":true}", image.get("none").toString());
    assertEquals("{\"L\":[]}", image.get("empty").toString());
    assertEquals("{\"M\":{}}", image.get("emptyMap").toString());
    assertEquals(
        "{\"M\":{\"list\":{\"L\":[{\"S\":\"x\"},{\"N\":\"3\"}]}}}", image.get("nested").toString());
  }

  @Test
  void lambdaSerializersReadTheEvent() {
    String event = StreamRecordJson.event(List.of(StreamRecordJson.record(record(), STREAM_ARN)));
    DynamodbEvent parsed =
        LambdaEventSerializers.serializerFor(DynamodbEvent.class, getClass().getClassLoader())
            .fromJson(event);
    assertEquals(1, parsed.getRecords().size());
    var record = parsed.getRecords().get(0);
    assertEquals(STREAM_ARN, record.getEventSourceARN());
    assertEquals("INSERT", record.getEventName());
    var data = record.getDynamodb();
    assertEquals("000000000000000000042", data.getSequenceNumber());
    assertEquals(
        Instant.parse("2026-01-02T03:04:00Z"), data.getApproximateCreationDateTime().toInstant());
    Map<String, AttributeValue> image = data.getNewImage();
    assertEquals("7", image.get("sk").getN());
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, bytes(image.get("blob").getB()));
    assertEquals(
        "hi", new String(bytes(image.get("blobs").getBS().get(0)), StandardCharsets.UTF_8));
    assertEquals(List.of("a", "b"), image.get("tags").getSS());
    assertTrue(image.get("ok").getBOOL());
    assertTrue(image.get("none").isNULL());
    assertEquals(List.of(), image.get("empty").getL());
    assertEquals(Map.of(), image.get("emptyMap").getM());
    assertEquals("x", image.get("nested").getM().get("list").getL().get(0).getS());
    assertNull(data.getOldImage());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
