package io.innkeeper.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void duplicate_keys_are_refused() {
    assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
  }

  @Test
  void nesting_beyond_the_limit_is_refused() {
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThrows(Json.JsonException.class, () -> Json.parse(deep));
  }

  @Test
  void decimals_are_exact_and_integers_stay_integers() {
    Map<String, Object> m = Json.parseObject("{\"a\":0.1,\"b\":7}");
    assertEquals(new BigDecimal("0.1"), m.get("a"));
    assertInstanceOf(Integer.class, m.get("b"));
  }

  @Test
  void malformed_and_trailing_content_is_refused() {
    assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":"));
    assertThrows(Json.JsonException.class, () -> Json.parse("{} {}"));
    assertThrows(Json.JsonException.class, () -> Json.parseObject("[1]"));
  }

  @Test
  void written_field_order_is_insertion_order() {
    assertEquals(
        "{\"z\":1,\"a\":[true,null]}",
        Json.write(Json.obj("z", 1, "a", java.util.Arrays.asList(true, null))));
    assertEquals("[]", Json.write(List.of()));
  }
}
