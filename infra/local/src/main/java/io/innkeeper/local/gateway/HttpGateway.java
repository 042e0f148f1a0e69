package io.innkeeper.local.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.innkeeper.local.gateway.ApiGatewayEvents.MalformedRequest;
import io.innkeeper.local.gateway.Reply.Header;
import io.innkeeper.local.gateway.RouteTable.Matched;
import io.innkeeper.local.lambda.FunctionInvoker;
import io.innkeeper.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local stand-in for API Gateway: an HTTP API with a JWT authorizer in front of the topology's
 * functions, all in this JVM.
 *
 * <p>Each request is routed by the topology's routes, throttled per route when a rate limit is set
 * (as an HTTP API stage's default route throttling applies to each route), authorized when the
 * route requires it, turned into a payload format 2.0 event and handed to the {@link
 * FunctionInvoker}; the function's {@code APIGatewayV2HTTPResponse} becomes the HTTP response.
 *
 * <p>Errors the gateway makes itself have the shape API Gateway's HTTP API gives its own: {@code
 * {"message": "..."}} without a content type. {@code 404 Not Found} for an unknown route, and for a
 * known path with a method it has no route for (an HTTP API routes by method and path together);
 * {@code 401 Unauthorized} with {@code www-authenticate} for a missing or refused token; {@code 429
 * Too Many Requests}; {@code 500 Internal Server Error} for a function that failed, timed out or
 * answered too much or malformed; {@code 503 Service Unavailable} when the function does not answer
 * within the 30 s integration timeout. A body over API Gateway's 10 MB is refused as API Gateway's
 * front end refuses it (413, plain text). Every response carries an {@code apigw-requestid} header,
 * the same id the function saw as {@code requestContext.requestId}.
 *
 * <p>Besides the topology's routes it serves {@code POST /_local/tokens}, which signs tokens with
 * the given {@link TokenIssuer} so that local clients can authenticate.
 *
 * <p>Requests are served in parallel on a bounded pool of threads. Tokens and bodies are never
 * logged.
 */
public final class HttpGateway implements AutoCloseable {

  /** API Gateway's payload limit; the API's own 64 KiB limit is the functions' business. */
  static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** API Gateway's limit on the request line and header values combined. */
  static final int MAX_REQUEST_HEAD_BYTES = 10 * 1024;

  static {
    // The JDK server leaves Nagle's algorithm on; with the client's delayed ACKs every small
    // response then waits ~40 ms for its last segment. Read once, when the server's configuration
    // loads, so it must be set before the first HttpServer of the JVM is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final int THREADS = 32;
  private static final String LOCAL_PREFIX = "/_local/";
  private static final System.Logger LOG = System.getLogger(HttpGateway.class.getName());

  private final RouteTable routes;
  private final FunctionInvoker invoker;
  private final TokenIssuer tokens;
  private final TokenEndpoint tokenEndpoint;
  private final String host;
  private final int requestedPort;
  private final Clock clock = Clock.systemUTC();
  private final RateLimit rateLimit;
  private final java.util.function.LongSupplier nanoTime;

  /** One bucket per route: a stage's default route throttling applies to each route alone. */
  private final Map<String, TokenBucket> buckets = new java.util.concurrent.ConcurrentHashMap<>();

  /** API Gateway's integration timeout for HTTP APIs: 30 s, the most it allows. */
  public static final java.time.Duration INTEGRATION_TIMEOUT = java.time.Duration.ofSeconds(30);

  private volatile java.time.Duration integrationTimeout = INTEGRATION_TIMEOUT;

  /** Runs invocations, so the gateway can stop waiting at the integration timeout. */
  private final ExecutorService invocations =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "innkeeper-gateway-invoke");
            t.setDaemon(true);
            return t;
          });

  private final Map<String, java.util.function.Supplier<Object>> localReads =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Map<String, com.sun.net.httpserver.HttpHandler> localPages =
      new java.util.concurrent.ConcurrentHashMap<>();

  private HttpServer server;
  private ExecutorService executor;

  /**
   * A gateway for every HTTP route of {@code topology}; nothing listens until {@link #start}.
   *
   * @param host the address to bind, normally {@code 127.0.0.1}
   * @param port the port, {@code 0} for any free port
   * @throws IllegalArgumentException when the topology has duplicate or malformed routes
   */
  public HttpGateway(
      Topology topology, FunctionInvoker invoker, TokenIssuer tokens, String host, int port) {
    this(topology, invoker, tokens, host, port, null);
  }

  /**
   * A gateway as above that throttles the API's routes to {@code rateLimit} ({@code null} for no
   * throttling); the local runtime's own {@code /_local/} paths are never throttled.
   */
  public HttpGateway(
      Topology topology,
      FunctionInvoker invoker,
      TokenIssuer tokens,
      String host,
      int port,
      RateLimit rateLimit) {
    this(topology, invoker, tokens, host, port, rateLimit, System::nanoTime);
  }

  HttpGateway(
      Topology topology,
      FunctionInvoker invoker,
      TokenIssuer tokens,
      String host,
      int port,
      RateLimit rateLimit,
      java.util.function.LongSupplier nanoTime) {
    this.rateLimit = rateLimit;
    this.nanoTime = nanoTime;
    this.routes = new RouteTable(topology.routes());
    this.invoker = Objects.requireNonNull(invoker);
    this.tokens = Objects.requireNonNull(tokens);
    this.tokenEndpoint = new TokenEndpoint(tokens);
    this.host = Objects.requireNonNull(host);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.requestedPort = port;
  }

  /**
   * How long the gateway waits for a function before it answers 503 (API Gateway: 30 s, the default
   * here); tests set it shorter rather than wait half a minute.
   */
  public HttpGateway integrationTimeout(java.time.Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the integration timeout must be positive");
    }
    this.integrationTimeout = timeout;
    return this;
  }

  /** Binds and starts serving. */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "innkeeper-gateway-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    HttpServer created;
    try {
      created =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), requestedPort), 0);
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      throw e;
    }
    created.createContext("/", this::handle);
    localPages.forEach(created::createContext);
    created.setExecutor(pool);
    created.start();
    this.executor = pool;
    this.server = created;
  }

  /**
   * Serves {@code GET path} (a {@code /_local/...} path outside the API) with the object that
   * {@code body} supplies at the time of the request, as JSON, without a token: for the local
   * runtime's own introspection, never for API routes.
   */
  public void serveLocalRead(String path, java.util.function.Supplier<Object> body) {
    if (!path.startsWith("/_local/") || path.equals(TokenEndpoint.PATH)) {
      throw new IllegalArgumentException("not a local path: " + path);
    }
    localReads.put(path, Objects.requireNonNull(body));
  }

  /**
   * Hands every request under {@code prefix} (a {@code /_local/...} path outside the API) to {@code
   * handler} as it is: for the local runtime's own pages, such as the console, which stream their
   * answers. Never for API routes: nothing of API Gateway's (throttling, authorizer, request ids)
   * applies there.
   */
  public synchronized void serveLocal(String prefix, com.sun.net.httpserver.HttpHandler handler) {
    if (!prefix.startsWith(LOCAL_PREFIX) || prefix.equals(TokenEndpoint.PATH)) {
      throw new IllegalArgumentException("not a local path: " + prefix);
    }
    localPages.put(prefix, Objects.requireNonNull(handler));
    if (server != null) {
      server.createContext(prefix, handler);
    }
  }

  /** The routes this gateway serves, each with its function and whether it needs a token. */
  public List<io.innkeeper.topology.Topology.RouteBinding> routes() {
    return routes.bindings();
  }

  /** The bound port (the actual one when started with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress().getPort();
  }

  /** Stops listening and ends the worker threads; calling it again does nothing. */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    invocations.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
    executor = null;
  }

  private void handle(HttpExchange exchange) {
    String requestId = newRequestId();
    try (exchange) {
      Reply reply;
      try {
        reply = respond(exchange, requestId);
      } catch (IOException e) {
        // The client went away while sending; there is nobody left to answer.
        LOG.log(Level.DEBUG, "request {0}: reading the request failed: {1}", requestId, e);
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "request " + requestId + ": gateway failure", e);
        reply = internalError();
      }
      send(exchange, requestId, reply);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "request {0}: writing the response failed: {1}", requestId, e);
    }
  }

  private Reply respond(HttpExchange exchange, String requestId) throws IOException {
    Instant received = clock.instant();
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    if (headSize(exchange) > MAX_REQUEST_HEAD_BYTES) {
      // API Gateway documents the 10 KiB limit but not its answer: the status that says so, in
      // the shape of its own errors.
      return Reply.aws(431, "Request Header Fields Too Large").closingConnection();
    }
    if (declaredLength(exchange) > MAX_BODY_BYTES) {
      return tooLarge();
    }
    String rawPath = uri.getRawPath();
    String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    if (TokenEndpoint.PATH.equals(rawPath)) {
      if (!method.equals("POST")) {
        return Reply.problem(
            405, "Use POST for this resource.", null, List.of(new Header("Allow", "POST")));
      }
      Optional<byte[]> body = readBody(exchange);
      return body.isEmpty() ? tooLarge() : tokenEndpoint.handle(body.get());
    }
    java.util.function.Supplier<Object> localRead = localReads.get(rawPath);
    if (localRead != null) {
      if (!method.equals("GET")) {
        return Reply.problem(
            405, "Use GET for this resource.", null, List.of(new Header("Allow", "GET")));
      }
      return Reply.json(200, localRead.get());
    }
    RouteTable.Result match = routes.match(method, rawPath);
    // An HTTP API routes by method and path together: a path it serves with another method
    // matches no route, and is the same 404 as an unknown path.
    if (!(match instanceof Matched matched)) {
      return Reply.aws(404, "Not Found");
    }
    String routeKey = matched.binding().route().routeKey();
    if (rateLimit != null
        && buckets.computeIfAbsent(routeKey, k -> new TokenBucket(rateLimit, nanoTime)).tryAcquire()
            > 0) {
      return Reply.aws(429, "Too Many Requests");
    }
    Map<String, String> claims = null;
    if (matched.binding().route().authenticated()) {
      Optional<String> bearer = bearerToken(exchange.getRequestHeaders());
      if (bearer.isEmpty()) {
        // RFC 6750: a request without credentials gets the challenge without an error code.
        return unauthorized("Bearer");
      }
      TokenIssuer.Verification verified = tokens.check(bearer.get());
      if (verified.claims() == null) {
        return unauthorized(
            "Bearer scope=\"\" error=\"invalid_token\" error_description=\""
                + verified.refusal()
                + "\"");
      }
      claims = verified.claims();
    }
    Optional<byte[]> body = readBody(exchange);
    if (body.isEmpty()) {
      return tooLarge();
    }
    String functionId = matched.binding().function().id();
    String eventJson;
    try {
      Map<String, String> pathParameters = new LinkedHashMap<>();
      for (Map.Entry<String, String> raw : matched.rawPathParameters().entrySet()) {
        pathParameters.put(raw.getKey(), ApiGatewayEvents.decodePathSegment(raw.getValue()));
      }
      eventJson =
          ApiGatewayEvents.eventJson(
              new ApiGatewayEvents.Request(
                  method,
                  rawPath,
                  rawQuery,
                  exchange.getProtocol(),
                  exchange.getRemoteAddress().getAddress().getHostAddress(),
                  exchange.getLocalAddress().getPort(),
                  exchange.getRequestHeaders(),
                  body.get(),
                  routeKey,
                  pathParameters,
                  claims,
                  requestId,
                  received));
    } catch (MalformedRequest e) {
      return Reply.aws(400, "Bad Request");
    }
    String responseJson;
    String event = eventJson;
    java.util.concurrent.Future<String> invocation =
        invocations.submit(() -> invoker.invoke(functionId, event));
    try {
      responseJson = invocation.get(integrationTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // The function runs on (Lambda does not stop it); only the gateway stops waiting.
      LOG.log(
          Level.ERROR,
          "request {0}: {1} -> function {2} did not answer within the integration timeout",
          requestId,
          routeKey,
          functionId);
      return Reply.aws(503, "Service Unavailable");
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.log(
          Level.ERROR,
          "request " + requestId + ": " + routeKey + " -> function " + functionId + " failed",
          e.getCause());
      return internalError();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return internalError();
    }
    Optional<Reply> reply = HandlerResponses.toReply(responseJson);
    if (reply.isEmpty()) {
      LOG.log(
          Level.ERROR,
          "request {0}: {1} -> function {2} returned a malformed response",
          requestId,
          routeKey,
          functionId);
      return internalError();
    }
    return reply.get();
  }

  // The same words for every failure, as API Gateway's: the cause is in the log, never the answer.
  private static Reply internalError() {
    return Reply.aws(500, "Internal Server Error");
  }

  private static Reply unauthorized(String challenge) {
    return Reply.aws(401, "Unauthorized", List.of(new Header("www-authenticate", challenge)));
  }

  /**
   * A body over API Gateway's 10 MB: refused by its front end before any route, in plain text, as
   * captured from a deployed API ({@code HTTP content length exceeded 10485760 bytes.}).
   */
  private static Reply tooLarge() {
    // The rest of the body stays unread, so the connection cannot carry another request.
    return new Reply(
            413,
            List.of(new Header("Content-Type", "text; charset=utf-8")),
            ("HTTP content length exceeded " + MAX_BODY_BYTES + " bytes.")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            false)
        .closingConnection();
  }

  private static Optional<String> bearerToken(Headers headers) {
    List<String> values = headers.get("Authorization");
    if (values == null || values.size() != 1) {
      return Optional.empty();
    }
    String value = values.get(0).strip();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
      return Optional.empty();
    }
    String token = value.substring(space + 1).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /** Reads the body, or empty when it is larger than {@link #MAX_BODY_BYTES}. */
  private static Optional<byte[]> readBody(HttpExchange exchange) throws IOException {
    if (declaredLength(exchange) > MAX_BODY_BYTES) {
      return Optional.empty();
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      return body.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(body);
    }
  }

  // A chunked body declares no length; the server has already refused unparseable ones.
  private static long declaredLength(HttpExchange exchange) {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared == null) {
      return -1;
    }
    try {
      return Long.parseLong(declared.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int headSize(HttpExchange exchange) {
    long size =
        exchange.getRequestMethod().length()
            + exchange.getRequestURI().toString().length()
            + exchange.getProtocol().length();
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      for (String value : header.getValue()) {
        size += header.getKey().length() + value.length() + 4;
      }
    }
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  private static void send(HttpExchange exchange, String requestId, Reply reply)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    for (Header header : reply.headers()) {
      headers.add(header.name(), header.value());
    }
    headers.set("apigw-requestid", requestId);
    if (reply.closeConnection()) {
      headers.set("Connection", "close");
    }
    boolean bodyless =
        reply.body().length == 0
            || reply.status() == 204
            || reply.status() == 304
            || exchange.getRequestMethod().toUpperCase(Locale.ROOT).equals("HEAD");
    exchange.sendResponseHeaders(reply.status(), bodyless ? -1 : reply.body().length);
    if (!bodyless) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }

  // Shaped like API Gateway's ids (16 base64 characters); unique enough to correlate logs.
  private static String newRequestId() {
    byte[] bytes = new byte[11];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
