package io.innkeeper.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * The one Jackson set-up of the local runtime and the tools (ops, perf, the client's users): a
 * shared, thread-safe {@link ObjectMapper} and the few helpers they all need. The functions keep
 * their own, smaller set-up ({@code io.innkeeper.events.Json}, on jackson-jr), since Lambda code
 * pays for every class it loads.
 */
public final class Json {

  /** Jackson's defaults; shared, since a mapper is thread-safe and costly to build. */
  public static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /**
   * For documents AWS parses strictly (SNS filter policies): a duplicate key is an error and
   * decimals stay exact, as AWS compares them.
   */
  public static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private Json() {}

  /** A new, empty JSON object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** {@code value} as compact JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} as indented JSON, for files a person reads (reports, markers). */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses JSON; {@code null} when the text is not JSON. */
  public static JsonNode readOrNull(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
