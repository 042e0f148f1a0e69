package io.innkeeper.core.http;

import io.innkeeper.events.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a command body: checked for size and media type before any parsing, then parsed strictly
 * (duplicate keys, depth, valid UTF-8).
 */
public final class JsonBody {
  /** API.md: bodies over 64 KiB are refused with 413. */
  public static final int MAX_BYTES = 64 * 1024;

  private JsonBody() {}

  /** The body as a JSON object; an empty body reads as {@code {}}. */
  public static Map<String, Object> object(ApiRequest request) {
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
      return Json.object();
    }
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (Json.JsonException e) {
      throw Problem.badRequest("The body is not well-formed JSON.");
    }
    if (!(parsed instanceof Map<?, ?>)) {
      throw Problem.badRequest("The body must be a JSON object.");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) parsed;
    return map;
  }
}
