package io.innkeeper.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parts of an API Gateway HTTP API (payload 2.0) request that handlers use. Header names are
 * matched case-insensitively.
 */
public final class ApiRequest {

  /** The API's id pattern, for path and body ids. */
  public static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  private final String routeKey;
  private final Map<String, String> headers;
  private final Map<String, String> pathParameters;
  private final Map<String, String> query;
  private final byte[] body;
  private final Caller caller;
  private final String requestId;

  /** Set when API Gateway said the body is base64 and it is not: a client's error, not ours. */
  private boolean bodyNotBase64;

  /** How long the invocation serving this request has left; none outside Lambda. */
  private io.innkeeper.core.aws.Deadline deadline = io.innkeeper.core.aws.Deadline.none();

  public ApiRequest(
      String routeKey,
      Map<String, String> headers,
      Map<String, String> pathParameters,
      Map<String, String> query,
      byte[] body,
      Caller caller,
      String requestId) {
    this.routeKey = routeKey;
    this.headers = lowerCaseKeys(headers);
    this.pathParameters = pathParameters == null ? Map.of() : pathParameters;
    this.query = query == null ? Map.of() : query;
    this.body = body == null ? new byte[0] : body;
    this.caller = caller;
    this.requestId = requestId;
  }

  /** Reads a Lambda event. */
  public static ApiRequest from(APIGatewayV2HTTPEvent e) {
    byte[] body = null;
    boolean notBase64 = false;
    if (e.getBody() != null) {
      try {
        body =
            e.getIsBase64Encoded()
                ? Base64.getDecoder().decode(e.getBody())
                : e.getBody().getBytes(StandardCharsets.UTF_8);
      } catch (IllegalArgumentException invalid) {
        notBase64 = true;
      }
    }
    Caller caller = null;
    String requestId = null;
    var ctx = e.getRequestContext();
    if (ctx != null) {
      requestId = ctx.getRequestId();
      if (ctx.getAuthorizer() != null && ctx.getAuthorizer().getJwt() != null) {
        caller = Caller.fromClaims(ctx.getAuthorizer().getJwt().getClaims());
      }
    }
    ApiRequest request =
        new ApiRequest(
            e.getRouteKey(),
            e.getHeaders(),
            e.getPathParameters(),
            e.getQueryStringParameters(),
            body,
            caller,
            requestId);
    request.bodyNotBase64 = notBase64;
    return request;
  }

  /**
   * The time the invocation serving this request has left: what a wait (for a command's outcome,
   * for the read model) must stay within, so the function answers before Lambda ends it.
   */
  public io.innkeeper.core.aws.Deadline deadline() {
    return deadline;
  }

  /** Binds the invocation's deadline; returns this request. */
  public ApiRequest within(io.innkeeper.core.aws.Deadline deadline) {
    this.deadline = java.util.Objects.requireNonNull(deadline);
    return this;
  }

  /** Whether the event flagged its body as base64 and it was not (read as a 400 by the body). */
  public boolean bodyNotBase64() {
    return bodyNotBase64;
  }

  public String routeKey() {
    return routeKey;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /** The query parameters as a map a {@link BodyReader} can validate. */
  public Map<String, Object> queryParameters() {
    return java.util.Collections.unmodifiableMap(new java.util.HashMap<>(query));
  }

  public byte[] body() {
    return body;
  }

  public String requestId() {
    return requestId;
  }

  /** The validated caller; answers 401 when the route was reached without one. */
  public Caller caller() {
    if (caller == null) {
      throw Problem.unauthorized();
    }
    return caller;
  }

  /** A path parameter that must be an API id; answers 400 otherwise. */
  public String pathId(String name) {
    String value = pathParameters.get(name);
    if (value == null || !ID.matcher(value).matches()) {
      throw Problem.validation(
          java.util.List.of(new FieldError(name, "must match " + ID.pattern())));
    }
    return value;
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> in) {
    if (in == null) {
      return Map.of();
    }
    Map<String, String> out = new java.util.HashMap<>();
    in.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }
}
