package io.innkeeper.local.sns;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message to publish, with what SNS's {@code Publish} takes besides the topic: the message, an
 * optional subject and message structure, message attributes, and for FIFO topics the message group
 * and deduplication ids. Immutable; the {@code with...} methods return a changed copy.
 *
 * @param message the message body
 * @param subject the subject, or {@code null}
 * @param messageStructure {@code json} when {@code message} carries one message per protocol, else
 *     {@code null}
 * @param attributes the message attributes by name (iteration order kept)
 * @param messageGroupId the message group (required on FIFO topics), or {@code null}
 * @param messageDeduplicationId the deduplication id, or {@code null}
 */
public record Publication(
    String message,
    String subject,
    String messageStructure,
    Map<String, MessageAttribute> attributes,
    String messageGroupId,
    String messageDeduplicationId) {

  public Publication {
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** A plain message without attributes or ids. */
  public static Publication of(String message) {
    return new Publication(message, null, null, Map.of(), null, null);
  }

  public Publication withGroup(String groupId) {
    return new Publication(
        message, subject, messageStructure, attributes, groupId, messageDeduplicationId);
  }

  public Publication withDeduplicationId(String deduplicationId) {
    return new Publication(
        message, subject, messageStructure, attributes, messageGroupId, deduplicationId);
  }

  public Publication withSubject(String newSubject) {
    return new Publication(
        message, newSubject, messageStructure, attributes, messageGroupId, messageDeduplicationId);
  }

  public Publication withAttribute(String name, MessageAttribute value) {
    Map<String, MessageAttribute> more = new LinkedHashMap<>(attributes);
    more.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    return new Publication(
        message, subject, messageStructure, more, messageGroupId, messageDeduplicationId);
  }
}
