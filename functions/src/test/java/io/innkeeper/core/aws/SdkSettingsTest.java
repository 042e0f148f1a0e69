package io.innkeeper.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The timeouts and retries every function's clients get, against a stub that answers as DynamoDB
 * does (its JSON protocol, its error bodies) and can stall: what the SDK does with each answer is
 * the SDK's own behaviour, observed, not assumed.
 */
class SdkSettingsTest {
  private static final String OK = "{}";

  /** What the stub does with each request, in order; the last one repeats. */
  private final Deque<Answer> script = new ArrayDeque<>();

  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  private record Answer(long stallMillis, int status, String body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          Answer a;
          synchronized (script) {
            a = script.size() > 1 ? script.pollFirst() : script.peekFirst();
          }
          try {
            Thread.sleep(a.stallMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.getResponseHeaders().add("x-amzn-RequestId", "stub");
          try {
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
          } catch (IOException gone) {
            // The client abandoned the attempt: what an attempt timeout does.
          }
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private DynamoDbClient client(SdkSettings settings) {
    return DynamoDbClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(settings.overrides())
        .build();
  }

  private static String error(String type, String message) {
    return "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
        + type
        + "\",\"message\":\""
        + message
        + "\"}";
  }

  private static String cancelled(String... codes) {
    StringBuilder reasons = new StringBuilder();
    for (String code : codes) {
      reasons
          .append(reasons.isEmpty() ? "" : ",")
          .append("{\"Code\":\"")
          .append(code)
          .append("\"}");
    }
    return "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
        + "\"message\":\"Transaction cancelled, please refer cancellation reasons for specific"
        + " reasons\",\"CancellationReasons\":["
        + reasons
        + "]}";
  }

  /**
   * Attempts of 1.5 s: long enough that a cold JVM's first request (class loading, a first
   * connection) never times out by itself and turns into a retry the test did not ask for.
   */
  private static final SdkSettings FAST =
      new SdkSettings(Duration.ofMillis(1500), Duration.ofSeconds(10), 3);

  @Test
  void a_stalled_attempt_is_abandoned_at_the_attempt_timeout_and_retried() {
    script.add(new Answer(8000, 200, OK));
    script.add(new Answer(0, 200, OK));
    long started = System.nanoTime();
    try (DynamoDbClient ddb = client(FAST)) {
      ddb.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("k"))));
    }
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertEquals(2, requests.get());
    assertTrue(millis < 8000, "the call waited " + millis + " ms, not out the 8 s stall");
  }

  @Test
  void a_call_gives_up_at_the_call_timeout_however_many_attempts_are_left() {
    script.add(new Answer(3000, 200, OK));
    SdkSettings settings = new SdkSettings(Duration.ofMillis(2000), Duration.ofMillis(2500), 10);
    long started = System.nanoTime();
    try (DynamoDbClient ddb = client(settings)) {
      assertThrows(
          ApiCallTimeoutException.class,
          () -> ddb.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("k")))));
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis < 20_000, "gave up after " + millis + " ms, not after 10 stalled attempts");
  }

  @Test
  void a_transaction_cancelled_only_by_throttling_is_retried_as_it_is() {
    script.add(new Answer(0, 400, cancelled("None", "ThrottlingError")));
    script.add(new Answer(0, 200, OK));
    try (DynamoDbClient ddb = client(FAST)) {
      ddb.transactWriteItems(
          b ->
              b.transactItems(
                  TransactWriteItem.builder()
                      .put(p -> p.tableName("t").item(Map.of("pk", AttributeValue.fromS("k"))))
                      .build()));
    }
    assertEquals(2, requests.get());
  }

  @Test
  void a_single_item_write_on_an_item_held_by_a_transaction_is_retried() {
    script.add(new Answer(0, 400, error("TransactionConflictException", "Transaction is ongoing")));
    script.add(new Answer(0, 200, OK));
    try (DynamoDbClient ddb = client(FAST)) {
      ddb.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS("k"))));
    }
    assertEquals(2, requests.get());
  }

  @Test
  void a_transaction_cancelled_by_a_condition_is_the_callers_to_decide_and_not_retried() {
    script.add(new Answer(0, 400, cancelled("None", "ConditionalCheckFailed")));
    try (DynamoDbClient ddb = client(FAST)) {
      assertThrows(
          TransactionCanceledException.class,
          () ->
              ddb.transactWriteItems(
                  b ->
                      b.transactItems(
                          TransactWriteItem.builder()
                              .put(
                                  p ->
                                      p.tableName("t")
                                          .item(Map.of("pk", AttributeValue.fromS("k"))))
                              .build())));
    }
    assertEquals(1, requests.get());
  }

  @Test
  void throttling_is_retried_up_to_the_attempts_set_and_no_more() {
    script.add(
        new Answer(
            0, 400, error("ProvisionedThroughputExceededException", "Rate of requests exceeds")));
    try (DynamoDbClient ddb = client(FAST)) {
      assertThrows(
          software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException
              .class,
          () -> ddb.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("k")))));
    }
    assertEquals(3, requests.get());
  }

  @Test
  void the_environment_sets_them_and_the_defaults_end_a_call_well_within_any_function() {
    assertEquals(SdkSettings.DEFAULT, SdkSettings.fromEnvironment());
    assertTrue(SdkSettings.DEFAULT.callTimeout().compareTo(Duration.ofSeconds(5)) <= 0);
    assertThrows(
        IllegalArgumentException.class,
        () -> new SdkSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SdkSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), 0));
  }
}
