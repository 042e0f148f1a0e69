package io.innkeeper.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps {@code docs/openapi.yaml} and the topology honest with each other: a route that is served
 * must be documented with the same authentication, and a documented route must be served or be
 * knowingly missing.
 *
 * <p>The document is parsed with SnakeYAML (safe loading: plain maps and lists), so quoting,
 * indentation and flow style do not matter.
 */
class OpenApiContractTest {

  /**
   * Routes of the contract (docs/api.md) the topology does not serve yet. Each issue that makes a
   * route land removes it here; the set must shrink to empty, and the test fails if it names a
   * route that is served.
   */
  private static final Set<String> NOT_YET_SERVED = Set.of();

  /** The contract's public routes; everything else it lists needs a token. */
  private static final Set<String> PUBLIC =
      Set.of("GET /hotels", "GET /hotels/{hotelId}", "GET /availability", "POST /_local/tokens");

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private static Map<String, Operation> documented;

  /** One documented operation, keyed like an API Gateway route: {@code GET /hotels/{hotelId}}. */
  private record Operation(String routeKey, boolean authenticated, boolean localOnly) {}

  @BeforeAll
  static void readSpec() throws IOException {
    try (var in = Files.newBufferedReader(locateSpec())) {
      documented = parse(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
    }
  }

  @Test
  void everyServedRouteIsDocumentedWithTheSameAuthentication() {
    List<String> problems = new ArrayList<>();
    for (Topology.RouteBinding binding : Topology.innkeeper().routes()) {
      Trigger.HttpRoute route = binding.route();
      Operation op = documented.get(route.routeKey());
      if (op == null) {
        problems.add(route.routeKey() + " is served but not in openapi.yaml");
      } else if (op.authenticated() != route.authenticated()) {
        problems.add(
            route.routeKey()
                + " is served with authenticated="
                + route.authenticated()
                + " but openapi.yaml says "
                + op.authenticated());
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyDocumentedRouteIsServedOrKnownToBeMissing() {
    Set<String> served = servedRouteKeys();
    Set<String> unaccounted = new TreeSet<>();
    for (Operation op : documented.values()) {
      if (!op.localOnly() && !served.contains(op.routeKey())) {
        unaccounted.add(op.routeKey());
      }
    }
    unaccounted.removeAll(NOT_YET_SERVED);
    assertEquals(Set.of(), unaccounted, "documented but neither served nor in NOT_YET_SERVED");
  }

  @Test
  void notYetServedNamesOnlyDocumentedRoutesThatAreStillMissing() {
    Set<String> served = servedRouteKeys();
    for (String routeKey : NOT_YET_SERVED) {
      assertTrue(documented.containsKey(routeKey), routeKey + " is not in openapi.yaml");
      assertFalse(
          served.contains(routeKey), routeKey + " is served now: remove it from NOT_YET_SERVED");
    }
  }

  @Test
  void localOnlyRoutesAreNotPartOfTheDeployedTopology() {
    Set<String> served = servedRouteKeys();
    for (Operation op : documented.values()) {
      if (op.localOnly()) {
        assertFalse(served.contains(op.routeKey()), op.routeKey() + " is local-only");
      }
    }
  }

  // Not-yet-served routes have no topology flag to compare with, so the contract's list guards
  // them.
  @Test
  void onlyTheApiPublicRoutesSkipBearerAuth() {
    Set<String> unauthenticated = new TreeSet<>();
    for (Operation op : documented.values()) {
      if (!op.authenticated()) {
        unauthenticated.add(op.routeKey());
      }
    }
    assertEquals(new TreeSet<>(PUBLIC), unauthenticated);
  }

  private static Set<String> servedRouteKeys() {
    Set<String> keys = new TreeSet<>();
    for (Topology.RouteBinding binding : Topology.innkeeper().routes()) {
      keys.add(binding.route().routeKey());
    }
    return keys;
  }

  // Surefire runs in the module directory, an IDE may run at the repository root.
  private static Path locateSpec() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs").resolve("openapi.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return fail("docs/openapi.yaml not found above " + Path.of("").toAbsolutePath());
  }

  private static Map<String, Operation> parse(Object document) {
    assertTrue(document instanceof Map<?, ?>, "openapi.yaml is not a mapping");
    Map<?, ?> spec = (Map<?, ?>) document;
    // Operations inherit the document's security unless they say otherwise, so inferring
    // "authenticated" from a missing marker is only sound when that default is bearerAuth.
    assertTrue(
        spec.get("security") instanceof List<?>,
        "openapi.yaml must declare a top-level security default");
    assertEquals(
        List.of(Map.of("bearerAuth", List.of())),
        spec.get("security"),
        "the top-level security default must be bearerAuth");
    assertTrue(spec.get("paths") instanceof Map<?, ?>, "openapi.yaml has no top-level paths:");

    Map<String, Operation> operations = new LinkedHashMap<>();
    for (Map.Entry<?, ?> pathEntry : ((Map<?, ?>) spec.get("paths")).entrySet()) {
      String path = String.valueOf(pathEntry.getKey());
      assertTrue(path.startsWith("/"), "a path that is not one: " + path);
      if (!(pathEntry.getValue() instanceof Map<?, ?> item)) {
        continue;
      }
      for (Map.Entry<?, ?> opEntry : item.entrySet()) {
        String method = String.valueOf(opEntry.getKey());
        if (!METHODS.contains(method)) {
          continue; // parameters, summary, servers: shared by the path's operations
        }
        Map<?, ?> op = opEntry.getValue() instanceof Map<?, ?> m ? m : Map.of();
        boolean isPublic = false;
        if (op.containsKey("security")) {
          assertTrue(
              op.get("security") instanceof List<?>,
              method + " " + path + ": security is not a list");
          List<?> security = (List<?>) op.get("security");
          isPublic = security.isEmpty();
          for (Object requirement : security) {
            assertTrue(
                requirement instanceof Map<?, ?> r && r.keySet().equals(Set.of("bearerAuth")),
                method + " " + path + " declares a security other than bearerAuth: " + requirement);
          }
        }
        boolean localOnly = Boolean.TRUE.equals(op.get("x-local-only"));
        String routeKey = method.toUpperCase(Locale.ROOT) + " " + path;
        Operation previous =
            operations.put(routeKey, new Operation(routeKey, !isPublic, localOnly));
        assertEquals(null, previous, routeKey + " is documented twice");
      }
    }
    assertFalse(operations.isEmpty(), "no operations found under paths:");
    return operations;
  }
}
