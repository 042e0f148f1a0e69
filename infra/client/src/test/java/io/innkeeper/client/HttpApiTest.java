package io.innkeeper.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.innkeeper.core.domain.fixture.Api;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a loopback server that answers 503 twice, then 202. */
class HttpApiTest {
  private HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<String> keys = new CopyOnWriteArrayList<>();
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/prod/hotels",
        exchange -> {
          keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
          tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body =
              (calls.incrementAndGet() <= 2 ? "{\"message\":\"busy\"}" : "{\"commandId\":\"c1\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("X-Seen", String.valueOf(calls.get()));
          exchange.sendResponseHeaders(calls.get() <= 2 ? 503 : 202, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod");
  }

  @Test
  void paths_keep_the_base_urls_own_path() {
    URI stage = URI.create("https://abc.example/prod");
    assertEquals("https://abc.example/prod/hotels", HttpApi.resolve(stage, "/hotels").toString());
    assertEquals("https://abc.example/prod/hotels", HttpApi.resolve(stage, "hotels").toString());
    assertEquals(
        "http://127.0.0.1:1/commands/c",
        HttpApi.resolve(URI.create("http://127.0.0.1:1/"), "/commands/c").toString());
  }

  @Test
  void a_retrying_client_sends_again_with_the_same_key_until_an_answer_is_not_a_5xx() {
    AtomicInteger retried = new AtomicInteger();
    List<Integer> answered = new CopyOnWriteArrayList<>();
    HttpApi api =
        new HttpApi(base(), (sub, groups) -> "t-" + sub + groups)
            .retrying(
                5,
                new HttpApi.Listener() {
                  @Override
                  public void answered(int status) {
                    answered.add(status);
                  }

                  @Override
                  public void retried() {
                    retried.incrementAndGet();
                  }
                });
    Api.Answer answer = api.post("/hotels", Api.Caller.admin("ann"), "k-1", Map.of("name", "x"));
    assertEquals(202, answer.status());
    assertEquals("c1", answer.field("commandId"));
    assertEquals(List.of("k-1", "k-1", "k-1"), keys);
    assertEquals(List.of(503, 503, 202), answered);
    assertEquals(2, retried.get());
    assertEquals("Bearer t-ann[admin]", tokens.get(0), "a token minted for the caller");
  }

  @Test
  void a_plain_client_sends_once_and_exchange_shows_status_headers_and_body_as_they_came() {
    HttpApi api = new HttpApi(base());
    HttpApi.Response r = api.exchange("POST", "hotels", null, Map.of(), "{}");
    assertEquals(503, r.status());
    assertEquals("1", r.header("X-Seen"));
    assertEquals("busy", r.json().get("message"));
    assertEquals(null, tokens.get(0), "no token unless given");
    assertEquals(
        503,
        new HttpApi(base(), (s, g) -> "t")
            .post("/hotels", Api.Caller.guest("g"), null, 1)
            .status());
    assertEquals(2, calls.get(), "no retry by default");
  }
}
