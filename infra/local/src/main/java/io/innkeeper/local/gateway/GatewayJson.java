package io.innkeeper.local.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * JSON for the gateway. Everything it parses comes from outside (tokens, request bodies, handler
 * responses), so it is strict: duplicate keys, trailing content and deep nesting are refused, and
 * parsing reports failure as an empty result instead of an exception.
 */
final class GatewayJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(32)
                  .maxNumberLength(100)
                  // A 6 MB Lambda response body, base64-encoded, must still fit in one string.
                  .maxStringLength(16_000_000)
                  .build())
          .build();

  private static final JSON JSON_INSTANCE =
      JSON.builder(FACTORY)
          .enable(JSON.Feature.PRESERVE_FIELD_ORDERING)
          .enable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS)
          // API Gateway writes some absent values as explicit nulls ("scopes": null).
          .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
          .build();

  private GatewayJson() {}

  /** Parses one JSON value; empty when the text is not exactly one well-formed value. */
  static Optional<Object> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try (JsonParser parser = FACTORY.createParser(text)) {
      Object value = JSON_INSTANCE.anyFrom(parser);
      if (parser.nextToken() != null) {
        return Optional.empty();
      }
      // A JSON null is "no value" for every caller here.
      return Optional.ofNullable(value);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Parses a JSON object; empty when the text is anything else. */
  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> parseObject(String text) {
    return parse(text).filter(Map.class::isInstance).map(v -> (Map<String, Object>) v);
  }

  /** Writes maps, lists, strings, numbers, booleans and nulls as compact JSON. */
  static String write(Object value) {
    try {
      return JSON_INSTANCE.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
