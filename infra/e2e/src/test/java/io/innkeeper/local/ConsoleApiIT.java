package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.console.Console;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console over HTTP, without a browser: its files with a policy that allows nothing but its own
 * origin, its event stream carrying a command's steps as they happen, and its guards. A request
 * that names another host, a redrive that is not JSON from its own page, or a question that is
 * missing its subject gets a clear error and changes nothing.
 */
class ConsoleApiIT {

  private static final String API = Console.PATH + "/api/";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final LocalRuntime runtime = SharedRuntime.get();
  private final Api api = new Api(runtime.apiUrl());

  @Test
  void the_page_is_served_from_the_jar_with_a_policy_of_its_own_origin_only() {
    Api.Answer bare = api.get(Console.PATH, null);
    assertEquals(302, bare.status(), "the bare path leads to the page");
    assertEquals(Console.PATH + "/", bare.header("Location"));
    Api.Answer page = api.get(Console.PATH + "/", null);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("<script src=\"console.js\""), page.body());
    String policy = page.header("Content-Security-Policy");
    assertTrue(
        policy.contains("default-src 'self'") && policy.contains("connect-src 'self'"), policy);
    assertTrue(page.header("Content-Type").startsWith("text/html"));
    for (String file : new String[] {"console.js", "chart.js", "console.css"}) {
      Api.Answer a = api.get(Console.PATH + "/" + file, null);
      assertEquals(200, a.status(), file);
      assertTrue(a.body().length() > 500, file);
    }
    // Only the page's own files: nothing else of the jar or the disk.
    for (String other : new String[] {"../pom.xml", "Console.class", "static/index.html"}) {
      Api.Answer missing = api.get(Console.PATH + "/" + other, null);
      assertEquals(404, missing.status(), other);
    }
    Api.Answer unknown = api.get(API + "nothing-here", null);
    assertEquals(404, unknown.status());
    assertTrue(unknown.body().contains("No such console API"), unknown.body());
  }

  @Test
  void a_request_naming_another_host_is_refused() throws Exception {
    URI base = runtime.apiUrl();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + API
                  + "overview HTTP/1.1\r\nHost: rebound.example:"
                  + base.getPort()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertTrue(status.contains(" 403"), status);
    }
    assertEquals(200, api.get(API + "overview", null).status(), "by its own name it answers");
  }

  @Test
  void a_redrive_is_taken_only_as_json_from_the_consoles_own_page() throws Exception {
    String url = runtime.apiUrl() + API + "redrive";
    assertEquals(405, api.get(API + "redrive", null).status());
    assertEquals(
        415, post(url, "text/plain", "{\"target\":\"projections\"}", Map.of()).statusCode());
    HttpResponse<String> foreign =
        post(
            url,
            "application/json",
            "{\"target\":\"projections\"}",
            Map.of("Origin", "http://evil.example"));
    assertEquals(403, foreign.statusCode(), foreign.body());
    HttpResponse<String> unknown = post(url, "application/json", "{\"target\":\"all\"}", Map.of());
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.body().contains("commands") && unknown.body().contains("projections"));
    HttpResponse<String> notJson = post(url, "application/json", "{{", Map.of());
    assertEquals(400, notJson.statusCode());
  }

  @Test
  void a_question_without_its_subject_says_what_is_missing() {
    Api.Answer history = api.get(API + "history", null);
    assertEquals(400, history.status());
    assertTrue(history.body().contains("?stream="), history.body());
    Api.Answer verify = api.get(API + "verify?projection=nope", null);
    assertEquals(404, verify.status());
    assertTrue(
        verify.body().contains("hotels"), "names the projections there are: " + verify.body());
    Api.Answer journey = api.get(API + "commands/NO-SUCH-COMMAND", null);
    assertEquals(404, journey.status());
  }

  @Test
  void the_event_stream_says_hello_then_carries_a_commands_steps_as_they_happen() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(runtime.apiUrl() + API + "events"))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<Stream<String>> response =
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      assertTrue(readUntil(it, "event: hello"), "the stream begins with hello");

      Commands commands = new Commands(api, Duration.ofSeconds(20));
      String commandId =
          Commands.accepted(commands.registerHotel("Streamed Inn", unique("SSE"), DBL_ONLY));
      // The steps of that command arrive on the open stream, up to its decision.
      CompletableFuture<Boolean> decided =
          CompletableFuture.supplyAsync(
              () -> {
                String last = null;
                while (it.hasNext()) {
                  String line = it.next();
                  if (line.startsWith("event: ")) {
                    last = line;
                  } else if ("event: step".equals(last)
                      && line.startsWith("data: ")
                      && line.contains(commandId)
                      && line.contains("\"kind\":\"decided\"")) {
                    return true;
                  }
                }
                return false;
              });
      assertTrue(decided.get(20, TimeUnit.SECONDS), "the decision came down the stream");
    }
  }

  private static boolean readUntil(Iterator<String> lines, String wanted) {
    for (int i = 0; i < 10_000 && lines.hasNext(); i++) {
      if (lines.next().equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static HttpResponse<String> post(
      String url, String contentType, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
