package io.innkeeper.local.triggers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.client.Json;
import io.innkeeper.ops.LocalAws;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Turns DynamoDB Streams records, as the SDK returns them, into the JSON Lambda hands a function:
 * {@code {"Records": [...]}} with {@code eventSourceARN} on each record and attribute values in
 * DynamoDB JSON. This is also the shape filter patterns are matched against.
 */
public final class StreamRecordJson {

  private StreamRecordJson() {}

  /** One record in Lambda's form. */
  public static ObjectNode record(Record record, String streamArn) {
    ObjectNode json = Json.object();
    json.put("eventID", record.eventID());
    json.put("eventName", record.eventNameAsString());
    json.put("eventVersion", record.eventVersion() == null ? "1.1" : record.eventVersion());
    json.put("eventSource", "aws:dynamodb");
    // DynamoDB Local says "ddblocal"; functions see the region they run in, as on AWS.
    json.put("awsRegion", LocalAws.REGION);
    StreamRecord data = record.dynamodb();
    ObjectNode dynamodb = json.putObject("dynamodb");
    if (data.approximateCreationDateTime() != null) {
      dynamodb.put(
          "ApproximateCreationDateTime", data.approximateCreationDateTime().getEpochSecond());
    }
    if (data.hasKeys()) {
      dynamodb.set("Keys", item(data.keys()));
    }
    if (data.hasNewImage()) {
      dynamodb.set("NewImage", item(data.newImage()));
    }
    if (data.hasOldImage()) {
      dynamodb.set("OldImage", item(data.oldImage()));
    }
    dynamodb.put("SequenceNumber", data.sequenceNumber());
    if (data.sizeBytes() != null) {
      dynamodb.put("SizeBytes", data.sizeBytes());
    }
    if (data.streamViewTypeAsString() != null) {
      dynamodb.put("StreamViewType", data.streamViewTypeAsString());
    }
    if (record.userIdentity() != null) {
      ObjectNode identity = json.putObject("userIdentity");
      identity.put("type", record.userIdentity().type());
      identity.put("principalId", record.userIdentity().principalId());
    }
    json.put("eventSourceARN", streamArn);
    return json;
  }

  /** The event for a batch of records already in Lambda's form. */
  public static String event(List<ObjectNode> records) {
    ObjectNode event = Json.object();
    ArrayNode array = event.putArray("Records");
    records.forEach(array::add);
    return Json.write(event);
  }

  static ObjectNode item(Map<String, AttributeValue> item) {
    ObjectNode json = Json.object();
    item.forEach((name, value) -> json.set(name, attributeValue(value)));
    return json;
  }

  /** One attribute value in DynamoDB JSON: numbers as strings, binaries in base64. */
  static ObjectNode attributeValue(AttributeValue value) {
    ObjectNode json = Json.object();
    switch (value.type()) {
      case S -> json.put("S", value.s());
      case N -> json.put("N", value.n());
      case B -> json.put("B", base64(value.b()));
      case BOOL -> json.put("BOOL", value.bool());
      case NUL -> json.put("NULL", true);
      case SS -> value.ss().forEach(json.putArray("SS")::add);
      case NS -> value.ns().forEach(json.putArray("NS")::add);
      case BS -> {
        ArrayNode array = json.putArray("BS");
        value.bs().forEach(b -> array.add(base64(b)));
      }
      case M -> json.set("M", item(value.m()));
      case L -> {
        ArrayNode array = json.putArray("L");
        value.l().forEach(element -> array.add(attributeValue(element)));
      }
      default -> throw new IllegalArgumentException("unknown attribute value type: " + value);
    }
    return json;
  }

  private static String base64(SdkBytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
  }
}
