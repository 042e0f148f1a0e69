package io.innkeeper.core.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An HTTP route as data: what the API gateway routes to a function, on AWS and locally.
 *
 * @param method the HTTP method, upper case
 * @param path the path template, e.g. {@code /hotels/{hotelId}}
 * @param authenticated whether a valid bearer token is required
 */
public record Route(String method, String path, boolean authenticated) {
  private static final Pattern METHOD = Pattern.compile("GET|POST|PUT|PATCH|DELETE");
  private static final Pattern PATH =
      Pattern.compile("(/([A-Za-z0-9_.-]+|\\{[A-Za-z][A-Za-z0-9]*}))+");

  public Route {
    Objects.requireNonNull(method);
    Objects.requireNonNull(path);
    if (!METHOD.matcher(method).matches() || !PATH.matcher(path).matches()) {
      throw new IllegalArgumentException("not a route: " + method + " " + path);
    }
  }

  /** A route that needs a bearer token. */
  public static Route authenticated(String method, String path) {
    return new Route(method, path, true);
  }

  /** A route anyone may call. */
  public static Route open(String method, String path) {
    return new Route(method, path, false);
  }

  /** The API Gateway route key, e.g. {@code GET /hotels/{hotelId}}. */
  public String routeKey() {
    return method + " " + path;
  }
}
