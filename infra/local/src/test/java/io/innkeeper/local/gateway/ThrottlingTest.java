package io.innkeeper.local.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.innkeeper.local.lambda.FunctionInvoker;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger.HttpRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gateway's stage throttling: a token bucket per route (an HTTP API stage's default route
 * throttling applies to each route), on a clock the test moves by hand.
 */
class ThrottlingTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(42 * SECOND);

  @Test
  void specsParseLikeTheCommandLineOption() {
    assertEquals(new RateLimit(100, 200), RateLimit.parse("100:200"));
    assertEquals(new RateLimit(100, 100), RateLimit.parse("100"));
    assertEquals(new RateLimit(0.5, 1), RateLimit.parse("0.5"));
    assertEquals(new RateLimit(2.5, 3), RateLimit.parse(" 2.5 "));
    assertNull(RateLimit.parse("off"));
    assertEquals("100:200", RateLimit.parse("100:200").spec());
    assertEquals("0.5:4", RateLimit.parse("0.5:4").spec());
    for (String bad : List.of("", "0", "0:5", "10:0", "-1", "1e3", "ten", "10:", ":10", "1:2:3")) {
      assertThrows(IllegalArgumentException.class, () -> RateLimit.parse(bad), bad);
    }
  }

  @Test
  void bucketAllowsTheBurstThenTheRateAndRefillsOverTime() {
    TokenBucket bucket = new TokenBucket(new RateLimit(2, 3), now::get);

    for (int i = 0; i < 3; i++) {
      assertEquals(0, bucket.tryAcquire(), "burst request " + i);
    }
    assertEquals(1, bucket.tryAcquire(), "the fourth at once waits half a second, rounded up");

    now.addAndGet(SECOND / 2);
    assertEquals(0, bucket.tryAcquire(), "half a second at 2/s brings one token");
    assertEquals(1, bucket.tryAcquire());

    now.addAndGet(60 * SECOND);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, bucket.tryAcquire(), "a quiet minute refills only up to the burst");
    }
    assertEquals(1, bucket.tryAcquire());
  }

  @Test
  void retryAfterCoversASlowRate() {
    TokenBucket bucket = new TokenBucket(new RateLimit(0.1, 1), now::get);

    assertEquals(0, bucket.tryAcquire());
    assertEquals(10, bucket.tryAcquire());
    now.addAndGet(4 * SECOND);
    assertEquals(6, bucket.tryAcquire());
    now.addAndGet(6 * SECOND);
    assertEquals(0, bucket.tryAcquire());
  }

  @Test
  void gatewayAnswers429AsApiGatewayDoesAboveARoutesRateAndRecovers() throws Exception {
    AtomicInteger invocations = new AtomicInteger();
    FunctionInvoker invoker =
        (id, event) -> {
          invocations.incrementAndGet();
          return "{\"statusCode\":200,\"body\":\"{}\"}";
        };
    try (HttpGateway gateway =
        new HttpGateway(
            topology(),
            invoker,
            new TokenIssuer(),
            "127.0.0.1",
            0,
            new RateLimit(1, 2),
            now::get)) {
      gateway.start();
      HttpClient client = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + gateway.port());

      assertEquals(200, get(client, base.resolve("/hotels")).statusCode());
      assertEquals(200, get(client, base.resolve("/hotels")).statusCode());
      HttpResponse<String> throttled = get(client, base.resolve("/hotels"));

      HttpGatewayTest.assertAws(throttled, 429, "Too Many Requests");
      assertEquals(2, invocations.get(), "a throttled request reaches no function");

      // Each route has its own bucket: another route is not throttled by this one's traffic.
      assertEquals(200, get(client, base.resolve("/hotels/h1")).statusCode());
      assertEquals(200, get(client, base.resolve("/hotels/h2")).statusCode());
      assertEquals(429, get(client, base.resolve("/hotels/h3")).statusCode());
      // An unknown route has no route settings: it is a 404, not throttled.
      assertEquals(404, get(client, base.resolve("/nowhere")).statusCode());
      // The local runtime's own paths are not the API and are never throttled.
      HttpResponse<String> token =
          client.send(
              HttpRequest.newBuilder(base.resolve("/_local/tokens"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"sub\":\"a\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, token.statusCode());

      now.addAndGet(SECOND);
      assertEquals(200, get(client, base.resolve("/hotels")).statusCode());
      assertEquals(429, get(client, base.resolve("/hotels")).statusCode());
      assertEquals(5, invocations.get());
    }
  }

  @Test
  void withoutALimitNothingIsThrottled() throws Exception {
    FunctionInvoker invoker = (id, event) -> "{\"statusCode\":200,\"body\":\"{}\"}";
    try (HttpGateway gateway =
        new HttpGateway(topology(), invoker, new TokenIssuer(), "127.0.0.1", 0)) {
      gateway.start();
      HttpClient client = HttpClient.newHttpClient();
      URI hotels = URI.create("http://127.0.0.1:" + gateway.port() + "/hotels");
      for (int i = 0; i < 50; i++) {
        assertEquals(200, get(client, hotels).statusCode());
      }
    }
  }

  private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Topology topology() {
    return new Topology(
        List.of(),
        List.of(),
        List.of(
            new FunctionSpec(
                "query-api",
                "io.innkeeper.functions.Fake",
                512,
                10,
                Map.of(),
                List.of(
                    new HttpRoute("GET", "/hotels", false),
                    new HttpRoute("GET", "/hotels/{hotelId}", false)),
                List.of())));
  }
}
