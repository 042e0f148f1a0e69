package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.fail;

import io.innkeeper.events.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** A small HTTP client for the tests: real requests to the embedded gateway. */
final class Api {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;

  Api(URI base) {
    this.base = base;
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
    return send(request(path, token).GET().build());
  }

  Answer post(String path, String token, String contentType, String body) {
    return post(path, token, contentType, body, Map.of());
  }

  /** A POST with extra headers, e.g. {@code Idempotency-Key} or {@code Prefer}. */
  Answer post(
      String path, String token, String contentType, String body, Map<String, String> headers) {
    HttpRequest.Builder b = request(path, token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    return send(b.build());
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

  /** Polls a GET until {@code done} holds; fails with the last answer after the deadline. */
  Answer await(String path, String token, Predicate<Answer> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Answer last;
    do {
      last = get(path, token);
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    return fail(
        "gave up waiting on GET " + path + "; last answer " + last.status() + " " + last.body());
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private static Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A GET with extra headers, e.g. {@code X-Consistency-Token}. */
  Answer get(String path, String token, Map<String, String> headers) {
    HttpRequest.Builder b = request(path, token).GET();
    headers.forEach(b::header);
    return send(b.build());
  }
}
