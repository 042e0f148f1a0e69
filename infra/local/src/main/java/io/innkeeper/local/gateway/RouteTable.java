package io.innkeeper.local.gateway;

import io.innkeeper.topology.Topology.RouteBinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The topology's HTTP routes, matched as API Gateway matches them: the method exactly, the path
 * template segment by segment, where {@code {name}} takes one whole non-empty segment. When several
 * templates match, the one with more literal segments wins, as API Gateway prefers the most
 * specific route.
 */
final class RouteTable {

  private static final Pattern PARAMETER = Pattern.compile("^\\{([A-Za-z_][A-Za-z0-9_]*)}$");

  private final List<CompiledRoute> routes;

  RouteTable(List<RouteBinding> bindings) {
    List<CompiledRoute> compiled = new ArrayList<>();
    Set<String> routeKeys = new HashSet<>();
    for (RouteBinding binding : bindings) {
      if (!routeKeys.add(binding.route().routeKey())) {
        throw new IllegalArgumentException("duplicate route " + binding.route().routeKey());
      }
      compiled.add(CompiledRoute.of(binding));
    }
    compiled.sort(Comparator.comparingInt(CompiledRoute::literalSegments).reversed());
    this.routes = List.copyOf(compiled);
  }

  List<io.innkeeper.topology.Topology.RouteBinding> bindings() {
    return routes.stream().map(CompiledRoute::binding).toList();
  }

  /** Matches a request's method and raw (still percent-encoded) path. */
  Result match(String method, String rawPath) {
    String[] segments = split(rawPath);
    if (segments == null) {
      return new NotFound();
    }
    Set<String> allowed = new TreeSet<>();
    for (CompiledRoute route : routes) {
      Optional<Map<String, String>> parameters = route.match(segments);
      if (parameters.isEmpty()) {
        continue;
      }
      if (route.binding().route().method().equals(method)) {
        return new Matched(route.binding(), parameters.get());
      }
      allowed.add(route.binding().route().method());
    }
    return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
  }

  // Segments after the leading slash; empty segments are kept so "/items/" is not "/items".
  private static String[] split(String path) {
    if (path == null || !path.startsWith("/")) {
      return null;
    }
    return path.substring(1).split("/", -1);
  }

  /** The outcome of matching a request. */
  sealed interface Result {}

  /** A route matched; {@code rawPathParameters} are still percent-encoded. */
  record Matched(RouteBinding binding, Map<String, String> rawPathParameters) implements Result {}

  /** The path matches routes, none with this method. */
  record MethodNotAllowed(Set<String> allowed) implements Result {}

  /** No route has this path. */
  record NotFound() implements Result {}

  private record CompiledRoute(RouteBinding binding, String[] segments, String[] parameterNames) {

    static CompiledRoute of(RouteBinding binding) {
      String[] segments = split(binding.route().path());
      if (segments == null) {
        throw new IllegalArgumentException("route path must start with /: " + binding.route());
      }
      String[] names = new String[segments.length];
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < segments.length; i++) {
        var parameter = PARAMETER.matcher(segments[i]);
        if (parameter.matches()) {
          names[i] = parameter.group(1);
          if (!seen.add(names[i])) {
            throw new IllegalArgumentException("repeated path parameter in " + binding.route());
          }
        } else if (segments[i].contains("{") || segments[i].contains("}")) {
          throw new IllegalArgumentException("unsupported path template " + binding.route());
        }
      }
      return new CompiledRoute(binding, segments, names);
    }

    int literalSegments() {
      int count = 0;
      for (String name : parameterNames) {
        if (name == null) {
          count++;
        }
      }
      return count;
    }

    Optional<Map<String, String>> match(String[] requestSegments) {
      if (requestSegments.length != segments.length) {
        return Optional.empty();
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      for (int i = 0; i < segments.length; i++) {
        if (parameterNames[i] != null) {
          if (requestSegments[i].isEmpty()) {
            return Optional.empty();
          }
          parameters.put(parameterNames[i], requestSegments[i]);
        } else if (!segments[i].equals(requestSegments[i])) {
          return Optional.empty();
        }
      }
      return Optional.of(parameters);
    }
  }
}
