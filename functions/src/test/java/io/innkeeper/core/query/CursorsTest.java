package io.innkeeper.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.http.FieldError;
import io.innkeeper.core.http.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorsTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final String SCOPE = "me/reservations\u0000gus";
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";

  private final Cursors cursors = new Cursors(KEY);

  private static void assertRejected(Runnable decode) {
    Problem p = assertThrows(Problem.class, decode::run);
    assertEquals(400, p.status());
    assertEquals(List.of("cursor"), p.errors().stream().map(FieldError::field).toList());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-01#r1",
        "x",
        "ab",
        "abc",
        "2026-12-31#01J9ZQ8Y5W0000000000000000",
        "Zürich ✓",
        ""
      })
  void a_cursor_decodes_to_its_position(String position) {
    String cursor = cursors.encode(SCOPE, position);
    assertEquals(position, cursors.decode(SCOPE, cursor));
    assertEquals(
        position, new Cursors(KEY.clone()).decode(SCOPE, cursor), "any instance with the key");
    assertTrue(cursor.matches("^[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+$"), "URL-safe: " + cursor);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-01#r1", "x", "ab", "abc"})
  void every_single_character_change_is_rejected(String position) {
    String cursor = cursors.encode(SCOPE, position);
    for (int i = 0; i < cursor.length(); i++) {
      for (char c : ALPHABET.toCharArray()) {
        if (c == cursor.charAt(i)) {
          continue;
        }
        String changed = cursor.substring(0, i) + c + cursor.substring(i + 1);
        assertRejected(() -> cursors.decode(SCOPE, changed));
      }
      String dropped = cursor.substring(0, i) + cursor.substring(i + 1);
      assertRejected(() -> cursors.decode(SCOPE, dropped));
    }
    for (char c : ALPHABET.toCharArray()) {
      assertRejected(() -> cursors.decode(SCOPE, cursor + c));
      assertRejected(() -> cursors.decode(SCOPE, c + cursor));
    }
  }

  @Test
  void a_cursor_of_another_scope_or_key_is_rejected() {
    String cursor = cursors.encode(SCOPE, "2026-12-01#r1");
    assertRejected(() -> cursors.decode("me/reservations\u0000olga", cursor));
    assertRejected(() -> cursors.decode("hotels", cursor));
    assertRejected(
        () ->
            new Cursors("another-key-of-32-bytes-........".getBytes(StandardCharsets.UTF_8))
                .decode(SCOPE, cursor));
    assertNotEquals(cursor, cursors.encode("me/reservations\u0000olga", "2026-12-01#r1"));
    assertFalse(cursor.contains("2026-12-01"), "opaque: " + cursor);
  }

  @Test
  void scope_and_position_cannot_trade_bytes() {
    // With a bare separator between them, (s + "\0" + "a", "b") and (s, "a" + "\0" + "b") would
    // sign the same bytes.
    String cursor = cursors.encode("me\u0000a", "b");
    assertRejected(() -> cursors.decode("me", toCursorOf("a\u0000b", cursor)));
  }

  /** The cursor with its position part replaced, its MAC kept. */
  private static String toCursorOf(String position, String cursor) {
    return java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(position.getBytes(StandardCharsets.UTF_8))
        + cursor.substring(cursor.indexOf('.'));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "abc", "abc.", ".abc", "a.b.c", "!!!.???", "YWJj.YWJj"})
  void garbage_is_rejected_not_an_error(String garbage) {
    assertRejected(() -> cursors.decode(SCOPE, garbage));
  }

  @Test
  void an_over_long_cursor_is_rejected_before_any_decoding() {
    String cursor = cursors.encode(SCOPE, "p");
    String longPosition =
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[600]);
    assertRejected(
        () -> cursors.decode(SCOPE, longPosition + cursor.substring(cursor.indexOf('.'))));
    assertRejected(() -> cursors.decode(SCOPE, "A".repeat(100_000)));
  }

  @Test
  void a_position_too_long_for_a_cursor_is_refused_when_encoding() {
    assertThrows(IllegalArgumentException.class, () -> cursors.encode(SCOPE, "x".repeat(400)));
    assertEquals("x".repeat(300), cursors.decode(SCOPE, cursors.encode(SCOPE, "x".repeat(300))));
  }

  @Test
  void a_key_shorter_than_16_bytes_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> new Cursors(new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> new Cursors(new byte[0]));
    new Cursors(new byte[16]);
  }

  @Test
  void the_key_is_copied() {
    byte[] key = KEY.clone();
    Cursors mine = new Cursors(key);
    String cursor = mine.encode(SCOPE, "p");
    key[0] ^= 1;
    assertEquals("p", mine.decode(SCOPE, cursor));
  }
}
