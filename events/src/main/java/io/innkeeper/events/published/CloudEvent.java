package io.innkeeper.events.published;

import io.innkeeper.events.ContractException;
import io.innkeeper.events.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An integration event as it travels on the bus: CloudEvents 1.0 in the structured JSON format,
 * with the {@code sequence} extension.
 *
 * <ul>
 *   <li>{@code id}: derived from the aggregate's stream and version ({@link #idOf}), so the same
 *       stored event always publishes the same id, however often the stream delivers it;
 *   <li>{@code source}: the deployment and the domain, {@code urn:innkeeper:<deployment>:<domain>};
 *   <li>{@code type}: the published type's stable name, major version included ({@code
 *       io.innkeeper.hotel.reservation.placed.v1});
 *   <li>{@code subject}: the aggregate, as its stream id ({@code reservation#01JD...});
 *   <li>{@code time}: when the fact happened (the event's {@code occurredAt});
 *   <li>{@code sequence}: the aggregate's version, zero-padded to {@value #SEQUENCE_DIGITS} digits,
 *       because the extension orders by string comparison;
 *   <li>{@code data}: the published type's fields, as its JSON Schema describes them.
 * </ul>
 *
 * Ids and sources are unique together (CloudEvents); within one source, {@code (subject, sequence)}
 * orders every event of one aggregate.
 */
public record CloudEvent(
    String id,
    String source,
    String type,
    Instant time,
    String subject,
    long sequence,
    Map<String, Object> data) {

  /** The CloudEvents version this contract speaks. */
  public static final String SPEC_VERSION = "1.0";

  /** The data's media type. */
  public static final String DATA_CONTENT_TYPE = "application/json";

  /** The width of the zero-padded {@code sequence}: a long's 19 digits and one to spare. */
  public static final int SEQUENCE_DIGITS = 20;

  private static final Set<String> ATTRIBUTES =
      Set.of(
          "specversion",
          "id",
          "source",
          "type",
          "time",
          "subject",
          "datacontenttype",
          "sequence",
          "data");

  public CloudEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(data, "data");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be at least 1, not " + sequence);
    }
    data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }

  /**
   * The id of the event at {@code version} of {@code stream}: a name-based UUID (the first 16 bytes
   * of a SHA-256, marked as version 8), fixed for that stream and version in every deployment.
   * Fixed length, so it always fits SNS's 128-character deduplication id.
   */
  public static String idOf(String stream, long version) {
    byte[] hash;
    try {
      hash =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("innkeeper-event\u0000" + stream + "\u0000" + version)
                      .getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8: custom
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // the RFC 9562 variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (hash[i] & 0xff);
      lsb = (lsb << 8) | (hash[8 + i] & 0xff);
    }
    return new UUID(msb, lsb).toString();
  }

  /** The {@code source} of a deployment's domain: {@code urn:innkeeper:<deployment>:<domain>}. */
  public static String sourceOf(String deployment, String domain) {
    return "urn:innkeeper:" + deployment + ":" + domain;
  }

  /** The sequence as the extension carries it: zero-padded, so strings compare as numbers. */
  public String sequenceString() {
    return String.format("%0" + SEQUENCE_DIGITS + "d", sequence);
  }

  /** The structured-mode JSON object, attributes in a fixed order. */
  public Map<String, Object> toMap() {
    return Json.obj(
        "specversion", SPEC_VERSION,
        "id", id,
        "source", source,
        "type", type,
        "subject", subject,
        "time", time.toString(),
        "sequence", sequenceString(),
        "datacontenttype", DATA_CONTENT_TYPE,
        "data", data);
  }

  /** The structured-mode JSON text, as the bus carries it. */
  public String toJson() {
    return Json.write(toMap());
  }

  /**
   * Reads a structured-mode CloudEvent of this contract.
   *
   * @throws ContractException naming what is missing or wrong: a spec version other than 1.0, a
   *     missing attribute, a sequence that is not a positive zero-padded number, a data that is not
   *     a JSON object, an attribute this contract does not have
   */
  public static CloudEvent parse(String json) {
    Map<String, Object> m;
    try {
      m = Json.parseObject(json);
    } catch (Json.JsonException e) {
      throw new ContractException("not a JSON object: " + e.getMessage(), e);
    }
    for (String key : m.keySet()) {
      if (!ATTRIBUTES.contains(key)) {
        throw new ContractException("unknown CloudEvents attribute '" + key + "'");
      }
    }
    if (!SPEC_VERSION.equals(m.get("specversion"))) {
      throw new ContractException("specversion must be 1.0, not " + m.get("specversion"));
    }
    Object contentType = m.get("datacontenttype");
    if (contentType != null && !DATA_CONTENT_TYPE.equals(contentType)) {
      throw new ContractException("datacontenttype must be application/json, not " + contentType);
    }
    String sequence = string(m, "sequence");
    if (!sequence.matches("[0-9]{" + SEQUENCE_DIGITS + "}")) {
      throw new ContractException(
          "sequence must be " + SEQUENCE_DIGITS + " digits, not '" + sequence + "'");
    }
    Instant time;
    try {
      time = Instant.parse(string(m, "time"));
    } catch (DateTimeParseException e) {
      throw new ContractException("time must be an RFC 3339 instant", e);
    }
    if (!(m.get("data") instanceof Map<?, ?> data)) {
      throw new ContractException("data must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) data;
    long seq;
    try {
      seq = Long.parseLong(sequence);
    } catch (NumberFormatException e) {
      throw new ContractException("sequence out of range: " + sequence, e);
    }
    if (seq < 1) {
      throw new ContractException("sequence must be at least 1");
    }
    return new CloudEvent(
        string(m, "id"),
        string(m, "source"),
        string(m, "type"),
        time,
        string(m, "subject"),
        seq,
        fields);
  }

  private static String string(Map<String, Object> m, String name) {
    if (m.get(name) instanceof String s && !s.isEmpty()) {
      return s;
    }
    throw new ContractException("attribute '" + name + "' must be a non-empty string");
  }
}
