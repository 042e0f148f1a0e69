package io.innkeeper.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON configuration of Innkeeper: jackson-jr over maps and lists (no reflection on our
 * types, so cold start stays cheap), strict about duplicate keys, bounded in nesting depth, and
 * with decimals read exactly.
 */
public final class Json {

  /** Deeper documents than this are refused before any work is done on them. */
  public static final int MAX_DEPTH = 32;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(100)
                  .maxStringLength(1_000_000)
                  .build())
          .build();

  private static final JSON JSON_INSTANCE =
      JSON.builder(FACTORY)
          .enable(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JSON.Feature.PRESERVE_FIELD_ORDERING)
          .enable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS)
          .build();

  private Json() {}

  /**
   * Parses any JSON value: {@code Map<String,Object>} for objects (field order kept), {@code List}
   * for arrays, {@code String}, {@code Boolean}, {@code null}, and numbers as {@code Integer},
   * {@code Long}, {@code BigInteger} or {@code BigDecimal}.
   *
   * @throws JsonException if the text is not one well-formed JSON value
   */
  public static Object parse(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      Object value = JSON_INSTANCE.anyFrom(parser);
      if (parser.nextToken() != null) {
        throw new JsonException("unexpected content after the JSON value", null);
      }
      return value;
    } catch (JsonException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new JsonException(e.getMessage(), e);
    }
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object value = parse(text);
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new JsonException("expected a JSON object", null);
  }

  /** Writes maps, lists, strings, numbers, booleans and nulls as compact JSON. */
  public static String write(Object value) {
    try {
      return JSON_INSTANCE.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh insertion-ordered map, so written JSON has a stable field order. */
  public static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  /** A map literal with stable order: {@code obj("a", 1, "b", 2)}; null values are left out. */
  public static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> map = object();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return map;
  }

  /** Malformed JSON. */
  public static final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
