package io.innkeeper.core.http;

import java.util.List;

/**
 * An RFC 9457 problem: the only shape of every error answer. Throwing it from request handling
 * answers it; nothing has been changed or enqueued at that point.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String slug;
  private final String title;
  private final transient List<FieldError> errors;
  private final transient java.util.Map<String, String> headers;

  public Problem(int status, String slug, String title, String detail, List<FieldError> errors) {
    this(status, slug, title, detail, errors, java.util.Map.of());
  }

  public Problem(
      int status,
      String slug,
      String title,
      String detail,
      List<FieldError> errors,
      java.util.Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = java.util.Map.copyOf(headers);
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "bad-request", "Bad Request", detail, List.of());
  }

  public static Problem validation(List<FieldError> errors) {
    return new Problem(
        400, "validation-failed", "Validation failed", "The request has invalid fields.", errors);
  }

  public static Problem unauthorized() {
    return new Problem(
        401,
        "unauthorized",
        "Unauthorized",
        "A valid bearer token is required.",
        List.of(),
        java.util.Map.of("WWW-Authenticate", "Bearer"));
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Forbidden", detail, List.of());
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not Found", detail, List.of());
  }

  public static Problem tooLarge(int limit) {
    return new Problem(
        413,
        "payload-too-large",
        "Payload Too Large",
        "The body exceeds " + limit + " bytes.",
        List.of());
  }

  public static Problem unsupportedMediaType() {
    return new Problem(
        415,
        "unsupported-media-type",
        "Unsupported Media Type",
        "Send the body as application/json.",
        List.of());
  }

  public int status() {
    return status;
  }

  public String type() {
    return "urn:innkeeper:problem:" + slug;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  public java.util.Map<String, String> headers() {
    return headers;
  }
}
