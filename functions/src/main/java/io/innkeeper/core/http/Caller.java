package io.innkeeper.core.http;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who sent a request, from the claims the JWT authorizer validated: {@code sub} is the id, the
 * {@code admin} group in {@code cognito:groups} makes an admin.
 *
 * @param id the caller's id ({@code sub})
 * @param groups the caller's groups
 */
public record Caller(String id, Set<String> groups) {

  public boolean isAdmin() {
    return groups.contains("admin");
  }

  /**
   * Reads the caller from authorizer claims, or {@code null} when there are none. API Gateway
   * renders list claims as {@code "[admin guest]"}; a JSON array or a comma list are read too.
   */
  public static Caller fromClaims(Map<String, String> claims) {
    if (claims == null) {
      return null;
    }
    String sub = claims.get("sub");
    if (sub == null || sub.isBlank()) {
      return null;
    }
    return new Caller(sub, parseGroups(claims.get("cognito:groups")));
  }

  static Set<String> parseGroups(String raw) {
    if (raw == null || raw.isBlank()) {
      return Set.of();
    }
    String inner = raw.strip();
    if (inner.startsWith("[") && inner.endsWith("]")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    return Arrays.stream(inner.split("[,\\s]+"))
        .map(s -> s.replace("\"", "").strip())
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
