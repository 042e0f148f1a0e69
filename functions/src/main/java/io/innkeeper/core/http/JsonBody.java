package io.innkeeper.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a command body: checked for size and media type before any parsing, then parsed by a
 * streaming reader that enforces every limit while it reads, so a hostile body is refused before
 * objects are built from it. The limits sit far above any valid command (the deepest is three
 * levels, the longest string 500 characters, the longest list 50 room types) and far below what
 * would cost real work.
 *
 * <p>Every string, field names included, must be text that SQS and DynamoDB can carry: no lone
 * surrogate and no {@code U+FFFE}/{@code U+FFFF}. Anything else would be accepted here and fail at
 * the queue with a 500.
 */
public final class JsonBody {
  /** The contract (docs/api.md): bodies over 64 KiB are refused with 413. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Objects and arrays nested deeper than this are refused (a command needs three). */
  public static final int MAX_DEPTH = 20;

  /** Characters of one string value (the longest a command takes is a 500-character reason). */
  public static final int MAX_STRING_CHARS = 4_096;

  /** Characters of one field name. */
  public static final int MAX_KEY_CHARS = 100;

  /** Characters of one number, sign, fraction and exponent included. */
  public static final int MAX_NUMBER_CHARS = 40;

  /** Elements of one array, and fields of one object. */
  public static final int MAX_ITEMS = 100;

  // Jackson's own limits as a second line, one step behind ours so that the reader's checks, which
  // name the field, come first. Duplicate keys are found by the reader for the same reason.
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH + 1)
                  .maxStringLength(MAX_BYTES)
                  .maxNameLength(MAX_BYTES)
                  .build())
          .build();

  private JsonBody() {}

  /** The body as a JSON object; an empty body reads as {@code {}}. */
  public static Map<String, Object> object(ApiRequest request) {
    if (request.bodyNotBase64()) {
      throw Problem.badRequest("The body is marked as base64 but is not valid base64.");
    }
    byte[] body = request.body();
    if (body.length > MAX_BYTES) {
      throw Problem.tooLarge(MAX_BYTES);
    }
    if (body.length > 0) {
      String contentType = request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
      String mediaType = contentType.split(";", 2)[0].strip();
      if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
        throw Problem.unsupportedMediaType();
      }
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw Problem.badRequest("The body is not valid UTF-8.");
    }
    if (text.isBlank()) {
      return new LinkedHashMap<>();
    }
    return parseObject(text);
  }

  /**
   * Parses {@code text} as one JSON object under the limits above: {@code Map} (field order kept),
   * {@code List}, {@code String}, {@code Boolean}, {@code null}, {@code Integer}/{@code
   * Long}/{@code BigInteger} for whole numbers and {@code BigDecimal} for the rest.
   *
   * @throws Problem 400 for malformed JSON, a body that is not an object, a duplicate key or a
   *     broken limit
   */
  static Map<String, Object> parseObject(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw Problem.badRequest("The body must be a JSON object.");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) new Reader(parser).value("", 1);
      if (parser.nextToken() != null) {
        throw Problem.badRequest("The body has content after the JSON object.");
      }
      return object;
    } catch (JsonProcessingException e) {
      // The parser's message quotes the input; the answer gives only where it went wrong.
      long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
      throw Problem.badRequest(
          "The body is not well-formed JSON"
              + (offset >= 0 ? " (at character " + offset + ")." : "."));
    } catch (IOException e) {
      throw Problem.badRequest("The body is not well-formed JSON.");
    }
  }

  /** Builds values from the parser's current token, one limit check per token. */
  private record Reader(JsonParser parser) {

    Object value(String path, int depth) throws IOException {
      JsonToken token = parser.currentToken();
      switch (token) {
        case START_OBJECT:
          return object(path, depth);
        case START_ARRAY:
          return array(path, depth);
        case VALUE_STRING:
          if (parser.getTextLength() > MAX_STRING_CHARS) {
            throw limit(path, "must have at most " + MAX_STRING_CHARS + " characters");
          }
          return text(parser.getText(), path);
        case VALUE_NUMBER_INT:
          checkNumberLength(path);
          return parser.getNumberValue();
        case VALUE_NUMBER_FLOAT:
          checkNumberLength(path);
          return parser.getDecimalValue();
        case VALUE_TRUE:
          return Boolean.TRUE;
        case VALUE_FALSE:
          return Boolean.FALSE;
        case VALUE_NULL:
          return null;
        default:
          throw Problem.badRequest("The body is not well-formed JSON.");
      }
    }

    private Map<String, Object> object(String path, int depth) throws IOException {
      checkDepth(path, depth);
      Map<String, Object> object = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        if (parser.getTextLength() > MAX_KEY_CHARS) {
          throw limit(path, "has a field name longer than " + MAX_KEY_CHARS + " characters");
        }
        String name = text(parser.currentName(), path);
        String field = path.isEmpty() ? name : path + "." + name;
        if (object.containsKey(name)) {
          throw limit(field, "appears more than once");
        }
        if (object.size() == MAX_ITEMS) {
          throw limit(path, "must have at most " + MAX_ITEMS + " fields");
        }
        parser.nextToken();
        object.put(name, value(field, depth + 1));
      }
      return object;
    }

    private List<Object> array(String path, int depth) throws IOException {
      checkDepth(path, depth);
      List<Object> array = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (array.size() == MAX_ITEMS) {
          throw limit(path, "must have at most " + MAX_ITEMS + " items");
        }
        array.add(value(path + "[" + array.size() + "]", depth + 1));
      }
      return array;
    }

    private void checkDepth(String path, int depth) {
      if (depth > MAX_DEPTH) {
        throw limit(path, "is nested deeper than " + MAX_DEPTH + " levels");
      }
    }

    private void checkNumberLength(String path) throws IOException {
      if (parser.getTextLength() > MAX_NUMBER_CHARS) {
        throw limit(path, "must have at most " + MAX_NUMBER_CHARS + " characters");
      }
    }

    private static String text(String s, String path) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
          throw limit(path, "must be valid Unicode text");
        }
      }
      return s;
    }

    private static Problem limit(String field, String message) {
      return Problem.validation(List.of(new FieldError(field.isEmpty() ? "body" : field, message)));
    }
  }
}
