package io.innkeeper.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplesTest {
  @Test
  void percentiles_are_nearest_rank_over_every_sample_added() {
    Samples s = new Samples();
    assertTrue(Double.isNaN(s.percentile(50)), "no samples, no percentile");
    for (int i = 2000; i >= 1; i--) {
      s.add(i); // grows past its first array, out of order
    }
    assertEquals(2000, s.count());
    assertEquals(1000, s.percentile(50));
    assertEquals(1980, s.percentile(99));
    assertEquals(2000, s.percentile(100));
    assertEquals(1, s.percentile(0));
    assertEquals(1000.5, s.mean());
  }
}
