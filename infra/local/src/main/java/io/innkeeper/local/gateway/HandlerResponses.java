package io.innkeeper.local.gateway;

import io.innkeeper.local.gateway.Reply.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a function's answer into an HTTP response the way API Gateway reads payload format 2.0
 * responses ({@code APIGatewayV2HTTPResponse}).
 *
 * <p>An object with a {@code statusCode} is taken literally: status, {@code headers}, {@code
 * multiValueHeaders}, {@code cookies} (each a {@code Set-Cookie}), {@code body}, decoded from
 * base64 when {@code isBase64Encoded}. An object without {@code statusCode} is API Gateway's simple
 * form: {@code 200} with the object itself as the JSON body. Anything else is a broken integration.
 */
final class HandlerResponses {

  private static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");

  // The server frames the message itself; a function cannot override how.
  private static final Set<String> MANAGED =
      Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "date");

  private HandlerResponses() {}

  /** The reply for a function's response JSON; empty when API Gateway would answer 500. */
  static Optional<Reply> toReply(String responseJson) {
    Optional<Map<String, Object>> parsed = GatewayJson.parseObject(responseJson);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> response = parsed.get();
    if (!response.containsKey("statusCode")) {
      return Optional.of(
          new Reply(
              200,
              List.of(new Header("Content-Type", "application/json")),
              responseJson.strip().getBytes(StandardCharsets.UTF_8),
              false));
    }
    try {
      return Optional.of(fullForm(response));
    } catch (InvalidResponse e) {
      return Optional.empty();
    }
  }

  private static Reply fullForm(Map<String, Object> response) throws InvalidResponse {
    int status = status(response.get("statusCode"));
    List<Header> headers = new ArrayList<>();
    Object single = response.get("headers");
    if (single != null) {
      for (Map.Entry<?, ?> entry : asMap(single).entrySet()) {
        addHeader(headers, String.valueOf(entry.getKey()), scalar(entry.getValue()));
      }
    }
    Object multi = response.get("multiValueHeaders");
    if (multi != null) {
      for (Map.Entry<?, ?> entry : asMap(multi).entrySet()) {
        if (entry.getValue() == null) {
          continue;
        }
        for (Object value : asList(entry.getValue())) {
          addHeader(headers, String.valueOf(entry.getKey()), scalar(value));
        }
      }
    }
    Object cookies = response.get("cookies");
    if (cookies != null) {
      for (Object cookie : asList(cookies)) {
        addHeader(headers, "Set-Cookie", scalar(cookie));
      }
    }
    byte[] body = body(response);
    return new Reply(status, headers, body, false);
  }

  private static int status(Object value) throws InvalidResponse {
    if (value instanceof Integer code && code >= 200 && code <= 599) {
      return code;
    }
    throw new InvalidResponse();
  }

  private static byte[] body(Map<String, Object> response) throws InvalidResponse {
    Object body = response.get("body");
    if (body == null) {
      return new byte[0];
    }
    if (!(body instanceof String text)) {
      throw new InvalidResponse();
    }
    // aws-lambda-java-serialization names the flag after the getter; plain Jackson after the field.
    Object flag = response.getOrDefault("isBase64Encoded", response.get("base64Encoded"));
    if (Boolean.TRUE.equals(flag)) {
      try {
        return Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new InvalidResponse();
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void addHeader(List<Header> headers, String name, String value)
      throws InvalidResponse {
    // Header injection through a function's response must not reach the wire.
    if (!TOKEN.matcher(name).matches() || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw new InvalidResponse();
    }
    if (!MANAGED.contains(name.toLowerCase(Locale.ROOT))) {
      headers.add(new Header(name, value));
    }
  }

  private static String scalar(Object value) throws InvalidResponse {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new InvalidResponse();
  }

  private static Map<?, ?> asMap(Object value) throws InvalidResponse {
    if (value instanceof Map<?, ?> map) {
      return map;
    }
    throw new InvalidResponse();
  }

  private static List<?> asList(Object value) throws InvalidResponse {
    if (value instanceof List<?> list) {
      return list;
    }
    throw new InvalidResponse();
  }

  private static final class InvalidResponse extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidResponse() {
      super(null, null, false, false);
    }
  }
}
