package io.innkeeper.core.http;

import io.innkeeper.core.obs.Log;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Dispatches by API Gateway route key ({@code "GET /hotels/{hotelId}"}) and turns every outcome
 * into an answer: a {@link Problem} becomes problem+json, anything else a bare 500 that names
 * nothing internal. Every request ends with one {@code request handled} log line (route, status,
 * duration; never headers, tokens or bodies), and a 500 with an error line carrying the stack.
 */
public final class HttpRoutes {
  private final Map<String, Function<ApiRequest, ApiResponse>> routes = new LinkedHashMap<>();

  public HttpRoutes on(String routeKey, Function<ApiRequest, ApiResponse> handler) {
    routes.put(routeKey, handler);
    return this;
  }

  /**
   * Serves one Lambda invocation of {@code function}: every log line written meanwhile carries the
   * API request id and the invocation's id.
   */
  public com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse handle(
      String function,
      com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent event,
      com.amazonaws.services.lambda.runtime.Context context) {
    ApiRequest request = ApiRequest.from(event).within(io.innkeeper.core.aws.Deadline.of(context));
    try (Log.Scope scope =
        Log.invocation(
            function,
            "requestId",
            request.requestId(),
            "awsRequestId",
            context == null ? null : context.getAwsRequestId())) {
      return handle(request).toLambda();
    }
  }

  public ApiResponse handle(ApiRequest request) {
    long started = System.nanoTime();
    ApiResponse response = dispatch(request);
    Log.info(
        "request handled",
        "route",
        request.routeKey(),
        "status",
        response.status(),
        "durationMs",
        (System.nanoTime() - started) / 1_000_000);
    return response;
  }

  private ApiResponse dispatch(ApiRequest request) {
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
      // The stack goes in the line: printed on its own, each of its lines is a log event.
      Log.error("request failed", e, "route", request.routeKey(), "requestId", request.requestId());
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
