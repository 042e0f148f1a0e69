package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.chaos.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command sent without an {@code Idempotency-Key} while DynamoDB answers 500s, some of them after
 * doing the work: the intake's status write is retried by the SDK and meets its own item, which
 * must count as accepted. Before the fix such a command got a 500 and stayed PENDING for good.
 *
 * <p>The rate is low enough that a call whose every attempt is struck (the SDK's four, each a 500
 * at 5 %: about 6 in a million) is not expected among the requests, and the requests many enough
 * that some status writes are answered 500 after they landed (about 5 expected).
 */
class IntakeUnderFaultsIT {

  private static final int REQUESTS = 200;

  @Test
  void every_command_sent_without_a_key_is_accepted_and_settles_despite_late_500s()
      throws Exception {
    try (LocalRuntime runtime =
        LocalRuntime.start(
            LocalOptions.defaults()
                .withPort(0)
                .withSeed(false)
                .withChaos(ChaosConfig.parse("seed=11,dynamodb-5xx=0.05")))) {
      Api api = new Api(runtime.apiUrl());
      String admin = runtime.mintToken("faults-admin", List.of("admin"));
      List<String> commandIds = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        Api.Answer a =
            api.postJson(
                "/hotels",
                admin,
                "{\"name\":\"Fault Inn "
                    + i
                    + "\",\"city\":\"Faultville\",\"roomTypes\":"
                    + "[{\"code\":\"DBL\",\"name\":\"Double\",\"maxGuests\":2}]}");
        assertEquals(202, a.status(), "request " + i + ": " + a.body());
        commandIds.add((String) a.json().get("commandId"));
      }
      for (String id : commandIds) {
        Api.Answer settled = api.awaitSettled(id, admin, Duration.ofSeconds(60));
        assertEquals("SUCCEEDED", settled.json().get("status"), settled.body());
      }
      assertTrue(
          runtime.chaos().injected().get(Fault.DYNAMODB_5XX) > 0, "500s were injected at all");
      assertTrue(
          runtime.chaos().variants().getOrDefault("dynamodb-5xx-after-write", 0L) > 0,
          "some 500s came after the write: " + runtime.chaos().variants());
    }
  }
}
