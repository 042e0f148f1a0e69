package io.innkeeper.local.triggers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.client.Json;
import io.innkeeper.ops.LocalAws;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Turns received SQS messages into the event Lambda's SQS poller hands a function. */
public final class SqsEventJson {

  private SqsEventJson() {}

  /** {@code {"Records": [...]}} for the messages, in the order they were received. */
  public static String event(List<Message> messages, String queueArn) {
    ObjectNode event = Json.object();
    ArrayNode records = event.putArray("Records");
    for (Message message : messages) {
      records.add(record(message, queueArn));
    }
    return Json.write(event);
  }

  static ObjectNode record(Message message, String queueArn) {
    ObjectNode json = Json.object();
    json.put("messageId", message.messageId());
    json.put("receiptHandle", message.receiptHandle());
    json.put("body", message.body());
    ObjectNode attributes = json.putObject("attributes");
    // Sorted, so events read the same from run to run.
    new TreeMap<>(message.attributesAsStrings()).forEach(attributes::put);
    ObjectNode messageAttributes = json.putObject("messageAttributes");
    for (Map.Entry<String, MessageAttributeValue> entry :
        new TreeMap<>(message.messageAttributes()).entrySet()) {
      messageAttributes.set(entry.getKey(), messageAttribute(entry.getValue()));
    }
    json.put("md5OfBody", message.md5OfBody());
    if (message.md5OfMessageAttributes() != null) {
      json.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
    }
    json.put("eventSource", "aws:sqs");
    json.put("eventSourceARN", queueArn);
    json.put("awsRegion", LocalAws.REGION);
    return json;
  }

  private static ObjectNode messageAttribute(MessageAttributeValue value) {
    ObjectNode json = Json.object();
    if (value.stringValue() != null) {
      json.put("stringValue", value.stringValue());
    }
    if (value.binaryValue() != null) {
      json.put(
          "binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
    }
    ArrayNode strings = json.putArray("stringListValues");
    value.stringListValues().forEach(strings::add);
    ArrayNode binaries = json.putArray("binaryListValues");
    value
        .binaryListValues()
        .forEach(b -> binaries.add(Base64.getEncoder().encodeToString(b.asByteArray())));
    json.put("dataType", value.dataType());
    return json;
  }
}
