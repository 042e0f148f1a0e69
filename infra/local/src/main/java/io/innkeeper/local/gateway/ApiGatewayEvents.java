package io.innkeeper.local.gateway;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds API Gateway HTTP API payload format 2.0 events, field for field as API Gateway sends them
 * to a Lambda function:
 *
 * <ul>
 *   <li>header names lower-cased, repeated headers joined with commas; {@code Cookie} headers moved
 *       to {@code cookies}, one entry per cookie; hop-by-hop headers left out and {@code
 *       x-forwarded-*} added, as behind API Gateway's own front end;
 *   <li>{@code queryStringParameters} decoded, repeated parameters joined with commas, left out
 *       when there is no query; {@code rawQueryString} as received ({@code ""} for none);
 *   <li>{@code pathParameters} decoded, left out for routes without parameters;
 *   <li>text bodies as they are, other bodies base64-encoded with {@code isBase64Encoded: true};
 *   <li>{@code requestContext.authorizer.jwt} only on routes with the JWT authorizer.
 * </ul>
 */
final class ApiGatewayEvents {

  static final String ACCOUNT_ID = "000000000000";
  static final String API_ID = "local";
  static final String STAGE = "$default";

  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  // API Gateway terminates the client's connection; these describe that connection, not the
  // request.
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings");

  private ApiGatewayEvents() {}

  /** What the gateway knows about one request once it has been routed. */
  record Request(
      String method,
      String rawPath,
      String rawQuery,
      String protocol,
      String sourceIp,
      int localPort,
      Map<String, List<String>> headers,
      byte[] body,
      String routeKey,
      Map<String, String> pathParameters,
      Map<String, String> claims,
      String requestId,
      Instant time) {}

  /** The event JSON for {@code request}. */
  static String eventJson(Request request) throws MalformedRequest {
    Map<String, String> headers = new TreeMap<>();
    List<String> cookies = new ArrayList<>();
    request
        .headers()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (HOP_BY_HOP.contains(lower)) {
                return;
              }
              if (lower.equals("cookie")) {
                values.forEach(value -> cookies.addAll(splitCookies(value)));
              } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
              }
            });
    headers.putIfAbsent("x-forwarded-for", request.sourceIp());
    headers.putIfAbsent("x-forwarded-port", Integer.toString(request.localPort()));
    headers.putIfAbsent("x-forwarded-proto", "http");

    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", request.routeKey());
    event.put("rawPath", request.rawPath());
    event.put("rawQueryString", request.rawQuery());
    if (!cookies.isEmpty()) {
      event.put("cookies", cookies);
    }
    event.put("headers", headers);
    Map<String, String> query = queryParameters(request.rawQuery());
    if (!query.isEmpty()) {
      event.put("queryStringParameters", query);
    }
    event.put("requestContext", requestContext(request, headers));
    boolean base64 = false;
    if (request.body().length > 0) {
      Optional<String> text = textBody(headers.get("content-type"), request.body());
      base64 = text.isEmpty();
      event.put("body", text.orElseGet(() -> Base64.getEncoder().encodeToString(request.body())));
    }
    if (!request.pathParameters().isEmpty()) {
      event.put("pathParameters", request.pathParameters());
    }
    event.put("isBase64Encoded", base64);
    return GatewayJson.write(event);
  }

  private static Map<String, Object> requestContext(Request request, Map<String, String> headers) {
    String domainName = headers.getOrDefault("host", "127.0.0.1:" + request.localPort());
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("accountId", ACCOUNT_ID);
    context.put("apiId", API_ID);
    if (request.claims() != null) {
      Map<String, Object> jwt = new LinkedHashMap<>();
      jwt.put("claims", request.claims());
      // Scopes are only filled for routes with authorization scopes, which the topology never has.
      jwt.put("scopes", null);
      context.put("authorizer", Map.of("jwt", jwt));
    }
    context.put("domainName", domainName);
    context.put("domainPrefix", domainPrefix(domainName));
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("method", request.method());
    http.put("path", request.rawPath());
    http.put("protocol", request.protocol());
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    context.put("http", http);
    context.put("requestId", request.requestId());
    context.put("routeKey", request.routeKey());
    context.put("stage", STAGE);
    context.put("time", REQUEST_TIME.format(request.time()));
    context.put("timeEpoch", request.time().toEpochMilli());
    return context;
  }

  // "abc123.execute-api.eu-west-1.amazonaws.com" -> "abc123"; a bare host or address stays whole.
  private static String domainPrefix(String domainName) {
    String host = domainName;
    if (host.startsWith("[")) {
      return host;
    }
    int colon = host.indexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    int dot = host.indexOf('.');
    boolean address = host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    return dot < 0 || address ? host : host.substring(0, dot);
  }

  private static List<String> splitCookies(String header) {
    List<String> cookies = new ArrayList<>();
    for (String cookie : header.split(";")) {
      String trimmed = cookie.strip();
      if (!trimmed.isEmpty()) {
        cookies.add(trimmed);
      }
    }
    return cookies;
  }

  /** Decoded query parameters in order of first appearance, repeated ones comma-joined. */
  static Map<String, String> queryParameters(String rawQuery) throws MalformedRequest {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decodeQueryComponent(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decodeQueryComponent(pair.substring(equals + 1));
      parameters.merge(name, value, (a, b) -> a + "," + b);
    }
    return parameters;
  }

  /** Percent-decodes a path segment ({@code +} is a literal plus in a path). */
  static String decodePathSegment(String raw) throws MalformedRequest {
    return decode(raw.replace("+", "%2B"));
  }

  private static String decodeQueryComponent(String raw) throws MalformedRequest {
    return decode(raw);
  }

  private static String decode(String raw) throws MalformedRequest {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new MalformedRequest("malformed percent-encoding in the request URL");
    }
  }

  /**
   * The body as text when API Gateway would pass it as text: a textual content type (or none) and
   * valid UTF-8. Everything else, form posts included, arrives base64-encoded.
   */
  private static Optional<String> textBody(String contentType, byte[] body) {
    if (contentType != null && !isTextual(contentType)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static boolean isTextual(String contentType) {
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.equals("application/json")
        || type.endsWith("+json")
        || type.equals("application/xml")
        || type.endsWith("+xml")
        || type.equals("application/javascript")
        || type.equals("application/graphql");
  }

  /** A request API Gateway would refuse with 400 before invoking anything. */
  static final class MalformedRequest extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedRequest(String message) {
      super(message, null, false, false);
    }
  }
}
