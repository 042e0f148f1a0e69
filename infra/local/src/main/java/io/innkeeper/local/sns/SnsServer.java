package io.innkeeper.local.sns;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.innkeeper.local.Log;
import io.innkeeper.ops.LocalAws;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local SNS endpoint: a {@link LocalSns} served over HTTP on its own port, in the AWS Query
 * protocol the AWS SDKs and CLI send to SNS. Requests are not authenticated (any access key and
 * signature are accepted, as by the other local emulators).
 */
public final class SnsServer implements AutoCloseable {

  static {
    // As in HttpGateway: the JDK server reads this once, when the first HttpServer of the JVM is
    // made, and the emulators start before the gateway. Without it every answer waits ~40 ms for
    // the client's delayed ACK.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Well above SNS's 256 KiB message limit with its form encoding; larger bodies are refused. */
  private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  private static final int THREADS = 16;
  private static final Log LOG = Log.of("sns");

  private final HttpServer server;
  private final ExecutorService executor;
  private final LocalSns bus;
  private final SnsApi api;
  private final URI endpoint;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private SnsServer(HttpServer server, ExecutorService executor, LocalSns bus, URI endpoint) {
    this.server = server;
    this.executor = executor;
    this.bus = bus;
    this.api = new SnsApi(bus);
    this.endpoint = endpoint;
  }

  /**
   * Binds {@code host:port} ({@code 0} for any free port) and serves a new bus that delivers
   * through {@code sqs}.
   */
  public static SnsServer start(SqsClient sqs, String host, int port, LocalSns.Options options)
      throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
    URI endpoint = URI.create("http://" + host + ":" + http.getAddress().getPort());
    LocalSns bus;
    try {
      bus = new LocalSns(sqs, endpoint, options);
    } catch (RuntimeException e) {
      http.stop(0);
      throw e;
    }
    AtomicInteger threadNumber = new AtomicInteger();
    // Publishes wait for their deliveries, so a publisher's threads are held here meanwhile.
    ExecutorService pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "sns-endpoint-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    SnsServer server = new SnsServer(http, pool, bus, endpoint);
    http.createContext("/", server::handle);
    http.setExecutor(pool);
    http.start();
    return server;
  }

  /**
   * An SQS client for the bus's deliveries: the runtime's identity, the url-connection HTTP client,
   * and no SDK retries, since the bus retries on its own (SNS's way, with its own budget).
   */
  public static SqsClient deliveryClient(URI sqsEndpoint) {
    return SqsClient.builder()
        .endpointOverride(sqsEndpoint)
        .region(Region.of(LocalAws.REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** The endpoint's base URL, e.g. {@code http://127.0.0.1:40123}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The bus behind the endpoint, for the runtime's own use. */
  public LocalSns bus() {
    return bus;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
      SnsApi.Response response;
      if (body.length > MAX_BODY_BYTES) {
        byte[] xml =
            QueryXml.error(
                new SnsException(
                    "RequestEntityTooLarge", 413, true, "The request body is too large."),
                "none");
        response = new SnsApi.Response(413, "text/xml", xml, "none");
      } else {
        URI uri = exchange.getRequestURI();
        response =
            api.handle(
                exchange.getRequestMethod(),
                uri.getPath(),
                uri.getRawQuery(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                body);
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.getResponseHeaders().set("x-amzn-RequestId", response.requestId());
      exchange.sendResponseHeaders(response.status(), response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("the local SNS endpoint could not answer a request", e);
      throw e;
    }
  }

  /** Stops listening, then stops the bus's deliveries. Safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    bus.close();
  }
}
