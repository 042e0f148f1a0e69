package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import org.junit.jupiter.api.Test;

/** The compressed topology is the same topology with its timings divided, and only those. */
class TimeCompressionTest {

  private static final Topology AWS = Topology.of(new HotelDomain());
  private static final Topology TEN_TIMES = new TimeCompression(10).apply(AWS);

  @Test
  void none_is_the_topology_as_it_is() {
    assertSame(AWS, TimeCompression.none().apply(AWS));
    assertEquals(1, LocalOptions.of(new HotelDomain()).timeCompression().factor());
  }

  @Test
  void visibility_timeouts_are_divided_but_stay_longer_than_the_function_they_trigger() {
    // Six times the handler's 30 s, divided, but above the handler's 30 s.
    assertEquals(
        90, new TimeCompression(2).apply(AWS).queue("command-queue").visibilityTimeoutSeconds());
    assertEquals(
        36, new TimeCompression(5).apply(AWS).queue("command-queue").visibilityTimeoutSeconds());
    assertEquals(31, TEN_TIMES.queue("command-queue").visibilityTimeoutSeconds());
    // Queues that trigger nothing: divided, rounded up to whole seconds as SQS counts them.
    assertEquals(3, TEN_TIMES.queue("command-dlq").visibilityTimeoutSeconds());
    assertEquals(
        2, new TimeCompression(20).apply(AWS).queue("projector-parked").visibilityTimeoutSeconds());
  }

  @Test
  void the_retry_delays_and_the_consistency_wait_are_divided_rounding_delays_up_to_seconds() {
    assertEquals("2,4,8,16", env(AWS, "command-handler", TimeCompression.RETRY_DELAYS));
    assertEquals("1,1,1,2", env(TEN_TIMES, "command-handler", TimeCompression.RETRY_DELAYS));
    assertEquals(
        "1,2,4,8",
        env(new TimeCompression(2).apply(AWS), "command-handler", "COMMAND_RETRY_DELAYS"));
    assertEquals("5000", env(AWS, "query-api", TimeCompression.CONSISTENCY_WAIT));
    assertEquals("500", env(TEN_TIMES, "query-api", TimeCompression.CONSISTENCY_WAIT));
  }

  @Test
  void counts_sizes_triggers_tables_and_lifetimes_do_not_change() {
    assertEquals(AWS.tables(), TEN_TIMES.tables());
    assertEquals(AWS.projections(), TEN_TIMES.projections());
    assertFalse(AWS.topics().isEmpty(), "the event bus is part of the topology");
    assertEquals(AWS.topics(), TEN_TIMES.topics());
    assertEquals(AWS.subscriptions(), TEN_TIMES.subscriptions());
    for (QueueSpec q : AWS.queues()) {
      QueueSpec c = TEN_TIMES.queue(q.id());
      assertEquals(q.deadLetter(), c.deadLetter(), q.id());
      assertEquals(q.retentionSeconds(), c.retentionSeconds(), q.id());
      assertEquals(q.fifo(), c.fifo(), q.id());
    }
    for (FunctionSpec f : AWS.functions()) {
      FunctionSpec c = TEN_TIMES.function(f.id());
      assertEquals(f.triggers(), c.triggers(), f.id());
      assertEquals(f.access(), c.access(), f.id());
      assertEquals(f.timeoutSeconds(), c.timeoutSeconds(), "a budget for work: " + f.id());
      assertEquals(f.environment().keySet(), c.environment().keySet(), f.id());
      assertEquals(
          f.environment().get("MAX_RECEIVE_COUNT"), c.environment().get("MAX_RECEIVE_COUNT"));
      assertEquals(
          f.environment().get("SDK_CALL_TIMEOUT_MS"), c.environment().get("SDK_CALL_TIMEOUT_MS"));
    }
  }

  @Test
  void a_factor_outside_one_to_twenty_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> new TimeCompression(0));
    var e = assertThrows(IllegalArgumentException.class, () -> new TimeCompression(21));
    assertTrue(e.getMessage().contains("1..20"), e.getMessage());
  }

  private static String env(Topology topology, String function, String name) {
    return ((EnvValue.Literal) topology.function(function).environment().get(name)).value();
  }
}
