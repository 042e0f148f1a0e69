package io.innkeeper.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(25), Duration.ofMillis(1000));

  @Test
  void the_ceiling_doubles_from_the_base_and_stops_at_the_cap() {
    assertEquals(Duration.ofMillis(25), backoff.ceiling(1));
    assertEquals(Duration.ofMillis(50), backoff.ceiling(2));
    assertEquals(Duration.ofMillis(800), backoff.ceiling(6));
    assertEquals(Duration.ofMillis(1000), backoff.ceiling(7));
    assertEquals(Duration.ofMillis(1000), backoff.ceiling(1000), "no overflow past the cap");
  }

  @Test
  void each_pause_is_drawn_between_zero_and_the_ceiling_and_they_differ() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      long millis = backoff.delay(5).toMillis();
      assertTrue(millis >= 0 && millis <= 400, "pause " + millis);
      seen.add(millis);
    }
    assertTrue(seen.size() > 50, "full jitter spreads the pauses: " + seen.size() + " values");
  }

  @Test
  void the_sdk_gets_the_same_pauses() {
    for (int i = 0; i < 50; i++) {
      assertTrue(backoff.forSdk().computeDelay(3).toMillis() <= 100);
    }
  }

  @Test
  void a_base_above_the_cap_or_not_positive_is_refused() {
    assertThrows(
        IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  @Test
  void jitter_stays_within_its_bound() {
    for (int i = 0; i < 1000; i++) {
      long n = Jitter.upTo(3);
      assertTrue(n >= 0 && n <= 3);
    }
    assertEquals(0, Jitter.upTo(0));
    assertThrows(IllegalArgumentException.class, () -> Jitter.upTo(-1));
  }
}
