package io.innkeeper.local.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.client.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SNS's rules for what may be published, with SNS's error codes and (where AWS's wording is known)
 * its messages: attribute names and types go wrong as {@code ParameterValueInvalid}, everything
 * else as {@code InvalidParameter}.
 */
final class Validation {

  /** SNS's limit on a message with its attributes, and on all the messages of one batch. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024;

  private static final int MAX_SUBJECT = 100;
  private static final Pattern ATTRIBUTE_NAME =
      Pattern.compile("(?!\\.)(?!.*\\.$)(?!.*\\.\\.)[A-Za-z0-9_.-]{1,256}");
  private static final Pattern ATTRIBUTE_TYPE = Pattern.compile("(String|Number|Binary)(\\..+)?");

  /** MessageGroupId and MessageDeduplicationId: up to 128 letters, digits and punctuation. */
  private static final Pattern FIFO_ID = Pattern.compile("[\\p{Alnum}\\p{Punct}]{1,128}");

  static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private static final ObjectMapper JSON = Json.MAPPER;

  private Validation() {}

  /** What holds for every publication, whatever the topic. */
  static void publication(Publication p) {
    if (p.message() == null || p.message().isEmpty()) {
      throw SnsException.invalidParameter("Invalid parameter: Empty message");
    }
    if (p.subject() != null) {
      String s = p.subject();
      if (s.isEmpty()
          || s.length() > MAX_SUBJECT
          || s.chars().anyMatch(c -> Character.isISOControl(c))
          || !Character.isLetterOrDigit(s.charAt(0)) && !isPunctuation(s.charAt(0))) {
        throw SnsException.invalidParameter("Invalid parameter: Subject");
      }
    }
    if (p.messageStructure() != null) {
      if (!p.messageStructure().equals("json")) {
        throw SnsException.invalidParameter("Invalid parameter: MessageStructure");
      }
      JsonNode parsed;
      try {
        parsed = JSON.readTree(p.message());
      } catch (IOException e) {
        parsed = null;
      }
      if (parsed == null || !parsed.isObject()) {
        throw SnsException.invalidParameter(
            "Invalid parameter: Message Structure - JSON message body failed to parse");
      }
      if (!parsed.path("default").isTextual()) {
        throw SnsException.invalidParameter(
            "Invalid parameter: Message Structure - No default entry in JSON message body");
      }
    }
    p.attributes().forEach(Validation::attribute);
    if (size(p) > MAX_MESSAGE_BYTES) {
      throw SnsException.invalidParameter("Invalid parameter: Message too long");
    }
  }

  /** What a FIFO (or a standard) topic adds. */
  static void forTopic(Publication p, boolean fifo, boolean contentBasedDeduplication) {
    if (p.messageGroupId() != null && !FIFO_ID.matcher(p.messageGroupId()).matches()) {
      throw SnsException.invalidParameter(
          "Invalid parameter: MessageGroupId Reason: must be 1 to 128 letters, digits and"
              + " punctuation");
    }
    if (p.messageDeduplicationId() != null
        && !FIFO_ID.matcher(p.messageDeduplicationId()).matches()) {
      throw SnsException.invalidParameter(
          "Invalid parameter: MessageDeduplicationId Reason: must be 1 to 128 letters, digits and"
              + " punctuation");
    }
    if (fifo) {
      if (p.messageGroupId() == null) {
        throw SnsException.invalidParameter(
            "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
      }
      if (p.messageDeduplicationId() == null && !contentBasedDeduplication) {
        throw SnsException.invalidParameter(
            "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or"
                + " MessageDeduplicationId provided explicitly");
      }
    } else if (p.messageDeduplicationId() != null) {
      throw SnsException.invalidParameter(
          "Invalid parameter: MessageDeduplicationId Reason: The request includes"
              + " MessageDeduplicationId parameter that is not valid for this topic type");
    }
  }

  static void attribute(String name, MessageAttribute value) {
    if (name.length() > 256) {
      throw SnsException.invalidParameterValue(
          "Length of message attribute name must be less than 256 bytes.");
    }
    if (!ATTRIBUTE_NAME.matcher(name).matches()) {
      throw SnsException.invalidParameterValue(
          "Invalid message attribute name: '"
              + name
              + "'. Can only include alphanumeric characters, hyphens, underscores, or dots, and"
              + " must not start or end with a dot or have two dots in a row.");
    }
    if (name.startsWith("AWS.") || name.startsWith("Amazon.")) {
      throw SnsException.invalidParameterValue(
          "Message attribute name '" + name + "' uses a prefix reserved for AWS.");
    }
    if (!ATTRIBUTE_TYPE.matcher(value.dataType()).matches()) {
      throw SnsException.invalidParameterValue(
          "The message attribute '"
              + name
              + "' has an invalid message attribute type, the set of supported type prefixes is"
              + " Binary, Number, and String.");
    }
    boolean binary = value.isBinary();
    boolean hasValue =
        binary
            ? value.binaryValue() != null && value.binaryValue().length > 0
            : value.stringValue() != null && !value.stringValue().isEmpty();
    if (!hasValue) {
      throw SnsException.invalidParameterValue(
          "The message attribute '"
              + name
              + "' must contain non-empty message attribute value for message attribute type '"
              + value.dataType()
              + "'.");
    }
    if (binary ? value.stringValue() != null : value.binaryValue() != null) {
      throw SnsException.invalidParameterValue(
          "The message attribute '"
              + name
              + "' with type '"
              + value.dataType()
              + "' must use field '"
              + (binary ? "Binary" : "String")
              + "'.");
    }
    if (value.baseType().equals("Number")) {
      try {
        new BigDecimal(value.stringValue().trim());
      } catch (NumberFormatException e) {
        throw SnsException.invalidParameterValue(
            "Could not cast message attribute '" + name + "' value to number.");
      }
    }
    if (value.isStringArray() && FilterPolicy.parseArray(value.stringValue()) == null) {
      throw SnsException.invalidParameterValue(
          "The message attribute '"
              + name
              + "' of type 'String.Array' must be a JSON array of strings, numbers, true, false"
              + " or null.");
    }
  }

  /** The bytes SNS counts against its limit: the message and every attribute's parts. */
  static int size(Publication p) {
    int size = p.message().getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, MessageAttribute> a : p.attributes().entrySet()) {
      size += a.getValue().size(a.getKey());
    }
    return size;
  }

  /**
   * The message an SQS subscription gets: the message itself, or with {@code MessageStructure=json}
   * the {@code sqs} entry, else the {@code default} one.
   */
  static String messageForSqs(Publication p) {
    if (!"json".equals(p.messageStructure())) {
      return p.message();
    }
    try {
      JsonNode parsed = JSON.readTree(p.message());
      JsonNode sqs = parsed.path("sqs");
      return sqs.isTextual() ? sqs.asText() : parsed.path("default").asText();
    } catch (IOException e) {
      throw new IllegalStateException("validated at publish", e);
    }
  }

  /** The deduplication id content-based deduplication derives: SHA-256 of the message body. */
  static String contentHash(String message) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(message.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 on this JVM", e);
    }
  }

  private static boolean isPunctuation(char c) {
    return c < 128 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
  }
}
