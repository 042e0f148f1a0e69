package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.Topology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The compressed topology is the same topology with its timings divided, and only those. */
class TimeCompressionTest {

  private static final Topology AWS = Topology.of(new HotelDomain());
  private static final Topology TEN_TIMES = new TimeCompression(10).apply(AWS);

  @Test
  void none_is_the_topology_as_it_is() {
    assertSame(AWS, TimeCompression.none().apply(AWS));
    assertEquals(
        Duration.ofSeconds(30),
        TimeCompression.none().functionTimeout(AWS.function("command-handler")));
    assertEquals(1, LocalOptions.of(new HotelDomain()).timeCompression().factor());
  }

  @Test
  void function_timeouts_are_divided_down_to_12_s_and_visibility_stays_above_the_handlers() {
    TimeCompression ten = new TimeCompression(10);
    assertEquals(Duration.ofSeconds(12), TimeCompression.MIN_FUNCTION_TIMEOUT);
    // 30, 60 and 15 s divided by ten are below the handlers' 10 s reserve: the floor.
    assertEquals(Duration.ofSeconds(12), ten.functionTimeout(AWS.function("command-handler")));
    assertEquals(Duration.ofSeconds(12), ten.functionTimeout(AWS.function("projector")));
    assertEquals(Duration.ofSeconds(12), ten.functionTimeout(AWS.function("command-api")));
    // Never longer than the function's own.
    assertEquals(Duration.ofSeconds(10), ten.functionTimeout(AWS.function("query-api")));
    TimeCompression two = new TimeCompression(2);
    assertEquals(Duration.ofSeconds(15), two.functionTimeout(AWS.function("command-handler")));
    assertEquals(Duration.ofSeconds(30), two.functionTimeout(AWS.function("projector")));

    // Six times the handler's 30 s, divided; SQS's whole seconds rounded up.
    assertEquals(18, TEN_TIMES.queue("command-queue").visibilityTimeoutSeconds());
    assertEquals(90, two.apply(AWS).queue("command-queue").visibilityTimeoutSeconds());
    assertEquals(
        26, new TimeCompression(7).apply(AWS).queue("command-queue").visibilityTimeoutSeconds());
    assertEquals(3, TEN_TIMES.queue("command-dlq").visibilityTimeoutSeconds());
    // 180 / 20 = 9 s would end before the handler's 12 s: a running batch would come back.
    assertEquals(
        13, new TimeCompression(20).apply(AWS).queue("command-queue").visibilityTimeoutSeconds());
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
      assertEquals(f.timeoutSeconds(), c.timeoutSeconds(), "enforced by the host, compressed");
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
