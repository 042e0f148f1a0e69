package io.innkeeper.local.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.aws.SdkSettings;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The AWS fault interceptors against a stub HTTP server: SDK clients built as the functions build
 * theirs (their timeouts and retry strategy, {@link SdkSettings#DEFAULT}; no interceptor
 * configured: the SDK finds these through the global interceptor list on the classpath). The stub
 * answers every request {@code {}} with DynamoDB's CRC32 header and keeps what reached it.
 */
class ChaosInterceptorTest {

  private final List<String> transmitted = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final SdkHttpClient stub =
      new SdkHttpClient() {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
          return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
              transmitted.add(request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(""));
              request
                  .contentStreamProvider()
                  .ifPresent(
                      p -> {
                        try (var in = p.newStream()) {
                          bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        } catch (java.io.IOException e) {
                          throw new java.io.UncheckedIOException(e);
                        }
                      });
              byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
              CRC32 crc = new CRC32();
              crc.update(body);
              return HttpExecuteResponse.builder()
                  .response(
                      SdkHttpResponse.builder()
                          .statusCode(200)
                          .putHeader("Content-Type", "application/x-amz-json-1.0")
                          .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
                          .putHeader("x-amzn-RequestId", "STUB")
                          .build())
                  .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                  .build();
            }

            @Override
            public void abort() {}
          };
        }

        @Override
        public void close() {}
      };

  private final DynamoDbClient ddb =
      DynamoDbClient.builder()
          .httpClient(stub)
          .endpointOverride(URI.create("http://localhost:1"))
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
          .overrideConfiguration(SdkSettings.DEFAULT.overrides())
          .build();

  @AfterEach
  void close() {
    ddb.close();
  }

  private void put() {
    ddb.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS("x"))));
  }

  private static Chaos chaos(String spec) {
    return new Chaos(ChaosConfig.parse(spec));
  }

  private static <T> T invoking(Chaos chaos, java.util.concurrent.Callable<T> body) {
    try {
      return DynamoDbChaosInterceptor.invoking(chaos, body);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first seed of {@code spec} whose first decisions on {@code fault} are {@code pattern}. */
  private static String seedWith(String spec, Fault fault, boolean... pattern) {
    for (long seed = 0; ; seed++) {
      Chaos probe = chaos("seed=" + seed + "," + spec);
      boolean match = true;
      for (boolean expected : pattern) {
        match &= probe.strikes(fault) == expected;
        if (fault == Fault.DYNAMODB_5XX && expected) {
          probe.nextInt(2);
        }
      }
      if (match) {
        return "seed=" + seed + "," + spec;
      }
    }
  }

  @Test
  void dormant_outside_an_invocation() {
    Chaos chaos = chaos("seed=1,dynamodb-throttle=1,dynamodb-5xx=1");
    put();
    assertEquals(1, transmitted.size());
    assertEquals(0L, chaos.injected().get(Fault.DYNAMODB_THROTTLE));
    assertEquals(0L, chaos.injected().get(Fault.DYNAMODB_5XX));
  }

  @Test
  void dormant_for_clients_other_than_dynamodb() {
    Chaos chaos = chaos("seed=1,dynamodb-throttle=1,dynamodb-5xx=1");
    try (DynamoDbStreamsClient streams =
        DynamoDbStreamsClient.builder()
            .httpClient(stub)
            .endpointOverride(URI.create("http://localhost:1"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build()) {
      invoking(chaos, () -> streams.listStreams(b -> b.limit(1)));
    }
    assertEquals(1, transmitted.size());
    assertEquals(
        0L,
        chaos.injected().get(Fault.DYNAMODB_THROTTLE) + chaos.injected().get(Fault.DYNAMODB_5XX));
  }

  @Test
  void a_throttle_is_a_throttling_error_before_transmission() {
    Chaos chaos = chaos("seed=1,dynamodb-throttle=1");
    try (DynamoDbClient once =
        DynamoDbClient.builder()
            .httpClient(stub)
            .endpointOverride(URI.create("http://localhost:1"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build()) {
      var e =
          assertThrows(
              ProvisionedThroughputExceededException.class,
              () ->
                  invoking(
                      chaos,
                      () ->
                          once.putItem(
                              b ->
                                  b.tableName("t").item(Map.of("pk", AttributeValue.fromS("x"))))));
      assertEquals(400, e.statusCode());
      assertEquals("ProvisionedThroughputExceededException", e.awsErrorDetails().errorCode());
      assertTrue(e.isThrottlingException(), "the SDK classes it as throttling");
      assertEquals(52, e.requestId().length());
    }
    assertEquals(0, transmitted.size(), "a throttled request does nothing");
  }

  @Test
  void the_sdk_retries_a_throttle_and_the_call_succeeds() {
    Chaos chaos = chaos(seedWith("dynamodb-throttle=0.5", Fault.DYNAMODB_THROTTLE, true, false));
    invoking(
        chaos,
        () -> ddb.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS("x")))));
    assertEquals(1L, chaos.injected().get(Fault.DYNAMODB_THROTTLE));
    assertEquals(1, transmitted.size(), "only the retry reached DynamoDB");
  }

  @Test
  void a_5xx_every_time_exhausts_the_sdks_attempts() {
    Chaos chaos = chaos("seed=3,dynamodb-5xx=1");
    var e =
        assertThrows(
            DynamoDbException.class,
            () ->
                invoking(
                    chaos,
                    () -> {
                      put();
                      return null;
                    }));
    assertEquals(500, e.statusCode());
    assertTrue(e instanceof InternalServerErrorException, e.toString());
    assertEquals("InternalServerError", e.awsErrorDetails().errorCode());
    assertEquals(
        SdkSettings.DEFAULT.maxAttempts(), e.numAttempts(), "the attempts the functions set");
    assertEquals(4L, chaos.injected().get(Fault.DYNAMODB_5XX));
    long after = chaos.variants().getOrDefault(DynamoDbChaosInterceptor.AFTER, 0L);
    long before = chaos.variants().getOrDefault(DynamoDbChaosInterceptor.BEFORE, 0L);
    assertEquals(4, after + before);
    assertTrue(after > 0 && before > 0, chaos.variants().toString());
    assertEquals(
        after, transmitted.size(), "a 500 after the write was transmitted, one before not");
  }

  @Test
  void a_5xx_after_the_write_is_retried_and_the_write_reaches_dynamodb_twice() {
    // Seeds where the first attempt gets a 500 and the retry goes through; which variant the 500
    // is comes from the same generator.
    int afterWrites = 0;
    int beforeWrites = 0;
    for (long seed = 0; afterWrites == 0 || beforeWrites == 0; seed++) {
      assertTrue(seed < 500, "no seed gave both variants");
      Chaos chaos = chaos("seed=" + seed + ",dynamodb-5xx=0.5");
      if (!strikesOnceThenNot(chaos)) {
        continue;
      }
      transmitted.clear();
      invoking(
          chaos,
          () -> {
            put();
            return null;
          });
      assertEquals(1L, chaos.injected().get(Fault.DYNAMODB_5XX));
      if (chaos.variants().containsKey(DynamoDbChaosInterceptor.AFTER)) {
        assertEquals(2, transmitted.size(), "the write and its retry both reached DynamoDB");
        afterWrites++;
      } else {
        assertEquals(1, transmitted.size(), "only the retry reached DynamoDB");
        beforeWrites++;
      }
    }
  }

  /** Whether {@code chaos}'s first two 5xx decisions are strike, then no strike (on a twin). */
  private static boolean strikesOnceThenNot(Chaos chaos) {
    Chaos twin = new Chaos(chaos.config());
    if (!twin.strikes(Fault.DYNAMODB_5XX)) {
      return false;
    }
    twin.nextInt(2);
    return !twin.strikes(Fault.DYNAMODB_5XX);
  }

  @Test
  void many_calls_under_frequent_5xx_all_succeed_through_the_sdk_retries() {
    Chaos chaos = chaos("seed=9,dynamodb-5xx=0.3");
    invoking(
        chaos,
        () -> {
          for (int i = 0; i < 60; i++) {
            put();
          }
          return null;
        });
    long injected = chaos.injected().get(Fault.DYNAMODB_5XX);
    long after = chaos.variants().getOrDefault(DynamoDbChaosInterceptor.AFTER, 0L);
    assertTrue(injected >= 10, "0.3 of 60+ attempts: " + injected);
    assertEquals(60 + after, transmitted.size());
    assertTrue(
        transmitted.stream().allMatch("DynamoDB_20120810.PutItem"::equals), transmitted.toString());
  }

  private static void run(Chaos chaos, Runnable call) {
    invoking(
        chaos,
        () -> {
          call.run();
          return null;
        });
  }

  @Test
  void a_transaction_conflict_refuses_single_item_writes_only_and_the_functions_retry_it() {
    Chaos always = chaos("seed=1,transaction-conflict=1");
    var e =
        assertThrows(
            software.amazon.awssdk.services.dynamodb.model.TransactionConflictException.class,
            () -> run(always, this::put));
    assertEquals(400, e.statusCode());
    assertEquals("TransactionConflictException", e.awsErrorDetails().errorCode());
    assertEquals(SdkSettings.DEFAULT.maxAttempts(), e.numAttempts(), "retried, as the SDK is set");
    assertEquals(0, transmitted.size(), "nothing written");
    run(always, () -> ddb.getItem(b -> b.tableName("t").key(Map.of("pk", s("x")))));
    assertEquals(1, transmitted.size(), "a read is no write a transaction could block");

    transmitted.clear();
    Chaos once =
        chaos(seedWith("transaction-conflict=0.5", Fault.TRANSACTION_CONFLICT, true, false));
    run(once, this::put);
    assertEquals(1, transmitted.size(), "the retry went through");
  }

  @Test
  void a_throttled_transaction_is_cancelled_with_one_throttling_reason_and_retried() {
    Chaos always = chaos("seed=2,throttled-transaction=1");
    var e =
        assertThrows(
            software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class,
            () -> run(always, this::transact));
    assertEquals("TransactionCanceledException", e.awsErrorDetails().errorCode());
    assertEquals(3, e.cancellationReasons().size(), "one reason per item");
    assertEquals(
        1,
        e.cancellationReasons().stream().filter(r -> "ThrottlingError".equals(r.code())).count());
    assertEquals(2, e.cancellationReasons().stream().filter(r -> "None".equals(r.code())).count());
    assertEquals(SdkSettings.DEFAULT.maxAttempts(), e.numAttempts());
    assertEquals(0, transmitted.size());

    Chaos once =
        chaos(seedWith("throttled-transaction=0.5", Fault.THROTTLED_TRANSACTION, true, false));
    run(once, this::transact);
    assertEquals(1, transmitted.size());
  }

  private void transact() {
    ddb.transactWriteItems(
        b ->
            b.transactItems(
                java.util.stream.IntStream.range(0, 3)
                    .mapToObj(
                        i ->
                            software.amazon.awssdk.services.dynamodb.model.TransactWriteItem
                                .builder()
                                .put(p -> p.tableName("t").item(Map.of("pk", s("k" + i))))
                                .build())
                    .toList()));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  @Test
  void unprocessed_keys_move_part_of_a_batch_get_to_unprocessed_keys() {
    Chaos always = chaos("seed=4,unprocessed-keys=1");
    List<Map<String, AttributeValue>> keys =
        java.util.stream.IntStream.range(0, 6).mapToObj(i -> Map.of("pk", s("k" + i))).toList();
    var answer =
        invoking(
            always,
            () ->
                ddb.batchGetItem(
                    b ->
                        b.requestItems(
                            Map.of(
                                "t",
                                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes
                                    .builder()
                                    .keys(keys)
                                    .consistentRead(true)
                                    .build()))));
    var unprocessed = answer.unprocessedKeys().get("t");
    assertTrue(unprocessed.keys().size() >= 1, "at least one key left unprocessed");
    assertTrue(keys.containsAll(unprocessed.keys()), "only keys that were asked for");
    assertTrue(unprocessed.consistentRead(), "asked again the way they were asked");
    assertEquals(1L, always.injected().get(Fault.UNPROCESSED_KEYS));
  }

  @Test
  void unprocessed_items_are_taken_out_of_the_batch_write_and_given_back() {
    Chaos always = chaos("seed=5,unprocessed-items=1");
    List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> writes =
        java.util.stream.IntStream.range(0, 5)
            .mapToObj(
                i ->
                    software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                        .putRequest(p -> p.item(Map.of("pk", s("w" + i))))
                        .build())
            .toList();
    var answer =
        invoking(always, () -> ddb.batchWriteItem(b -> b.requestItems(Map.of("t", writes))));
    int given = answer.unprocessedItems().get("t").size();
    assertTrue(given >= 1 && given <= 4, "some, not all: " + given);
    assertEquals(1, bodies.size());
    int sent = bodies.get(0).split("PutRequest", -1).length - 1;
    assertEquals(5, sent + given, "what was sent and what came back unprocessed is the batch");
    List<String> all = new java.util.ArrayList<>();
    answer.unprocessedItems().get("t").forEach(w -> all.add(w.putRequest().item().get("pk").s()));
    all.forEach(pk -> assertTrue(!bodies.get(0).contains("\"" + pk + "\""), pk + " was not sent"));
  }

  @Test
  void a_slow_call_stalls_an_attempt_until_the_attempt_timeout_cuts_it_and_the_retry_answers() {
    Chaos once =
        chaos(seedWith("slow-call=0.5,slow-call-millis=20000", Fault.SLOW_CALL, true, false));
    SdkSettings settings =
        new SdkSettings(java.time.Duration.ofMillis(800), java.time.Duration.ofSeconds(5), 3);
    try (DynamoDbClient timed =
        DynamoDbClient.builder()
            .httpClient(stub)
            .endpointOverride(URI.create("http://localhost:1"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .overrideConfiguration(settings.overrides())
            .build()) {
      long started = System.nanoTime();
      run(once, () -> timed.getItem(b -> b.tableName("t").key(Map.of("pk", s("x")))));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(millis >= 700 && millis < 20_000, "stalled " + millis + " ms, not the 20 s");
    }
    assertEquals(1L, once.injected().get(Fault.SLOW_CALL));
    assertEquals(1, transmitted.size(), "the stalled attempt was never sent");
    assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt does not leak");
  }

  @Test
  void sqs_throttles_send_message_only_and_the_sdk_retries_it_as_throttling() {
    try (software.amazon.awssdk.services.sqs.SqsClient sqs =
        software.amazon.awssdk.services.sqs.SqsClient.builder()
            .httpClient(stub)
            .endpointOverride(URI.create("http://localhost:1"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .overrideConfiguration(SdkSettings.DEFAULT.overrides())
            // The stub answers {}: no MD5 of the message to check.
            .checksumValidationEnabled(false)
            .build()) {
      Chaos always = chaos("seed=6,sqs-throttle=1");
      var e =
          assertThrows(
              software.amazon.awssdk.services.sqs.model.RequestThrottledException.class,
              () ->
                  run(always, () -> sqs.sendMessage(b -> b.queueUrl("http://q").messageBody("m"))));
      assertTrue(e.isThrottlingException(), "the SDK classes it as throttling");
      assertEquals(SdkSettings.DEFAULT.maxAttempts(), e.numAttempts());
      assertEquals(0, transmitted.size());
      run(
          always,
          () -> sqs.changeMessageVisibility(b -> b.queueUrl("http://q").receiptHandle("r")));
      assertEquals(1, transmitted.size(), "only the intake's sends are throttled");

      transmitted.clear();
      Chaos once = chaos(seedWith("sqs-throttle=0.5", Fault.SQS_THROTTLE, true, false));
      run(once, () -> sqs.sendMessage(b -> b.queueUrl("http://q").messageBody("m")));
      assertEquals(1, transmitted.size());
    }
  }
}
