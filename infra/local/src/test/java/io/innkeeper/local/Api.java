package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.fail;

import io.innkeeper.client.HttpApi;
import io.innkeeper.events.Json;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The tests' view of the API: raw requests through the one client ({@link HttpApi#exchange}), and
 * polling that fails the test when what it waits for does not come.
 */
final class Api {
  private final HttpApi client;

  Api(URI base) {
    this.client = new HttpApi(base);
  }

  /** An answer: status, headers, body text and the body parsed as a JSON object when it is one. */
  record Answer(int status, java.net.http.HttpHeaders headers, String body) {
    Map<String, Object> json() {
      return Json.parseObject(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  Answer get(String path, String token) {
    return get(path, token, Map.of());
  }

  Answer post(String path, String token, String contentType, String body) {
    return post(path, token, contentType, body, Map.of());
  }

  /** A POST with extra headers, e.g. {@code Idempotency-Key} or {@code Prefer}. */
  Answer post(
      String path, String token, String contentType, String body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>();
    if (contentType != null) {
      all.put("Content-Type", contentType);
    }
    all.putAll(headers);
    return of(client.exchange("POST", path, token, all, body));
  }

  /** Polls {@code GET /commands/{id}} until the command leaves PENDING; returns that answer. */
  Answer awaitSettled(String commandId, String token, Duration timeout) {
    return await(
        "/commands/" + commandId,
        token,
        a -> a.status() == 200 && !"PENDING".equals(a.json().get("status")),
        timeout);
  }

  Answer postJson(String path, String token, String body) {
    return post(path, token, "application/json", body);
  }

  /**
   * Polls a GET until {@code done} holds; fails with the last answer after the deadline. The pause
   * starts at 25 ms and doubles up to 100 ms: each poll is a request through the gateway, a
   * function and DynamoDB Local, which a slow answer should not multiply on a busy machine.
   */
  Answer await(String path, String token, Predicate<Answer> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 25;
    Answer last;
    do {
      last = get(path, token);
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(pause);
        pause = Math.min(100, pause * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    return fail(
        "gave up waiting on GET " + path + "; last answer " + last.status() + " " + last.body());
  }

  /** A GET with extra headers, e.g. {@code X-Consistency-Token}. */
  Answer get(String path, String token, Map<String, String> headers) {
    return of(client.exchange("GET", path, token, headers, null));
  }

  private static Answer of(HttpApi.Response r) {
    return new Answer(r.status(), r.headers(), r.body());
  }
}
