package io.innkeeper.local.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP response as the gateway writes it.
 *
 * @param status HTTP status
 * @param headers header name/value pairs in order; a name may repeat
 * @param body the body bytes, empty for none
 * @param closeConnection whether the connection must not be reused (the request body was left
 *     unread)
 */
record Reply(int status, List<Header> headers, byte[] body, boolean closeConnection) {

  static final String PROBLEM_JSON = "application/problem+json";

  Reply {
    headers = List.copyOf(headers);
  }

  /** A response header. */
  record Header(String name, String value) {}

  /**
   * An error API Gateway's HTTP API makes itself: {@code {"message":"..."}}, with no content type,
   * as its own answers are captured ({@code 401 {"message":"Unauthorized"}} in AWS's
   * troubleshooting guide for JWT authorizers, {@code 503 {"message":"Service Unavailable"}} for an
   * integration timeout: neither carries a {@code Content-Type}).
   */
  static Reply aws(int status, String message, List<Header> extraHeaders) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    return new Reply(
        status, extraHeaders, GatewayJson.write(body).getBytes(StandardCharsets.UTF_8), false);
  }

  static Reply aws(int status, String message) {
    return aws(status, message, List.of());
  }

  static Reply json(int status, Object json) {
    return new Reply(
        status,
        List.of(new Header("Content-Type", "application/json")),
        GatewayJson.write(json).getBytes(StandardCharsets.UTF_8),
        false);
  }

  /** An RFC 9457 problem whose title is the status's reason phrase. */
  static Reply problem(int status, String detail) {
    return problem(status, detail, null, List.of());
  }

  /**
   * An RFC 9457 problem.
   *
   * @param errors field errors, each {@code {"field", "message"}}; {@code null} to leave the member
   *     out
   * @param extraHeaders headers besides the content type
   */
  static Reply problem(
      int status, String detail, List<Map<String, String>> errors, List<Header> extraHeaders) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title(status));
    problem.put("status", status);
    if (detail != null) {
      problem.put("detail", detail);
    }
    if (errors != null) {
      problem.put("errors", errors);
    }
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("Content-Type", PROBLEM_JSON));
    headers.addAll(extraHeaders);
    return new Reply(
        status, headers, GatewayJson.write(problem).getBytes(StandardCharsets.UTF_8), false);
  }

  Reply closingConnection() {
    return new Reply(status, headers, body, true);
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }
}
