package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.gateway.RateLimit;
import io.innkeeper.local.gateway.TokenIssuer;
import io.innkeeper.local.lambda.FunctionHost;
import io.innkeeper.local.probe.HttpProbeHandler;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger.HttpRoute;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The errors API Gateway's HTTP API makes itself, end to end through the local runtime's gateway
 * and its function host: each gets API Gateway's status, its {@code {"message": "..."}} body
 * without a content type, its headers ({@code www-authenticate} on a 401) and a request id. Probe
 * functions stand in for slow and failing ones; the integration timeout is set to 2 s rather than
 * waiting out API Gateway's 30 s, and the stage throttled to one request a second, a burst of
 * three, per route (each test has routes of its own, so they do not throttle each other).
 */
class GatewayErrorsIT {

  private static LocalRuntime runtime;
  private static Api api;

  static Topology topology() {
    return new Topology(
        List.of(),
        List.of(),
        List.of(
            probe("quick", 10, new HttpRoute("GET", "/quick", false)),
            probe("secured", 10, new HttpRoute("GET", "/secured", true)),
            probe("limited", 10, new HttpRoute("GET", "/limited", false)),
            probe("big", 10, new HttpRoute("GET", "/big", false)),
            // 1 s timeout, below the gateway's: the function times out, the gateway answers 500.
            probe("times-out", 1, new HttpRoute("GET", "/times-out", false)),
            // 60 s timeout, above the gateway's: the gateway gives up first and answers 503.
            probe("outlasts", 60, new HttpRoute("GET", "/outlasts", false))));
  }

  private static FunctionSpec probe(String id, int timeoutSeconds, HttpRoute route) {
    return new FunctionSpec(
        id,
        HttpProbeHandler.class.getName(),
        256,
        timeoutSeconds,
        Map.of(),
        List.of(route),
        List.of());
  }

  @BeforeAll
  static void start() throws Exception {
    runtime =
        LocalRuntime.start(
            new LocalOptions(topology(), 0, null, false)
                .withRateLimit(new RateLimit(1, 3))
                .withIntegrationTimeout(Duration.ofSeconds(2)));
    api = new Api(runtime.apiUrl());
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  /** API Gateway's own error: its status and message, no content type, a request id. */
  private static void assertAws(Api.Answer a, int status, String message) {
    assertEquals(status, a.status(), a.body());
    assertEquals("{\"message\":\"" + message + "\"}", a.body());
    assertNull(a.header("Content-Type"), a.headers().map().toString());
    assertNotNull(a.header("apigw-requestid"));
  }

  @Test
  void an_unknown_route_and_a_wrong_method_are_both_404_not_found() {
    assertAws(api.get("/nowhere", null), 404, "Not Found");
    Api.Answer wrongMethod = api.post("/quick", null, "application/json", "{}");
    assertAws(wrongMethod, 404, "Not Found");
    assertNull(wrongMethod.header("Allow"), "no 405, no Allow");
  }

  @Test
  void a_missing_token_is_401_with_a_bare_bearer_challenge() {
    Api.Answer a = api.get("/secured", null);
    assertAws(a, 401, "Unauthorized");
    assertEquals("Bearer", a.header("www-authenticate"));
  }

  @Test
  void an_expired_token_is_401_and_the_challenge_says_why() {
    // A token of the same issuer, expired beyond the clock-skew tolerance.
    Api.Answer minted =
        api.postJson("/_local/tokens", null, "{\"sub\":\"late\",\"ttlSeconds\":-60}");
    String expired = (String) minted.json().get("token");

    Api.Answer a = api.get("/secured", expired);

    assertAws(a, 401, "Unauthorized");
    assertEquals(
        "Bearer scope=\"\" error=\"invalid_token\" error_description=\""
            + TokenIssuer.EXPIRED
            + "\"",
        a.header("www-authenticate"));
    assertEquals(200, api.get("/secured", runtime.mintToken("on-time", List.of())).status());
  }

  @Test
  void a_throttled_request_is_429_too_many_requests_and_other_routes_keep_their_own_rate() {
    int throttled = 0;
    for (int i = 0; i < 6; i++) {
      Api.Answer a = api.get("/limited", null);
      if (a.status() == 429) {
        assertAws(a, 429, "Too Many Requests");
        throttled++;
      } else {
        assertEquals(200, a.status(), a.body());
      }
    }
    assertTrue(throttled >= 2, "six at once on a 1/s route: " + throttled + " throttled");
    assertEquals(200, api.get("/quick", null).status(), "another route's bucket is its own");
  }

  @Test
  void a_function_that_times_out_is_500_internal_server_error() {
    // The function's 1 s timeout ends it before the gateway's 2 s: a failed integration, 500.
    assertAws(api.get("/times-out?sleepMillis=5000", null), 500, "Internal Server Error");
  }

  @Test
  void a_function_slower_than_the_integration_timeout_is_503_service_unavailable() {
    // The function would answer 200 after 3.5 s; the gateway stops waiting at 2 s.
    assertAws(api.get("/outlasts?sleepMillis=3500", null), 503, "Service Unavailable");
  }

  @Test
  void a_response_over_lambdas_six_megabytes_is_500() {
    int over = FunctionHost.MAX_RESPONSE_BYTES;
    assertAws(api.get("/big?answerBytes=" + over, null), 500, "Internal Server Error");
    assertEquals(200, api.get("/big?answerBytes=1000", null).status());
  }
}
