package io.innkeeper.local;

import static io.innkeeper.local.Commands.accepted;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.events.Json;
import io.innkeeper.local.gateway.TokenIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input over HTTP, from a seeded {@link Random} ({@code -Dinnkeeper.fuzz.seed=N} replays a
 * run; the seed is printed): malformed, truncated and non-object JSON, wrong types, huge, negative
 * and fractional numbers, control characters and broken Unicode, duplicate keys, deep nesting,
 * oversized bodies and headers, ids with path tricks, bad dates, amounts and currencies, bad
 * cursors and consistency tokens, bad query parameters, missing, expired and forged tokens, the
 * wrong caller. Every command in the set is invalid by construction; the queries may be valid.
 *
 * <p>Asserts: never a 5xx; every 4xx a function makes is {@code application/problem+json} whose
 * body parses and repeats the status, and every 4xx the gateway makes itself (no route, no or a bad
 * token, headers or body over API Gateway's limits) has API Gateway's own shape; no command is ever
 * accepted and nothing is stored or enqueued (events, command statuses and the command queue are
 * unchanged); and nothing the runtime and the functions print meanwhile (standard output and error,
 * and java.util.logging, where the gateway's {@link System.Logger} goes) carries a bearer token, a
 * token's signature, AWS credentials or the marker planted in every command body.
 */
class FuzzIT {
  private static final int REQUESTS = Integer.getInteger("innkeeper.fuzz.requests", 5_000);
  private static final int THREADS = 4;
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String PROBLEM = "application/problem+json";

  private static final long SEED = Long.getLong("innkeeper.fuzz.seed", System.nanoTime());
  private static final String MARKER = "FuzzMarker" + Long.toHexString(SEED) + "Qz";

  /** Ids that fail {@code ^[A-Za-z0-9_-]{1,64}$} once decoded, written as they go on the wire. */
  private static final List<String> BAD_PATH_IDS =
      List.of(
          "..",
          ".",
          "%2E%2E",
          "%2e",
          "a%2Fb",
          "%2F",
          "%2F..%2F..%2Fetc%2Fpasswd",
          "%00",
          "a%00b",
          "%C0%AE%C0%AE",
          "%FF",
          "%E2%80%AE",
          "%F0%9F%98%80",
          "%252E%252E",
          "a.b",
          "a~b",
          "a%20b",
          "%2B",
          "%0D%0ASet-Cookie:x",
          "%7B%7D",
          "x".repeat(65),
          "y".repeat(3_000),
          MARKER + "%2F");

  private static LocalRuntime runtime;
  private static Api api;
  private static Backstage backstage;
  private static String admin;
  private static String owner;
  private static String otherGuest;
  private static String expired;
  private static String foreign;
  private static String hotelId;
  private static String reservationId;
  private static String commandId;
  private static LocalDate day;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() {
    System.out.println("FuzzIT seed=" + SEED + " (replay with -Dinnkeeper.fuzz.seed=" + SEED + ")");
    runtime = SharedRuntime.get();
    api = new Api(runtime.apiUrl());
    backstage = new Backstage(runtime);
    Commands commands = new Commands(api, SETTLE);
    admin = SharedRuntime.adminToken();
    owner = SharedRuntime.guestToken(unique("fuzz-owner"));
    otherGuest = SharedRuntime.guestToken(unique("fuzz-other"));
    Api.Answer minted =
        api.postJson("/_local/tokens", null, "{\"sub\":\"fuzz-late\",\"ttlSeconds\":-60}");
    expired = (String) minted.json().get("token");
    foreign = new TokenIssuer().mint("it-admin", List.of("admin"), Duration.ofHours(1));

    Api.Answer hotel = commands.registerHotel("Hotel Fuzz", unique("Fuzz"), Commands.DBL_ONLY);
    hotelId = (String) hotel.json().get("hotelId");
    assertEquals("SUCCEEDED", commands.settled(accepted(hotel)).get("status"));
    day = today().plusDays(500);
    assertEquals(
        "SUCCEEDED",
        commands
            .settled(accepted(commands.setAllotment(hotelId, "DBL", day, day.plusDays(5), 9, "80")))
            .get("status"));
    Api.Answer booked =
        commands.book(owner, Commands.bookingBody(hotelId, "DBL", day, day.plusDays(1), 1));
    commandId = accepted(booked);
    reservationId = (String) booked.json().get("reservationId");
    Map<String, Object> outcome = api.awaitSettled(commandId, owner, SETTLE).json();
    assertEquals("SUCCEEDED", outcome.get("status"), outcome.toString());
    api.get(
        "/reservations/" + reservationId,
        owner,
        Map.of("X-Consistency-Token", (String) outcome.get("consistencyToken")));
  }

  @AfterAll
  static void stop() {
    if (backstage != null) {
      backstage.close();
    }
  }

  /** One request of the fuzz set; {@code expected} is its status when that is certain. */
  record Fuzz(
      String kind,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      Integer expected) {}

  record Outcome(Fuzz fuzz, int status, String contentType, String body) {}

  @Test
  void hostile_requests_get_a_4xx_problem_and_change_nothing_and_leak_nothing() throws Exception {
    Random random = new Random(SEED);
    List<Fuzz> set = new ArrayList<>();
    Generator generator = new Generator(random);
    for (int i = 0; i < REQUESTS; i++) {
      set.add(generator.next());
    }

    long commandsBefore = backstage.quietCommandCount(SETTLE);
    long eventsBefore = backstage.count("events");
    List<Outcome> outcomes;
    long started = System.nanoTime();
    try (Capture capture = Capture.start()) {
      outcomes = sendAll(set);
      backstage.awaitCommandQueueIdle(SETTLE);
      String printed = capture.text();
      assertNoLeak(printed);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;

    backstage.assertNothingEnqueued(commandsBefore);
    assertEquals(eventsBefore, backstage.count("events"), "the fuzz set stored events");

    Map<String, Integer> byStatus = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (Outcome o : outcomes) {
      byStatus.merge(o.fuzz().kind() + " " + o.status(), 1, Integer::sum);
      String failure = judge(o);
      if (failure != null && failures.size() < 40) {
        failures.add(failure);
      }
    }
    System.out.println(
        "FuzzIT seed="
            + SEED
            + ": "
            + outcomes.size()
            + " requests in "
            + millis
            + " ms; by kind and status: "
            + byStatus);
    assertEquals(REQUESTS, outcomes.size());
    assertTrue(failures.isEmpty(), "seed " + SEED + ":\n" + String.join("\n", failures));
  }

  private static String judge(Outcome o) {
    Fuzz f = o.fuzz();
    String what =
        f.kind()
            + " "
            + f.method()
            + " "
            + abbreviate(f.path())
            + " "
            + abbreviate(new String(f.body(), StandardCharsets.UTF_8))
            + " -> "
            + o.status()
            + " "
            + abbreviate(o.body());
    if (o.status() >= 500) {
      return "5xx: " + what;
    }
    if (f.method().equals("POST") && o.status() < 400) {
      return "a fuzzed command was not refused: " + what;
    }
    if (f.expected() != null && f.expected() != o.status()) {
      return "expected " + f.expected() + ": " + what;
    }
    if (gatewayMade(o)) {
      return null;
    }
    if (o.status() >= 400) {
      if (!PROBLEM.equals(o.contentType())) {
        return "not problem+json (" + o.contentType() + "): " + what;
      }
      try {
        Map<String, Object> problem = Json.parseObject(o.body());
        if (!Integer.valueOf(o.status()).equals(problem.get("status"))
            || !(problem.get("title") instanceof String)) {
          return "problem without its status or title: " + what;
        }
      } catch (RuntimeException e) {
        return "problem body does not parse: " + what;
      }
    }
    return null;
  }

  /**
   * An error API Gateway makes itself, in its own shape: {@code {"message": "..."}} without a
   * content type for a missing route, a refused token or oversized headers, and the plain text its
   * front end answers a body over 10 MB with.
   */
  private static boolean gatewayMade(Outcome o) {
    if (o.status() == 413 && o.contentType().startsWith("text")) {
      return o.body().equals("HTTP content length exceeded 10485760 bytes.");
    }
    if (!o.contentType().isEmpty() || !java.util.Set.of(400, 401, 404, 431).contains(o.status())) {
      return false;
    }
    try {
      Map<String, Object> body = Json.parseObject(o.body());
      return body.size() == 1 && body.get("message") instanceof String;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 160) + "...(" + s.length() + " chars)";
  }

  private static List<Outcome> sendAll(List<Fuzz> set) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Fuzz f : set) {
        futures.add(pool.submit(() -> send(f)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(future.get());
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Outcome send(Fuzz f) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(runtime.apiUrl() + f.path()))
            .timeout(Duration.ofSeconds(30));
    f.headers().forEach(b::header);
    if (f.method().equals("POST")) {
      b.POST(HttpRequest.BodyPublishers.ofByteArray(f.body()));
    } else {
      b.method(f.method(), HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Outcome(
        f, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  // ---------------------------------------------------------------------------------------------
  // Leaks

  private static void assertNoLeak(String printed) {
    List<String> secrets = new ArrayList<>();
    for (String token : List.of(admin, owner, otherGuest, expired, foreign)) {
      secrets.add(token);
      secrets.add(token.substring(token.lastIndexOf('.') + 1));
    }
    for (String secret : secrets) {
      assertTrue(!printed.contains(secret), "a bearer token or its signature was logged");
    }
    assertTrue(!printed.contains(MARKER), "a request body was logged: " + around(printed, MARKER));
    assertTrue(
        !printed.matches("(?s).*eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}.*"),
        "something shaped like a JWT was logged");
    for (String credential :
        List.of(
            "AWS_SECRET_ACCESS_KEY", "aws_secret_access_key", "secretAccessKey", "Credential=")) {
      assertTrue(!printed.contains(credential), credential + " was logged");
    }
  }

  private static String around(String text, String needle) {
    int at = text.indexOf(needle);
    return at < 0 ? "" : text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100));
  }

  /**
   * Tees {@code System.out} and {@code System.err} into a buffer while it is open, and listens to
   * java.util.logging's root logger, whose console handler holds on to the original stream.
   */
  static final class Capture implements AutoCloseable {
    private static final int LIMIT = 64 * 1024 * 1024;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Handler handler;

    private Capture() {
      System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
      SimpleFormatter formatter = new SimpleFormatter();
      handler =
          new Handler() {
            @Override
            public void publish(LogRecord record) {
              byte[] line = formatter.format(record).getBytes(StandardCharsets.UTF_8);
              synchronized (buffer) {
                if (buffer.size() < LIMIT) {
                  buffer.write(line, 0, line.length);
                }
              }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      handler.setLevel(java.util.logging.Level.ALL);
      Logger.getLogger("").addHandler(handler);
    }

    static Capture start() {
      return new Capture();
    }

    private OutputStream tee(PrintStream original) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          original.write(b, off, len);
          synchronized (buffer) {
            if (buffer.size() < LIMIT) {
              buffer.write(b, off, len);
            }
          }
        }

        @Override
        public void flush() {
          original.flush();
        }
      };
    }

    String text() {
      System.out.flush();
      System.err.flush();
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      System.setOut(out);
      System.setErr(err);
      Logger.getLogger("").removeHandler(handler);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The fuzz set

  /** Builds hostile requests; every POST it makes is invalid for at least one certain reason. */
  private static final class Generator {
    private final Random random;

    Generator(Random random) {
      this.random = random;
    }

    Fuzz next() {
      return switch (random.nextInt(10)) {
        case 0, 1, 2, 3, 4, 5 -> command();
        default -> query();
      };
    }

    private <T> T pick(List<T> items) {
      return items.get(random.nextInt(items.size()));
    }

    // -- commands ---------------------------------------------------------------------------------

    /** A valid command's route, token and fields (raw JSON values), to be broken. */
    private record Template(String name, String path, String token, Map<String, String> fields) {}

    private Template template() {
      Map<String, String> fields = new LinkedHashMap<>();
      switch (random.nextInt(4)) {
        case 0 -> {
          fields.put("name", str("Hotel " + MARKER));
          fields.put("city", str("Fuzzville"));
          fields.put("roomTypes", "[{\"code\":\"DBL\",\"name\":\"Double\",\"maxGuests\":2}]");
          return new Template("register", "/hotels", admin, fields);
        }
        case 1 -> {
          fields.put("roomType", str("DBL"));
          fields.put("from", str(day.toString()));
          fields.put("to", str(day.plusDays(2).toString()));
          fields.put("rooms", "3");
          fields.put("nightlyRate", "{\"amount\":\"80.00\",\"currency\":\"EUR\"}");
          return new Template("allot", "/hotels/" + hotelId + "/allotments", admin, fields);
        }
        case 2 -> {
          fields.put("hotelId", str(hotelId));
          fields.put("roomType", str("DBL"));
          fields.put("checkIn", str(day.plusDays(2).toString()));
          fields.put("checkOut", str(day.plusDays(3).toString()));
          fields.put("guests", "1");
          return new Template("book", "/reservations", owner, fields);
        }
        default -> {
          fields.put("reason", str("changed plans " + MARKER));
          return new Template(
              "cancel", "/reservations/" + reservationId + "/cancel", owner, fields);
        }
      }
    }

    private Fuzz command() {
      Template t = template();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      headers.put("Authorization", "Bearer " + t.token());
      String path = t.path();
      Map<String, String> fields = new LinkedHashMap<>(t.fields());
      String body = null;
      Integer expected = null;
      String kind;
      switch (random.nextInt(16)) {
        case 0 -> {
          kind = "truncated";
          String whole = json(fields);
          body = whole.substring(0, 1 + random.nextInt(whole.length() - 1));
          expected = 400;
        }
        case 1, 2, 3 -> {
          kind = "bad-value";
          String field = pick(new ArrayList<>(fields.keySet()));
          fields.put(field, pick(badValues(field)));
          expected = 400;
        }
        case 4 -> {
          kind = "unknown-field";
          fields.put(pick(List.of(MARKER, "admin", "__proto__", "guestId", "x" + MARKER)), value());
          expected = 400;
        }
        case 5 -> {
          kind = "duplicate-key";
          String field = pick(new ArrayList<>(fields.keySet()));
          String whole = json(fields);
          body = "{\"" + field + "\":" + fields.get(field) + "," + whole.substring(1);
          expected = 400;
        }
        case 6 -> {
          kind = "deep";
          int depth = 20 + random.nextInt(3_000);
          String open = random.nextBoolean() ? "[" : "{\"a\":";
          String close = open.equals("[") ? "]" : "}";
          fields.put(MARKER, open.repeat(depth) + "1" + close.repeat(depth));
          expected = 400;
        }
        case 7 -> {
          kind = "oversized";
          int size = 64 * 1024 + 1 + random.nextInt(200 * 1024);
          String whole = json(fields);
          body =
              random.nextBoolean()
                  ? " ".repeat(size - whole.length()) + whole
                  : whole.substring(0, whole.length() - 1)
                      + ",\"pad\":\""
                      + MARKER.repeat(size / MARKER.length())
                      + "\"}";
          expected = 413;
        }
        case 8 -> {
          kind = "media-type";
          headers.remove("Content-Type");
          String type =
              pick(List.of("text/plain", "application/xml", "application/jsonx", "json", ""));
          if (!type.isEmpty()) {
            headers.put("Content-Type", type);
          }
          expected = 415;
        }
        case 9 -> {
          kind = "not-an-object";
          body =
              pick(
                  List.of(
                      "[]",
                      "null",
                      "1",
                      "\"" + MARKER + "\"",
                      "[" + json(fields) + "]",
                      json(fields) + json(fields),
                      "{\"a\":1}garbage",
                      "\u00ef\u00bb\u00bf" + json(fields)));
          expected = 400;
        }
        case 10 -> {
          kind = "bad-utf8";
          byte[] bytes = new byte[1 + random.nextInt(200)];
          random.nextBytes(bytes);
          bytes[0] = (byte) (0x80 | random.nextInt(0x40)); // a continuation byte cannot start text
          return new Fuzz(kind, "POST", path, headers, bytes, 400);
        }
        case 11 -> {
          kind = "bad-token";
          String bad =
              pick(
                  List.of(
                      "",
                      "Bearer",
                      "Bearer x.y.z",
                      "Basic YTpi",
                      "Bearer " + expired,
                      "Bearer " + foreign,
                      "Bearer " + t.token() + "x",
                      "bearer  " + MARKER));
          if (bad.isEmpty()) {
            headers.remove("Authorization");
          } else {
            headers.put("Authorization", bad);
          }
          expected = 401;
        }
        case 12 -> {
          kind = "wrong-caller";
          headers.put("Authorization", "Bearer " + otherGuest);
          if (t.name().equals("book")) {
            // Anyone may book: make it invalid another way and expect only a refusal.
            fields.put("guests", "0");
            expected = 400;
          } else {
            expected = 403;
          }
        }
        case 13 -> {
          kind = "big-header";
          headers.put("X-Fuzz", MARKER.repeat(11 * 1024 / MARKER.length() + random.nextInt(2000)));
          expected = 431;
        }
        case 14 -> {
          kind = "bad-header";
          if (random.nextBoolean()) {
            headers.put(
                "Idempotency-Key",
                pick(List.of("a b", "../x", "k".repeat(65), "a;b", "\"q\"", "%2F", MARKER + "!")));
          } else {
            headers.put(
                "Prefer",
                pick(
                    List.of(
                        "wait=abc",
                        "wait=-1",
                        "wait=99999999999999999999",
                        "wait",
                        "wait=1.5",
                        "respond-async, wait=2")));
            String field = pick(new ArrayList<>(fields.keySet()));
            fields.put(field, pick(badValues(field)));
          }
          expected = 400;
        }
        default -> {
          kind = "bad-path-id";
          String id = pick(BAD_PATH_IDS);
          path =
              random.nextBoolean()
                  ? "/reservations/" + id + "/cancel"
                  : "/hotels/" + id + "/allotments";
          headers.put("Authorization", "Bearer " + admin);
          fields = new LinkedHashMap<>(t.fields());
        }
      }
      if (body == null) {
        body = json(fields);
      }
      return new Fuzz(kind, "POST", path, headers, body.getBytes(StandardCharsets.UTF_8), expected);
    }

    /** Raw JSON values that are invalid for {@code field} whatever the rest of the body is. */
    private List<String> badValues(String field) {
      List<String> common =
          List.of("null", "true", "[]", "{}", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\uffff\"");
      List<String> specific =
          switch (field) {
            case "name", "city" ->
                List.of(
                    "\"   \"",
                    str("x".repeat(201)),
                    str("a\u0000b" + MARKER),
                    str("\u0007bell"),
                    str("é" + "\u001b[31m"),
                    "5",
                    "1e9",
                    str("x".repeat(4_097)),
                    "\"\\ud83d\"",
                    "\"\\ude00 " + MARKER + "\"");
            case "reason" ->
                List.of(str("x".repeat(501)), str("r\u0000" + MARKER), "5", "{\"a\":1}", "[\"a\"]");
            case "roomTypes" ->
                List.of(
                    "\"DBL\"",
                    "[1]",
                    "[{}]",
                    "[{\"code\":\"dbl\",\"name\":\"D\",\"maxGuests\":2}]",
                    "[{\"code\":\"DBL\",\"name\":\"D\",\"maxGuests\":2.0}]",
                    "[{\"code\":\"DBL\",\"name\":\"D\",\"maxGuests\":\"2\"}]",
                    "[{\"code\":\"DBL\",\"name\":\"D\",\"maxGuests\":11}]",
                    "[{\"code\":\"DBL\",\"name\":\"D\",\"maxGuests\":-1}]",
                    "[{\"code\":\"DBL\",\"name\":\"D\",\"maxGuests\":99999999999999999999999}]",
                    "[{\"code\":\"DBL\",\"name\":\"D\",\"maxGuests\":2},"
                        + "{\"code\":\"DBL\",\"name\":\"E\",\"maxGuests\":2}]",
                    "[{\"code\":\"" + "A".repeat(17) + "\",\"name\":\"D\",\"maxGuests\":2}]",
                    "[{\"code\":\"DBL\",\"name\":\"D\",\"maxGuests\":2,\"price\":1}]",
                    "["
                        + "{\"code\":\"A\",\"name\":\"D\",\"maxGuests\":2},".repeat(50)
                        + "{\"code\":\"B\",\"name\":\"D\",\"maxGuests\":2}]");
            case "roomType" ->
                List.of("\"dbl\"", str("A".repeat(17)), "\"D-B\"", "1", "\"DBL\\n\"", "\"ДБЛ\"");
            case "hotelId" ->
                List.of(
                    "\"../x\"",
                    str("x".repeat(65)),
                    "\"a/b\"",
                    "5",
                    "\"a b\"",
                    "\"a%2Fb\"",
                    str(MARKER + ".x"));
            case "from", "to", "checkIn", "checkOut" ->
                List.of(
                    "\"2026-02-30\"",
                    "\"2026-13-01\"",
                    "\"26-01-01\"",
                    "\"2026-1-1\"",
                    "\"20260101\"",
                    "20260101",
                    "\"2026-01-01T00:00:00Z\"",
                    "\"+2026-01-01\"",
                    "\"２０２６-01-01\"",
                    "\"2026-01-01 \"",
                    "\"0000-00-00\"",
                    "\"9999-99-99\"",
                    "\"-999999999-01-01\"",
                    "\"tomorrow\"");
            case "rooms" ->
                List.of(
                    "-1",
                    "10001",
                    "1.5",
                    "\"5\"",
                    "1e3",
                    "99999999999999999999999",
                    "10000.0",
                    "-0.0",
                    "2147483648");
            case "guests" ->
                List.of("0", "11", "-1", "2.0", "\"2\"", "1E0", "2147483648", "-0", "1e-400");
            case "nightlyRate" ->
                List.of(
                    "100",
                    "\"100.00 EUR\"",
                    "{\"amount\":100.0,\"currency\":\"EUR\"}",
                    "{\"amount\":\"-1\",\"currency\":\"EUR\"}",
                    "{\"amount\":\"1.001\",\"currency\":\"EUR\"}",
                    "{\"amount\":\"1e2\",\"currency\":\"EUR\"}",
                    "{\"amount\":\"123456789\",\"currency\":\"EUR\"}",
                    "{\"amount\":\"1\",\"currency\":\"eur\"}",
                    "{\"amount\":\"1\",\"currency\":\"EU\"}",
                    "{\"amount\":\"1\",\"currency\":\"EURO\"}",
                    "{\"amount\":\"1\"}",
                    "{\"currency\":\"EUR\"}",
                    "{\"amount\":\"1\",\"currency\":\"EUR\",\"fx\":1}",
                    "{\"amount\":\"NaN\",\"currency\":\"EUR\"}",
                    "{\"amount\":\" 1\",\"currency\":\"EUR\"}",
                    "{\"amount\":\"٣\",\"currency\":\"EUR\"}",
                    "{\"amount\":\"1\",\"currency\":\"EUR\",\"amount\":\"2\"}");
            default -> List.of();
          };
      List<String> all = new ArrayList<>(specific);
      // "reason" may be null or blank (a cancel without one); everything else must be present.
      for (String v : common) {
        if (!(field.equals("reason") && (v.equals("null") || v.equals("\"\"")))) {
          all.add(v);
        }
      }
      return all;
    }

    /** Any JSON value, sometimes a large or strange one. */
    private String value() {
      return pick(
          List.of(
              "1",
              "-1",
              "1.5e308",
              "1e-400",
              "99999999999999999999999999999999",
              "true",
              "null",
              str(MARKER),
              "[1,[2,[3]]]",
              "{\"a\":{\"b\":\"" + MARKER + "\"}}",
              "\"\\ud800\\udc00\""));
    }

    // -- queries ----------------------------------------------------------------------------------

    private Fuzz query() {
      Map<String, String> headers = new LinkedHashMap<>();
      String token = pick(List.of(owner, admin, otherGuest));
      headers.put("Authorization", "Bearer " + token);
      String path;
      String kind;
      switch (random.nextInt(9)) {
        case 0 -> {
          kind = "q-hotels";
          path = "/hotels?city=" + enc(pick(badText()));
        }
        case 1 -> {
          kind = "q-hotel-id";
          path = "/hotels/" + pick(BAD_PATH_IDS);
        }
        case 2 -> {
          kind = "q-availability";
          Map<String, String> params = new LinkedHashMap<>();
          params.put("city", "Fuzzville");
          params.put("checkIn", day.toString());
          params.put("checkOut", day.plusDays(1).toString());
          params.put("guests", "1");
          String broken = pick(new ArrayList<>(params.keySet()));
          if (random.nextInt(4) == 0) {
            params.remove(broken);
          } else {
            params.put(broken, pick(broken.equals("guests") ? badNumbers() : badDates()));
          }
          path = "/availability?" + query(params);
        }
        case 3 -> {
          kind = "q-reservation";
          path = "/reservations/" + pick(BAD_PATH_IDS);
        }
        case 4 -> {
          kind = "q-mine";
          Map<String, String> params = new LinkedHashMap<>();
          if (random.nextBoolean()) {
            params.put("limit", pick(badNumbers()));
          }
          params.put("cursor", pick(badCursors()));
          path = "/me/reservations?" + query(params);
        }
        case 5 -> {
          kind = "q-occupancy";
          Map<String, String> params = new LinkedHashMap<>();
          params.put("from", day.toString());
          params.put("to", day.plusDays(2).toString());
          String broken = pick(List.of("from", "to"));
          params.put(broken, pick(badDates()));
          path = "/hotels/" + hotelId + "/occupancy?" + query(params);
          headers.put("Authorization", "Bearer " + admin);
        }
        case 6 -> {
          kind = "q-command";
          path = "/commands/" + pick(BAD_PATH_IDS);
        }
        case 7 -> {
          kind = "q-consistency";
          path =
              pick(
                  List.of(
                      "/hotels/" + hotelId,
                      "/reservations/" + reservationId,
                      "/me/reservations",
                      "/hotels?city=Fuzzville"));
          headers.put("Authorization", "Bearer " + owner);
          headers.put("X-Consistency-Token", pick(badConsistencyTokens()));
        }
        default -> {
          kind = "q-method";
          String method = pick(List.of("PUT", "DELETE", "PATCH", "OPTIONS"));
          return new Fuzz(
              kind,
              method,
              pick(List.of("/hotels", "/reservations/" + reservationId, "/nowhere", "/hotels/")),
              headers,
              new byte[0],
              null);
        }
      }
      return new Fuzz(kind, "GET", path, headers, new byte[0], null);
    }

    private List<String> badText() {
      return List.of(
          "",
          " ",
          "x".repeat(101),
          "a\u0000b",
          "\u0007",
          "\ud800",
          "é\u202e",
          MARKER,
          "%",
          "a&b=c",
          "Fuzzville\n");
    }

    private List<String> badNumbers() {
      return List.of(
          "",
          "0",
          "-1",
          "101",
          "1.0",
          "1e2",
          "+2",
          "0x2",
          "abc",
          "99999999999999999999",
          "２",
          " 2",
          "2 ",
          "NaN");
    }

    private List<String> badDates() {
      return List.of(
          "",
          "2026-02-30",
          "2026-13-01",
          "20260101",
          "2026-1-1",
          "tomorrow",
          day.minusDays(1000).toString(),
          day.plusDays(400).toString(),
          "+2026-01-01",
          "２０２６-01-01");
    }

    private List<String> badCursors() {
      String b64 =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  ("{\"pk\":\"x\",\"" + MARKER + "\":1}").getBytes(StandardCharsets.UTF_8));
      return List.of(
          "",
          "x",
          "!!!",
          b64,
          b64 + "A",
          "A".repeat(5_000),
          "%00",
          "e30",
          Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0, 1}),
          "null");
    }

    private List<String> badConsistencyTokens() {
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      Supplier<String> raw =
          () ->
              "ct1."
                  + url.encodeToString(
                      pick(List.of(
                              "hotel#a",
                              "x@1",
                              "hotel#a@0",
                              "hotel#a@-5",
                              "hotel#a@99999999999999999999",
                              "hotel#a@1.5",
                              "hotel a@3",
                              "@",
                              ""))
                          .getBytes(StandardCharsets.UTF_8));
      return List.of(
          "x",
          "ct1.",
          "ct1.!!!",
          "ct2.aGk",
          raw.get(),
          raw.get(),
          "ct1." + "A".repeat(400),
          MARKER,
          "ct1.%%%",
          "ct1.=");
    }

    private static String query(Map<String, String> params) {
      List<String> pairs = new ArrayList<>();
      params.forEach((k, v) -> pairs.add(enc(k) + "=" + enc(v)));
      return String.join("&", pairs);
    }

    private static String enc(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
  }

  /** A JSON string literal; lone surrogates and control characters become escapes. */
  static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static String json(Map<String, String> fields) {
    StringBuilder b = new StringBuilder("{");
    fields.forEach(
        (k, v) -> b.append(b.length() == 1 ? "" : ",").append(str(k)).append(':').append(v));
    return b.append('}').toString();
  }
}
