package io.innkeeper.local.soak;

import io.innkeeper.events.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The soak's HTTP client: sends a command as a careful client does, with an {@code
 * Idempotency-Key}, and sends it again with the same key when the answer is a 5xx, a 429 or no
 * answer at all, so a command whose intake failed halfway is neither lost nor doubled.
 */
final class SoakApi {
  /** Attempts per request before giving up. */
  static final int ATTEMPTS = 6;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;
  private final SoakStats stats;

  SoakApi(URI base, SoakStats stats) {
    this.base = base;
    this.stats = stats;
  }

  /** An answer: status and body; {@code status} is -1 when no answer came after every attempt. */
  record Answer(int status, String body) {
    Map<String, Object> json() {
      return Json.parseObject(body);
    }

    String field(String name) {
      Object v = json().get(name);
      return v == null ? null : v.toString();
    }
  }

  /** POSTs JSON with an idempotency key, retrying what a client may safely retry. */
  Answer post(String path, String token, String key, Object body) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
            .build();
    Answer last = new Answer(-1, "");
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        stats.retried();
        pause(attempt);
      }
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        last = new Answer(r.statusCode(), r.body());
        stats.answered(r.statusCode());
        if (r.statusCode() < 500 && r.statusCode() != 429) {
          return last;
        }
      } catch (IOException e) {
        stats.answered(-1);
        last = new Answer(-1, String.valueOf(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return last;
      }
    }
    return last;
  }

  private static void pause(int attempt) {
    long cap = Math.min(2000, 50L << attempt);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
