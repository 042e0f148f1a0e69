package io.innkeeper.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UlidTest {
  @Test
  void ulids_have_26_crockford_characters_and_sort_by_time() {
    String a = Ulid.next(Instant.parse("2026-01-01T00:00:00Z"));
    String b = Ulid.next(Instant.parse("2026-01-01T00:00:00.001Z"));
    assertTrue(a.matches("^[0-9A-HJKMNP-TV-Z]{26}$"), a);
    assertTrue(a.compareTo(b) < 0);
    assertNotEquals(Ulid.next(Instant.EPOCH), Ulid.next(Instant.EPOCH));
  }

  @Test
  void the_encoding_matches_the_ulid_spec() {
    byte[] ones = new byte[10];
    java.util.Arrays.fill(ones, (byte) 0xFF);
    assertEquals("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", Ulid.encode(0xFFFFFFFFFFFFL, ones));
    assertEquals("00000000000000000000000000", Ulid.encode(0, new byte[10]));
  }
}
