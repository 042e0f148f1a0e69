package io.innkeeper.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.chaos.Chaos;
import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.local.lambda.FunctionInvoker.FunctionError;
import io.innkeeper.local.probe.LimitsProbeHandler;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lambda's limits on one invocation as the host enforces them: the function's timeout, and 6 MB
 * each way for a synchronous invocation, with a probe handler that does what its event says.
 */
class FunctionLimitsTest {

  private static FunctionHost host(Chaos chaos) {
    return new FunctionHost(
        new Topology(
            List.of(),
            List.of(),
            List.of(
                new FunctionSpec(
                    "probe",
                    LimitsProbeHandler.class.getName(),
                    256,
                    1,
                    Map.of(),
                    List.of(),
                    List.of()))),
        FunctionLimitsTest.class.getClassLoader(),
        chaos);
  }

  @Test
  void an_invocation_past_its_timeout_fails_as_lambda_fails_it() throws Exception {
    try (FunctionHost host = host(Chaos.off())) {
      long started = System.nanoTime();
      FunctionError e =
          assertThrows(FunctionError.class, () -> host.invoke("probe", "{\"sleepMillis\":3000}"));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(e.getMessage().contains("Task timed out after 1 seconds"), e.getMessage());
      assertTrue(millis >= 950, "failed after " + millis + " ms, before the timeout");
      assertEquals(1, host.timedOut().get("probe"));
      assertEquals("\"aa\"", host.invoke("probe", "{\"answerBytes\":4}"), "a fresh container");
    }
  }

  @Test
  void function_timeout_chaos_leaves_the_headroom_and_fails_a_handler_that_runs_on()
      throws Exception {
    Chaos chaos =
        new Chaos(ChaosConfig.parse("seed=1,function-timeout=1,timeout-headroom-millis=150"));
    try (FunctionHost host = host(chaos)) {
      // 600 ms fits the function's 1 s timeout, not the 150 ms of headroom left.
      assertThrows(FunctionError.class, () -> host.invoke("probe", "{\"sleepMillis\":600}"));

      // A handler that watches its time answers within the headroom.
      assertEquals("\"handed back\"", host.invoke("probe", "{\"watchTime\":true}"));
      assertEquals(2L, chaos.injected().get(Fault.FUNCTION_TIMEOUT));
      assertEquals(
          1L, chaos.variants().get("function-timeout-expired"), chaos.variants().toString());
    }
  }

  @Test
  void a_response_over_six_megabytes_fails_the_invocation() throws Exception {
    try (FunctionHost host = host(Chaos.off())) {
      int limit = FunctionHost.MAX_RESPONSE_BYTES;
      assertEquals(limit, host.invoke("probe", "{\"answerBytes\":" + limit + "}").length());
      FunctionError e =
          assertThrows(
              FunctionError.class,
              () -> host.invoke("probe", "{\"answerBytes\":" + (limit + 1) + "}"));
      assertTrue(
          e.getMessage().contains("Response payload size exceeded maximum allowed payload size"),
          e.getMessage());
    }
  }

  @Test
  void an_event_of_six_megabytes_or_more_is_refused_before_the_handler_runs() throws Exception {
    try (FunctionHost host = host(Chaos.off())) {
      String padding = "x".repeat(FunctionHost.MAX_REQUEST_BYTES);
      FunctionError e =
          assertThrows(
              FunctionError.class,
              () -> host.invoke("probe", "{\"sleepMillis\":5000,\"pad\":\"" + padding + "\"}"));
      assertTrue(e.getMessage().contains("RequestEntityTooLargeException"), e.getMessage());
      assertEquals(0, host.timedOut().get("probe"), "the handler never ran");
    }
  }
}
