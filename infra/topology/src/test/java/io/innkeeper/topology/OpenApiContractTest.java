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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/openapi.yaml} and the topology honest with each other: a route that is served
 * must be documented with the same authentication, and a documented route must be served or be
 * knowingly missing.
 *
 * <p>The module depends on nothing but JUnit, so the YAML is read with a line scan that relies on
 * the document's fixed layout: path keys at 2 spaces under {@code paths:}, method keys at 4, and
 * operation fields at 6.
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

  private static final Pattern PATH_KEY = Pattern.compile("^  ['\"]?(/[^'\"]*?)['\"]?:\\s*$");
  private static final Pattern METHOD_KEY =
      Pattern.compile("^    (get|put|post|delete|options|head|patch|trace):\\s*$");
  private static final Pattern PUBLIC_MARKER = Pattern.compile("^      security:\\s*\\[\\]\\s*$");
  private static final Pattern SECURITY_KEY = Pattern.compile("^      security:\\s*$");
  private static final Pattern LOCAL_ONLY = Pattern.compile("^      x-local-only:\\s*true\\s*$");

  private static Map<String, Operation> documented;

  /** One documented operation, keyed like an API Gateway route: {@code GET /hotels/{hotelId}}. */
  private record Operation(String routeKey, boolean authenticated, boolean localOnly) {}

  @BeforeAll
  static void readSpec() throws IOException {
    documented = parse(Files.readAllLines(locateSpec()));
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

  private static Map<String, Operation> parse(List<String> lines) {
    // Operations inherit the document's security unless they say otherwise, so inferring
    // "authenticated" from a missing marker is only sound when that default is bearerAuth.
    int globalSecurity = lines.indexOf("security:");
    assertTrue(globalSecurity >= 0, "openapi.yaml must declare a top-level security default");
    assertEquals(
        "  - bearerAuth: []",
        nextContentLine(lines, globalSecurity + 1),
        "the top-level security default must be bearerAuth");

    int start = lines.indexOf("paths:");
    assertTrue(start >= 0, "openapi.yaml has no top-level paths:");

    Map<String, Operation> operations = new LinkedHashMap<>();
    String path = null;
    String method = null;
    boolean isPublic = false;
    boolean explicitBearer = false;
    boolean localOnly = false;
    for (int i = start + 1; i <= lines.size(); i++) {
      String line = i < lines.size() ? lines.get(i) : "";
      boolean end = i == lines.size() || isTopLevelKey(line);
      boolean newBlock = end || (indent(line) <= 4 && !isBlankOrComment(line));
      if (method != null && newBlock) {
        assertFalse(
            isPublic && explicitBearer, method + " " + path + " is both public and bearerAuth");
        String routeKey = method.toUpperCase(Locale.ROOT) + " " + path;
        Operation previous =
            operations.put(routeKey, new Operation(routeKey, !isPublic, localOnly));
        assertEquals(null, previous, routeKey + " is documented twice");
        method = null;
      }
      if (end) {
        break;
      }
      Matcher pathKey = PATH_KEY.matcher(line);
      Matcher methodKey = METHOD_KEY.matcher(line);
      if (pathKey.matches()) {
        path = pathKey.group(1);
      } else if (methodKey.matches()) {
        assertTrue(path != null, "method outside a path at line " + (i + 1));
        method = methodKey.group(1);
        isPublic = false;
        explicitBearer = false;
        localOnly = false;
      } else if (method != null && PUBLIC_MARKER.matcher(line).matches()) {
        isPublic = true;
      } else if (method != null && SECURITY_KEY.matcher(line).matches()) {
        String requirement = nextContentLine(lines, i + 1);
        assertTrue(
            requirement.trim().startsWith("- bearerAuth:"),
            method + " " + path + " declares a security other than bearerAuth: " + requirement);
        explicitBearer = true;
      } else if (method != null && LOCAL_ONLY.matcher(line).matches()) {
        localOnly = true;
      }
    }
    assertFalse(operations.isEmpty(), "no operations found under paths:");
    return operations;
  }

  private static String nextContentLine(List<String> lines, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (!isBlankOrComment(lines.get(i))) {
        return lines.get(i);
      }
    }
    return "";
  }

  private static boolean isTopLevelKey(String line) {
    return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#");
  }

  private static boolean isBlankOrComment(String line) {
    String trimmed = line.trim();
    return trimmed.isEmpty() || trimmed.startsWith("#");
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
