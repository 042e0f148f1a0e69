package io.innkeeper.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The console over HTTP, under {@value Console#PATH}: the page's files (from the jar), its JSON API
 * and its event stream.
 *
 * <pre>
 * GET  /_local/console/                 the page (index.html, console.css, console.js, chart.js)
 * GET  /_local/console/api/overview     domain, demo users, examples, routes, projections
 * GET  /_local/console/api/commands     recent commands (and refused requests), newest first
 * GET  /_local/console/api/commands/ID  one command's journey
 * GET  /_local/console/api/glance       queues, parked records, dead letters, chaos, lag series
 * GET  /_local/console/api/history?stream=S       an aggregate's events and the rows each changed
 * GET  /_local/console/api/verify?projection=P    verify of one projection, with its drift
 * POST /_local/console/api/redrive {"target": "commands"|"projections"}   the operator's redrive
 * GET  /_local/console/api/events       server-sent events: hello, step, journey, note, glance
 * </pre>
 *
 * <p>It answers only requests addressed to this machine's loopback name (a page of another site
 * cannot reach it through a rebound DNS name), and the one request that changes something, the
 * redrive, only as JSON from this origin (a form of another site cannot send it).
 */
final class ConsoleHttp implements HttpHandler {

  private static final ObjectMapper JSON = io.innkeeper.client.Json.MAPPER;
  private static final String API = Console.PATH + "/api/";
  private static final String STATIC = "/io/innkeeper/local/console/static/";
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "console.css", "text/css; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8",
          "chart.js", "text/javascript; charset=utf-8");

  /** No script, style, image or connection but this origin's; no framing. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private static final long KEEPALIVE_MILLIS = 15_000;

  private final Console console;

  ConsoleHttp(Console console) {
    this.console = console;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (!loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
        problem(exchange, 403, "The console answers only at 127.0.0.1 or localhost.");
        return;
      }
      if (path.equals(Console.PATH)) {
        exchange.getResponseHeaders().set("Location", Console.PATH + "/");
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      if (path.startsWith(API)) {
        api(exchange, path.substring(API.length()));
        return;
      }
      if (path.startsWith(Console.PATH + "/")) {
        String file = path.substring(Console.PATH.length() + 1);
        file(exchange, file.isEmpty() ? "index.html" : file);
        return;
      }
      problem(exchange, 404, "No such page.");
    } catch (RuntimeException e) {
      // The exchange may be half-written; the page shows what it has.
      System.getLogger(ConsoleHttp.class.getName())
          .log(System.Logger.Level.WARNING, "console request failed", e);
    }
  }

  private void file(HttpExchange exchange, String name) throws IOException {
    if (!isGet(exchange)) {
      return;
    }
    String type = FILES.get(name);
    byte[] body = null;
    if (type != null) {
      try (InputStream in = ConsoleHttp.class.getResourceAsStream(STATIC + name)) {
        body = in == null ? null : in.readAllBytes();
      }
    }
    if (body == null) {
      problem(exchange, 404, "No such file: " + name);
      return;
    }
    Headers h = exchange.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.set("Referrer-Policy", "no-referrer");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void api(HttpExchange exchange, String rest) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (rest.equals("redrive")) {
      redrive(exchange);
      return;
    }
    if (!isGet(exchange)) {
      return;
    }
    switch (rest) {
      case "overview" -> json(exchange, 200, console.overview());
      case "commands" -> json(exchange, 200, Map.of("items", console.commands()));
      case "glance" -> json(exchange, 200, console.glance());
      case "events" -> events(exchange);
      case "history" -> {
        String stream = query.get("stream");
        if (stream == null || stream.isBlank()) {
          problem(exchange, 400, "Say which stream: ?stream=...");
          return;
        }
        Optional<Map<String, Object>> history = console.history(stream.strip());
        if (history.isEmpty()) {
          problem(exchange, 404, "This runtime runs no domain, so it has no history to show.");
          return;
        }
        json(exchange, 200, history.get());
      }
      case "verify" -> {
        String projection = query.get("projection");
        Optional<OperatorCommands> operator = console.operator();
        if (operator.isEmpty()) {
          problem(exchange, 404, "This runtime runs no domain, so it has nothing to verify.");
          return;
        }
        if (projection == null || projection.isBlank()) {
          problem(
              exchange,
              400,
              "Say which projection: ?projection=one of " + operator.get().projections().keySet());
          return;
        }
        Optional<Map<String, Object>> drift = operator.get().verify(projection.strip());
        if (drift.isEmpty()) {
          problem(
              exchange,
              404,
              "No projection "
                  + projection
                  + "; there are "
                  + operator.get().projections().keySet());
          return;
        }
        json(exchange, 200, drift.get());
      }
      default -> {
        if (rest.startsWith("commands/")) {
          String id =
              URLDecoder.decode(rest.substring("commands/".length()), StandardCharsets.UTF_8);
          Optional<Map<String, Object>> journey = console.command(id);
          if (journey.isEmpty()) {
            problem(exchange, 404, "This runtime has not seen command " + id + " (or forgot it).");
            return;
          }
          json(exchange, 200, journey.get());
          return;
        }
        problem(exchange, 404, "No such console API: " + rest);
      }
    }
  }

  private void redrive(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.getResponseHeaders().set("Allow", "POST");
      problem(exchange, 405, "Use POST to redrive.");
      return;
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      problem(exchange, 415, "Send the redrive as application/json.");
      return;
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null
        && !origin.equals("http://" + exchange.getRequestHeaders().getFirst("Host"))) {
      problem(exchange, 403, "Only the console's own page may redrive.");
      return;
    }
    Optional<OperatorCommands> operator = console.operator();
    if (operator.isEmpty()) {
      problem(exchange, 404, "This runtime runs no domain, so it has nothing to redrive.");
      return;
    }
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      body = JSON.readTree(in.readNBytes(4096));
    } catch (IOException e) {
      body = null;
    }
    String target = body == null ? null : body.path("target").asText(null);
    if (target == null || !OperatorCommands.REDRIVE_TARGETS.contains(target)) {
      problem(
          exchange,
          400,
          "Say what to redrive: {\"target\": one of " + OperatorCommands.REDRIVE_TARGETS + "}");
      return;
    }
    Map<String, Object> result;
    try {
      result = operator.get().redrive(target);
    } catch (Exception e) {
      problem(exchange, 500, "redrive " + target + " failed: " + e);
      return;
    }
    json(exchange, 200, result);
  }

  /** Server-sent events until the page goes away or the runtime stops. */
  private void events(HttpExchange exchange) throws IOException {
    Optional<Console.Events> opened = console.open();
    if (opened.isEmpty()) {
      exchange.getResponseHeaders().set("Retry-After", "5");
      problem(
          exchange,
          503,
          "Too many console pages are open (at most "
              + Console.MAX_EVENT_STREAMS
              + "); close one and this page reconnects.");
      return;
    }
    Console.Events events = opened.get();
    Headers h = exchange.getResponseHeaders();
    h.set("Content-Type", "text/event-stream; charset=utf-8");
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    try {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      // Tell the browser how soon to come back when the stream drops.
      out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long quietSince = System.nanoTime();
      while (!console.closed() && !events.overflowed()) {
        String next;
        try {
          // A second at most between looks at whether the runtime is stopping.
          next = events.next(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (next == null && System.nanoTime() - quietSince < KEEPALIVE_MILLIS * 1_000_000) {
          continue;
        }
        out.write((next == null ? ": keep-alive\n\n" : next).getBytes(StandardCharsets.UTF_8));
        out.flush();
        quietSince = System.nanoTime();
      }
    } catch (IOException gone) {
      // The page closed or reloaded.
    } finally {
      console.closeStream(events);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static boolean isGet(HttpExchange exchange) throws IOException {
    if (exchange.getRequestMethod().equals("GET")) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET");
    problem(exchange, 405, "Use GET for this resource.");
    return false;
  }

  /**
   * Whether the request names this machine by a loopback name: the page of another site that
   * rebinds its DNS name to 127.0.0.1 still sends its own name as the Host.
   */
  static boolean loopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String name = host.strip().toLowerCase(Locale.ROOT);
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      name = end < 0 ? name : name.substring(0, end + 1);
    } else if (name.indexOf(':') >= 0) {
      name = name.substring(0, name.indexOf(':'));
    }
    return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("[::1]");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.putIfAbsent(name, value);
    }
    return q;
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = Console.json(body).getBytes(StandardCharsets.UTF_8);
    Headers h = exchange.getResponseHeaders();
    h.set("Content-Type", "application/json");
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("title", title(status));
    body.put("detail", detail);
    byte[] bytes = Console.json(body).getBytes(StandardCharsets.UTF_8);
    Headers h = exchange.getResponseHeaders();
    h.set("Content-Type", "application/problem+json");
    h.set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 415 -> "Unsupported Media Type";
      case 503 -> "Service Unavailable";
      default -> "Internal Server Error";
    };
  }

  static List<String> files() {
    return List.copyOf(FILES.keySet());
  }
}
