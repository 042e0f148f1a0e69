package io.innkeeper.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {
  @Test
  void groups_are_read_in_api_gateway_json_and_comma_forms() {
    assertEquals(Set.of("admin", "staff"), Caller.parseGroups("[admin staff]"));
    assertEquals(Set.of("admin", "staff"), Caller.parseGroups("[\"admin\",\"staff\"]"));
    assertEquals(Set.of("admin"), Caller.parseGroups("admin"));
    assertEquals(Set.of(), Caller.parseGroups("[]"));
  }

  @Test
  void admin_comes_only_from_the_admin_group() {
    assertTrue(Caller.fromClaims(Map.of("sub", "a", "cognito:groups", "[admin]")).isAdmin());
    assertFalse(
        Caller.fromClaims(Map.of("sub", "a", "cognito:groups", "[administrators]")).isAdmin());
    assertFalse(Caller.fromClaims(Map.of("sub", "a")).isAdmin());
  }

  @Test
  void no_sub_means_no_caller() {
    assertNull(Caller.fromClaims(Map.of("cognito:groups", "[admin]")));
    assertNull(Caller.fromClaims(null));
  }
}
