package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.aws.SdkSettings;
import io.innkeeper.core.aws.UnprocessedRetries;
import io.innkeeper.core.eventstore.DynamoEventStore;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowConflictException;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowWrite;
import io.innkeeper.local.chaos.Chaos;
import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.ops.LocalAws;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The functions' stores on DynamoDB Local with AWS's partial and refused answers injected into the
 * calls they make (the chaos interceptor, bound here as a function invocation binds it), through a
 * client configured as the functions configure theirs: what DynamoDB leaves unprocessed is asked
 * for again with backoff and in the end given up on, and what a transaction refuses is retried,
 * with the answer the same as without the faults.
 */
class StoreFaultsIT {
  private static DynamoDbClient ddb;
  private static String events;
  private static String hotels;
  private static String commands;

  @BeforeAll
  static void clients() {
    LocalRuntime runtime = SharedRuntime.get();
    URI endpoint = runtime.dynamoDbEndpoint();
    ddb =
        DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(LocalAws.REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(SdkSettings.DEFAULT.overrides())
            .build();
    events = runtime.tableName("events");
    hotels = runtime.tableName("hotels");
    commands = runtime.tableName("commands");
  }

  private static <T> T under(Chaos chaos, Callable<T> call) throws Exception {
    return Chaos.during(chaos, call);
  }

  private static Chaos chaos(String spec) {
    return new Chaos(ChaosConfig.parse(spec));
  }

  /** Rows in the hotels table under a partition of this test's own. */
  private static List<RowKey> rows(int n) {
    String pk = "store-faults-" + UUID.randomUUID();
    DynamoRowStore store = new DynamoRowStore(ddb);
    List<RowKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RowKey key = new RowKey(hotels, pk, String.format("r%03d", i));
      store.commit(List.of(new RowWrite(key, Map.of("n", (long) i), 0)));
      keys.add(key);
    }
    return keys;
  }

  @Test
  void rows_read_in_part_are_asked_for_again_until_every_one_is_read() throws Exception {
    List<RowKey> keys = rows(150);
    DynamoRowStore store = new DynamoRowStore(ddb);
    Map<RowKey, Row> calm = store.get(keys, true);
    Chaos chaos = chaos("seed=3,unprocessed-keys=0.5");

    Map<RowKey, Row> read = under(chaos, () -> store.get(keys, true));

    assertEquals(calm, read);
    assertTrue(chaos.injected().get(Fault.UNPROCESSED_KEYS) > 0);
  }

  @Test
  void the_event_store_asks_again_too_and_gives_up_after_its_rounds_when_dynamodb_never_finishes()
      throws Exception {
    DynamoEventStore store = DynamoEventStore.reading(ddb, events);
    List<String> streams = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      streams.add("store-faults#" + UUID.randomUUID());
    }
    EventStore.Snapshots calm = store.loadMany(streams, List.of());
    Chaos sometimes = chaos("seed=4,unprocessed-keys=0.5");
    assertEquals(calm, under(sometimes, () -> store.loadMany(streams, List.of())));

    Chaos always = chaos("seed=4,unprocessed-keys=1");
    Exception e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                assertThrows(
                    UnprocessedRetries.Incomplete.class,
                    () -> under(always, () -> store.loadMany(streams, List.of()))));
    assertTrue(e.getMessage().contains("after " + UnprocessedRetries.MAX_ROUNDS + " rounds"));
    assertEquals(
        (long) UnprocessedRetries.MAX_ROUNDS,
        always.injected().get(Fault.UNPROCESSED_KEYS),
        "asked again, round after round, then gave up");
  }

  @Test
  void rows_a_transaction_holds_are_written_once_it_lets_go() throws Exception {
    DynamoRowStore store = new DynamoRowStore(ddb);
    RowKey key = new RowKey(hotels, "store-faults-" + UUID.randomUUID(), "held");
    Chaos sometimes = chaos("seed=6,transaction-conflict=0.5");

    under(
        sometimes,
        () -> {
          store.commit(List.of(new RowWrite(key, Map.of("n", 1L), 0)));
          store.commit(List.of(new RowWrite(key, Map.of("n", 2L), 1)));
          return null;
        });

    assertEquals(2L, store.get(key, true).orElseThrow().number("n", 0));
    assertTrue(sometimes.injected().get(Fault.TRANSACTION_CONFLICT) > 0);

    // Held through every attempt: read again and retry, as for a row that moved.
    Chaos always = chaos("seed=6,transaction-conflict=1");
    Exception e =
        assertThrows(
            RowConflictException.class,
            () ->
                under(
                    always,
                    () -> {
                      store.commit(List.of(new RowWrite(key, Map.of("n", 3L), 2)));
                      return null;
                    }));
    assertInstanceOf(RowConflictException.class, e);
  }

  @Test
  void a_transaction_cancelled_by_throttling_is_retried_and_takes_effect_once() throws Exception {
    DynamoEventStore store = new DynamoEventStore(ddb, events, commands);
    String stream = "store-faults#" + UUID.randomUUID();
    Chaos chaos = chaos("seed=8,throttled-transaction=0.5");

    var outcome =
        under(
            chaos,
            () ->
                store.append(
                    new EventStore.Append(
                        stream,
                        0,
                        List.of(new EventStore.NewEvent("Probe", 1, "{}")),
                        "{}",
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        List.of(),
                        null,
                        new EventStore.Completion(
                            "Probe", "store-faults", Instant.now(), "t", Instant.now(), false))));

    assertInstanceOf(EventStore.AppendOutcome.Appended.class, outcome);
    assertEquals(1, store.load(stream).version());
  }

  @Test
  void a_batch_write_done_in_part_is_sent_again_until_done() throws Exception {
    List<RowKey> keys = rows(60);
    String table = hotels;
    DynamoRowStore store = new DynamoRowStore(ddb);
    Chaos chaos = chaos("seed=9,unprocessed-items=0.7");
    // clear() is the only batch write: it empties a table. Here, a table of this test's own.
    String scratch = "store-faults-" + UUID.randomUUID();
    ddb.createTable(
        b ->
            b.tableName(scratch)
                .billingMode(
                    software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder()
                        .attributeName("pk")
                        .attributeType("S")
                        .build(),
                    software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder()
                        .attributeName("sk")
                        .attributeType("S")
                        .build())
                .keySchema(
                    software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder()
                        .attributeName("pk")
                        .keyType("HASH")
                        .build(),
                    software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder()
                        .attributeName("sk")
                        .keyType("RANGE")
                        .build()));
    for (RowKey key : keys) {
      store.commit(
          List.of(new RowWrite(new RowKey(scratch, key.pk(), key.sk()), Map.of("n", 1L), 0)));
    }

    under(
        chaos,
        () -> {
          store.clear(scratch);
          return null;
        });

    List<Row> left = new ArrayList<>();
    store.scan(scratch, left::add);
    assertEquals(List.of(), left);
    assertTrue(chaos.injected().get(Fault.UNPROCESSED_ITEMS) > 0);
    assertTrue(table.length() > 0);
  }
}
