package io.innkeeper.client;

import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.events.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * Innkeeper's HTTP API from Java: the one client the tests, {@code ops smoke}, the performance
 * tools and the local runtime's seeding use. It implements the domain fixtures' {@link Api} port,
 * with a bearer token minted (once per caller) by whoever issues the runtime's tokens, and gives
 * raw access ({@link #exchange}: any method, headers, status and body as they came) for the tests
 * that check what the API answers to bad requests.
 *
 * <p>One {@link HttpClient} per instance, on HTTP/1.1 so connections are kept alive and reused
 * between requests (the gateway, like API Gateway, speaks HTTP/1.1). By default a request is sent
 * once; {@link #retrying} gives a client that sends a POST again, with the same {@code
 * Idempotency-Key}, after a 429, a 5xx or no answer, as the contract (docs/api.md) tells a careful
 * client to, so a command whose intake failed halfway is neither lost nor doubled.
 */
public final class HttpApi implements Api {
  /** Told about every answer and every retry of a retrying client (e.g. to count them). */
  public interface Listener {
    /** An answer came ({@code status} -1: none came). */
    default void answered(int status) {}

    /** A request is about to be sent again. */
    default void retried() {}
  }

  private static final Listener SILENT = new Listener() {};

  private final HttpClient http;
  private final URI base;
  private final BiFunction<String, List<String>, String> mint;
  private final Map<Caller, String> tokens;
  private final int attempts;
  private final Listener listener;
  private final Map<String, String> extraHeaders;

  /**
   * @param base the API's base URL; a path after the host (an API Gateway stage) is kept
   * @param mint mints a bearer token for a subject and its groups, e.g. {@code runtime::mintToken}
   */
  public HttpApi(URI base, BiFunction<String, List<String>, String> mint) {
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build(),
        base,
        mint,
        new ConcurrentHashMap<>(),
        1,
        SILENT,
        Map.of());
  }

  /** A client for raw requests only: callers bring their own tokens to {@link #exchange}. */
  public HttpApi(URI base) {
    this(
        base,
        (sub, groups) -> {
          throw new IllegalStateException("this client mints no tokens; pass one to exchange");
        });
  }

  private HttpApi(
      HttpClient http,
      URI base,
      BiFunction<String, List<String>, String> mint,
      Map<Caller, String> tokens,
      int attempts,
      Listener listener,
      Map<String, String> extraHeaders) {
    this.http = http;
    this.base = base;
    this.mint = mint;
    this.tokens = tokens;
    this.attempts = attempts;
    this.listener = listener;
    this.extraHeaders = extraHeaders;
  }

  /**
   * The same client (connections, tokens), sending each POST up to {@code attempts} times: again,
   * with the same idempotency key, after a 429, a 5xx or no answer, with jittered backoff.
   */
  public HttpApi retrying(int attempts, Listener listener) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
    }
    return new HttpApi(http, base, mint, tokens, attempts, listener, extraHeaders);
  }

  /**
   * The same client, adding {@code headers} to every fixture request, e.g. {@code Prefer: wait=10}
   * so a command answers with its outcome when it settles within the wait.
   */
  public HttpApi withHeaders(Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(extraHeaders);
    all.putAll(headers);
    return new HttpApi(http, base, mint, tokens, attempts, listener, Map.copyOf(all));
  }

  /** The API's base URL. */
  public URI base() {
    return base;
  }

  /** The caller's bearer token, minted at its first use. */
  public String token(Caller caller) {
    return tokens.computeIfAbsent(caller, c -> mint.apply(c.sub(), c.groups()));
  }

  /**
   * {@code path} against the base URL, keeping the base's own path (an API Gateway stage such as
   * {@code /prod}): {@code https://h/prod} and {@code /hotels} give {@code https://h/prod/hotels}.
   */
  public static URI resolve(URI base, String path) {
    String b = base.toString();
    String p = path.startsWith("/") ? path.substring(1) : path;
    return URI.create(b.endsWith("/") ? b + p : b + "/" + p);
  }

  @Override
  public Answer post(String path, Caller caller, String idempotencyKey, Object body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }
    String token = caller == null ? null : token(caller);
    try {
      Response r = send("POST", path, token, headers, Json.write(body));
      return new Answer(r.status(), r.body());
    } catch (UncheckedIOException e) {
      return new Answer(-1, String.valueOf(e.getCause()));
    }
  }

  @Override
  public Answer get(String path, Caller caller) {
    String token = caller == null ? null : token(caller);
    return answer(request("GET", path, token, extraHeaders, null));
  }

  /** A GET with extra headers, e.g. {@code X-Consistency-Token}. */
  public Answer get(String path, Caller caller, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(extraHeaders);
    all.putAll(headers);
    return answer(request("GET", path, caller == null ? null : token(caller), all, null));
  }

  /**
   * One GET that reads only the status, over a kept-alive {@link java.net.HttpURLConnection}: a
   * load generator's queries are many and small, and this path costs the shared CPU far less per
   * request than {@link HttpClient}, so more of the machine measures the system rather than the
   * load.
   *
   * @return the status; -1 when no answer came
   */
  public int status(String path, String bearerToken) {
    try {
      var connection = (java.net.HttpURLConnection) resolve(base, path).toURL().openConnection();
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout(30_000);
      if (bearerToken != null) {
        connection.setRequestProperty("Authorization", "Bearer " + bearerToken);
      }
      int status = connection.getResponseCode();
      // Read to the end, so the connection goes back to the keep-alive pool.
      try (var in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        if (in != null) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
      }
      return status;
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * One request with this client's retry policy (see {@link #retrying}): sent again after a 429, a
   * 5xx or no answer, headers (an {@code Idempotency-Key}) and body unchanged.
   *
   * @throws UncheckedIOException when no attempt got an answer
   */
  public Response send(
      String method, String path, String bearerToken, Map<String, String> headers, String body) {
    Map<String, String> all = new LinkedHashMap<>(extraHeaders);
    all.putAll(headers);
    Response last = null;
    UncheckedIOException lost = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        listener.retried();
        if (!pause(attempt)) {
          break;
        }
      }
      try {
        last = exchange(method, path, bearerToken, all, body);
        listener.answered(last.status());
        if (last.status() < 500 && last.status() != 429) {
          return last;
        }
      } catch (UncheckedIOException e) {
        listener.answered(-1);
        lost = e;
      }
    }
    if (last == null) {
      throw lost != null ? lost : new UncheckedIOException(new java.io.IOException("interrupted"));
    }
    return last;
  }

  /** What came back, as it came: status, headers and body. */
  public record Response(int status, HttpHeaders headers, String body) {
    /** The body as a JSON object. */
    public Map<String, Object> json() {
      return Json.parseObject(body);
    }

    /** The first value of a header; {@code null} when absent. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /**
   * One request, sent once, exactly as given: for tests that send what a careful client would not
   * (no token, a bad content type, a malformed body) and read every header of the answer.
   *
   * @param bearerToken the token, or {@code null} for none
   * @param body the body, or {@code null} for none
   * @throws UncheckedIOException when no answer came
   */
  public Response exchange(
      String method, String path, String bearerToken, Map<String, String> headers, String body) {
    try {
      HttpResponse<String> r =
          http.send(
              request(method, path, bearerToken, headers, body),
              HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpRequest request(
      String method, String path, String bearerToken, Map<String, String> headers, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(resolve(base, path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (bearerToken != null) {
      b.header("Authorization", "Bearer " + bearerToken);
    }
    headers.forEach(b::header);
    return b.build();
  }

  private Answer answer(HttpRequest request) {
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

  /** Jittered exponential backoff, capped at 2 s; false when interrupted. */
  private static boolean pause(int attempt) {
    long cap = Math.min(2000, 50L << attempt);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
