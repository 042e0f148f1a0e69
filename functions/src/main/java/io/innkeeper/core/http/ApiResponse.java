package io.innkeeper.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.innkeeper.events.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An answer: status, headers and a JSON body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

  public static ApiResponse json(int status, Object body) {
    return new ApiResponse(status, Map.of("Content-Type", "application/json"), Json.write(body));
  }

  public ApiResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new ApiResponse(status, h, body);
  }

  /** The RFC 9457 rendering of a problem. */
  public static ApiResponse problem(Problem p) {
    Map<String, Object> body =
        Json.obj("type", p.type(), "title", p.title(), "status", p.status(), "detail", p.detail());
    if (!p.errors().isEmpty()) {
      List<Object> errors =
          p.errors().stream()
              .map(e -> (Object) Json.obj("field", e.field(), "message", e.message()))
              .toList();
      body.put("errors", errors);
    }
    Map<String, String> headers = new LinkedHashMap<>(p.headers());
    headers.put("Content-Type", "application/problem+json");
    return new ApiResponse(p.status(), headers, Json.write(body));
  }

  public APIGatewayV2HTTPResponse toLambda() {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(body)
        .withIsBase64Encoded(false)
        .build();
  }
}
