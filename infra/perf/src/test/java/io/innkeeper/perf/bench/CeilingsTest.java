package io.innkeeper.perf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CeilingsTest {

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  @Test
  void a_moved_update_checks_absence_and_keeps_only_the_names_and_values_its_update_uses() {
    var c =
        Ceilings.Scratch.fresh(
            "#status IN (:pending, :failed)",
            "pk",
            List.of("SET #status = :ok, #stream = :stream REMOVE #reason"),
            Map.of("#status", "status", "#stream", "stream", "#reason", "reason"),
            Map.of(
                ":ok", s("SUCCEEDED"), ":stream", s("r#1"), ":pending", s("P"), ":failed", s("F")));

    assertEquals("attribute_not_exists(pk)", c.expression());
    assertEquals(Map.of("#status", "status", "#stream", "stream", "#reason", "reason"), c.names());
    assertEquals(Map.of(":ok", s("SUCCEEDED"), ":stream", s("r#1")), c.values());
  }

  @Test
  void a_moved_put_guarded_by_its_revision_checks_absence_with_nothing_left_over() {
    var c =
        Ceilings.Scratch.fresh(
            "#rev = :rev", "pk", List.of(), Map.of("#rev", "rev"), Map.of(":rev", s("3")));

    assertEquals("attribute_not_exists(pk)", c.expression());
    assertEquals(Map.of(), c.names());
    assertEquals(Map.of(), c.values());
  }

  @Test
  void a_write_without_a_condition_stays_without_one() {
    var c = Ceilings.Scratch.fresh(null, "pk", List.of("SET v = :v"), null, Map.of(":v", s("1")));

    assertNull(c.expression());
    assertEquals(Map.of(":v", s("1")), c.values());
  }
}
