package io.innkeeper.client;

import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.events.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The domain fixtures' {@link Api} over a runtime's HTTP API: one request per call, no retries,
 * with a bearer token minted (once per caller) by whoever issues this runtime's tokens.
 */
public final class HttpApi implements Api {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;
  private final BiFunction<String, List<String>, String> mint;
  private final Map<Caller, String> tokens = new ConcurrentHashMap<>();

  /**
   * @param mint mints a bearer token for a subject and its groups, e.g. {@code runtime::mintToken}
   */
  public HttpApi(URI base, BiFunction<String, List<String>, String> mint) {
    this.base = base;
    this.mint = mint;
  }

  /** The caller's bearer token, minted at its first use. */
  public String token(Caller caller) {
    return tokens.computeIfAbsent(caller, c -> mint.apply(c.sub(), c.groups()));
  }

  @Override
  public Answer post(String path, Caller caller, String idempotencyKey, Object body) {
    HttpRequest.Builder request =
        request(path, caller)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  @Override
  public Answer get(String path, Caller caller) {
    return send(request(path, caller).GET().build());
  }

  private HttpRequest.Builder request(String path, Caller caller) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (caller != null) {
      request.header("Authorization", "Bearer " + token(caller));
    }
    return request;
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(-1, String.valueOf(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted");
    }
  }
}
