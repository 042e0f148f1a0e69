package io.innkeeper.core.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Dispatches by API Gateway route key ({@code "GET /hotels/{hotelId}"}) and turns every outcome
 * into an answer: a {@link Problem} becomes problem+json, anything else a bare 500 that names
 * nothing internal.
 */
public final class HttpRoutes {
  private final Map<String, Function<ApiRequest, ApiResponse>> routes = new LinkedHashMap<>();

  public HttpRoutes on(String routeKey, Function<ApiRequest, ApiResponse> handler) {
    routes.put(routeKey, handler);
    return this;
  }

  public ApiResponse handle(ApiRequest request) {
    var handler = routes.get(request.routeKey());
    try {
      if (handler == null) {
        throw Problem.notFound("No such route.");
      }
      return handler.apply(request);
    } catch (Problem p) {
      return ApiResponse.problem(p);
    } catch (RuntimeException e) {
      // Logged with the request id so an operator can find it; the client learns nothing internal.
      System.err.println(
          "{\"level\":\"ERROR\",\"requestId\":\""
              + request.requestId()
              + "\",\"error\":\""
              + e.getClass().getSimpleName()
              + "\"}");
      e.printStackTrace();
      return ApiResponse.problem(
          new Problem(
              500,
              "internal",
              "Internal Server Error",
              "The request could not be completed.",
              java.util.List.of()));
    }
  }
}
