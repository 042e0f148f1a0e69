package io.innkeeper.perf.bench;

import io.innkeeper.perf.Samples;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The ceiling: how fast the same DynamoDB Local serves, raw, the very requests our functions sent.
 * The requests are the meter's samples, replayed from as many threads as the load had clients, with
 * nothing else of Innkeeper in the way.
 *
 * <p>Writes go to scratch copies of the tables they name (same keys, same stream) so the projector
 * never sees them ({@link Scratch}): the guarded updates of the events table's state rows land on
 * copies of the same inventory rows, which hold 10,000 rooms, so their conditions keep holding;
 * every other write item is moved to a fresh key each time (a new reservation stream, event,
 * command status, read-model row), and a condition it carries becomes {@code
 * attribute_not_exists(pk)}: on the fresh key it holds, as the original held on its own item, and
 * DynamoDB still reads the item to check it.
 */
final class Ceilings {

  /**
   * A replay's result: calls that succeeded, calls that failed, and latency per call, from how many
   * threads.
   */
  record Rate(
      long ok, long failed, double seconds, double p50Millis, double p99Millis, int threads) {
    double perSecond() {
      return ok / seconds;
    }
  }

  /** The faster of two measurements of one ceiling. */
  static Rate higher(Rate a, Rate b) {
    return a.perSecond() >= b.perSecond() ? a : b;
  }

  private final DynamoDbClient ddb;
  private final int threads;

  Ceilings(DynamoDbClient ddb, int threads) {
    this.ddb = ddb;
    this.threads = threads;
  }

  /** Bookings among the sampled handler transactions: a new stream's head and guarded updates. */
  static List<TransactWriteItemsRequest> bookings(List<SdkRequest> samples) {
    List<TransactWriteItemsRequest> out = new ArrayList<>();
    for (SdkRequest r : samples) {
      if (r instanceof TransactWriteItemsRequest t
          && !t.transactItems().isEmpty()
          && t.transactItems().get(0).put() != null
          && "attribute_not_exists(pk)".equals(t.transactItems().get(0).put().conditionExpression())
          && t.transactItems().stream().anyMatch(i -> i.update() != null)) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Replays {@code bookings} against scratch copies of the tables they write, for {@code seconds}.
   */
  Rate writes(String eventsTable, List<TransactWriteItemsRequest> bookings, int seconds)
      throws InterruptedException {
    if (bookings.isEmpty()) {
      throw new IllegalStateException("no booking transaction was sampled during the warm-up");
    }
    try (Scratch scratch = new Scratch(ddb, eventsTable, List.copyOf(bookings))) {
      AtomicLong sequence = new AtomicLong();
      return run(
          seconds,
          random -> {
            TransactWriteItemsRequest sample = bookings.get(random.nextInt(bookings.size()));
            scratch.replay(sample, "ceiling#" + sequence.incrementAndGet());
          });
    }
  }

  /**
   * Replays every DynamoDB request of a booking, intake, handler and projector, in their real
   * shapes: each sampled request, by operation, as often per booking as the functions made it
   * ({@code callsPerBooking}), writes into scratch tables as in {@link #writes}. Its rate divided
   * by the calls a booking makes is how many bookings a second this DynamoDB Local could serve with
   * nothing of Innkeeper in the way.
   *
   * @param samplesByOperation sampled requests by {@code function/DynamoDb.Operation}
   * @param callsPerBooking calls per booking by the same keys
   */
  Rate everyRequest(
      String eventsTable,
      Map<String, List<SdkRequest>> samplesByOperation,
      Map<String, Double> callsPerBooking,
      int seconds)
      throws InterruptedException {
    List<String> operations = new ArrayList<>();
    List<Double> cumulative = new ArrayList<>();
    List<SdkRequest> all = new ArrayList<>();
    double total = 0;
    for (var e : callsPerBooking.entrySet()) {
      List<SdkRequest> samples = samplesByOperation.getOrDefault(e.getKey(), List.of());
      if (e.getValue() > 0 && !samples.isEmpty()) {
        total += e.getValue();
        operations.add(e.getKey());
        cumulative.add(total);
        all.addAll(samples);
      }
    }
    if (total == 0) {
      throw new IllegalStateException("no booking request was sampled during the warm-up");
    }
    double sum = total;
    try (Scratch scratch = new Scratch(ddb, eventsTable, all)) {
      AtomicLong sequence = new AtomicLong();
      return run(
          seconds,
          random -> {
            double r = random.nextDouble() * sum;
            int i = 0;
            while (i < cumulative.size() - 1 && cumulative.get(i) <= r) {
              i++;
            }
            List<SdkRequest> samples = samplesByOperation.get(operations.get(i));
            SdkRequest request = samples.get(random.nextInt(samples.size()));
            scratch.replay(request, "ceiling#" + sequence.incrementAndGet());
          });
    }
  }

  /** Replays the sampled reads, each operation as often as the functions made it. */
  Rate reads(
      Map<String, List<SdkRequest>> samplesByOperation, Map<String, Long> weights, int seconds)
      throws InterruptedException {
    List<String> operations = new ArrayList<>();
    List<Long> cumulative = new ArrayList<>();
    long total = 0;
    for (var e : samplesByOperation.entrySet()) {
      long w = weights.getOrDefault(e.getKey(), 0L);
      if (w > 0 && !e.getValue().isEmpty()) {
        total += w;
        operations.add(e.getKey());
        cumulative.add(total);
      }
    }
    if (total == 0) {
      throw new IllegalStateException("no query-api read was sampled during the warm-up");
    }
    long sum = total;
    return run(
        seconds,
        random -> {
          long r = random.nextLong(sum);
          int i = 0;
          while (cumulative.get(i) <= r) {
            i++;
          }
          List<SdkRequest> samples = samplesByOperation.get(operations.get(i));
          SdkRequest request = samples.get(random.nextInt(samples.size()));
          if (request instanceof GetItemRequest g) {
            ddb.getItem(g);
          } else if (request instanceof QueryRequest q) {
            ddb.query(q);
          } else if (request instanceof BatchGetItemRequest b) {
            ddb.batchGetItem(b);
          }
        });
  }

  /**
   * Invokes query-api in-process with recorded API Gateway events, no HTTP in between: how fast the
   * handler answers on its own, between the raw reads and the HTTP API.
   */
  Rate handler(
      io.innkeeper.local.lambda.FunctionInvoker functions, List<String> events, int seconds)
      throws InterruptedException {
    if (events.isEmpty()) {
      throw new IllegalStateException("no query-api event was recorded during the warm-up");
    }
    return run(
        seconds,
        random -> {
          try {
            functions.invoke("query-api", events.get(random.nextInt(events.size())));
          } catch (io.innkeeper.local.lambda.FunctionInvoker.FunctionError e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private interface Call {
    void run(SplittableRandom random);
  }

  private Rate run(int seconds, Call call) throws InterruptedException {
    LongAdder ok = new LongAdder();
    LongAdder failed = new LongAdder();
    Samples latency = new Samples();
    long start = System.nanoTime();
    long until = start + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = new SplittableRandom(31L * t + 7);
      Thread worker =
          new Thread(
              () -> {
                while (System.nanoTime() < until) {
                  long t0 = System.nanoTime();
                  try {
                    call.run(random);
                    ok.increment();
                    latency.add((System.nanoTime() - t0) / 1e6);
                  } catch (RuntimeException e) {
                    failed.increment();
                  }
                }
              },
              "bench-ceiling-" + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Rate(
        ok.sum(), failed.sum(), elapsed, latency.percentile(50), latency.percentile(99), threads);
  }

  /**
   * Scratch copies of the tables a set of sampled requests writes, and the replay of a request
   * against them: reads as they were, writes moved as the class comment says.
   */
  static final class Scratch implements AutoCloseable {
    private static final java.util.regex.Pattern NAME =
        java.util.regex.Pattern.compile("#[A-Za-z0-9_]+");
    private static final java.util.regex.Pattern VALUE =
        java.util.regex.Pattern.compile(":[A-Za-z0-9_]+");

    private final DynamoDbClient ddb;
    private final String eventsTable;
    private final Map<String, String> copies = new HashMap<>();
    private final Map<String, String> hashKeys = new HashMap<>();

    Scratch(DynamoDbClient ddb, String eventsTable, List<SdkRequest> samples) {
      this.ddb = ddb;
      this.eventsTable = eventsTable;
      Set<String> tables = new LinkedHashSet<>();
      Set<Map<String, AttributeValue>> stateRows = new LinkedHashSet<>();
      for (SdkRequest r : samples) {
        for (WriteItem w : writeItems(r)) {
          tables.add(w.table());
          if (w.kept(eventsTable)) {
            stateRows.add(w.key());
          }
        }
      }
      String suffix = "-ceiling-" + Long.toString(System.nanoTime(), 36);
      try {
        for (String table : tables) {
          TableDescription d = ddb.describeTable(b -> b.tableName(table)).table();
          String copy = table + suffix;
          ddb.createTable(
              b -> {
                b.tableName(copy)
                    .keySchema(d.keySchema())
                    .attributeDefinitions(d.attributeDefinitions())
                    .billingMode(BillingMode.PAY_PER_REQUEST);
                if (d.streamSpecification() != null) {
                  b.streamSpecification(d.streamSpecification());
                }
              });
          copies.put(table, copy);
          hashKeys.put(
              table,
              d.keySchema().stream()
                  .filter(k -> k.keyType() == KeyType.HASH)
                  .findFirst()
                  .orElseThrow()
                  .attributeName());
          ddb.waiter().waitUntilTableExists(b -> b.tableName(copy));
        }
        for (Map<String, AttributeValue> key : stateRows) {
          Map<String, AttributeValue> row =
              ddb.getItem(b -> b.tableName(eventsTable).key(key).consistentRead(true)).item();
          if (row != null && !row.isEmpty()) {
            ddb.putItem(b -> b.tableName(copies.get(eventsTable)).item(row));
          }
        }
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    /** Sends {@code request} once: reads as sampled, writes moved under {@code prefix}. */
    void replay(SdkRequest request, String prefix) {
      if (request instanceof GetItemRequest g) {
        ddb.getItem(g);
      } else if (request instanceof QueryRequest q) {
        ddb.query(q);
      } else if (request instanceof BatchGetItemRequest b) {
        ddb.batchGetItem(b);
      } else if (request instanceof TransactWriteItemsRequest t) {
        ddb.transactWriteItems(moved(t, prefix));
      } else if (request instanceof PutItemRequest p) {
        ddb.putItem(movedPut(p.toBuilder().build(), prefix));
      } else if (request instanceof UpdateItemRequest u) {
        ddb.updateItem(movedUpdate(u, prefix));
      } else if (request instanceof DeleteItemRequest d) {
        ddb.deleteItem(movedDelete(d, prefix));
      }
    }

    /** The same transaction on the scratch tables, its items moved. */
    TransactWriteItemsRequest moved(TransactWriteItemsRequest sample, String prefix) {
      List<TransactWriteItem> items = new ArrayList<>();
      for (TransactWriteItem item : sample.transactItems()) {
        if (item.put() != null) {
          Put p = item.put();
          PutItemRequest moved =
              movedPut(
                  PutItemRequest.builder()
                      .tableName(p.tableName())
                      .item(p.item())
                      .conditionExpression(p.conditionExpression())
                      .expressionAttributeNames(p.expressionAttributeNames())
                      .expressionAttributeValues(p.expressionAttributeValues())
                      .build(),
                  prefix);
          items.add(
              TransactWriteItem.builder()
                  .put(
                      b ->
                          b.tableName(moved.tableName())
                              .item(moved.item())
                              .conditionExpression(moved.conditionExpression())
                              .expressionAttributeNames(
                                  nullIfEmpty(moved.expressionAttributeNames()))
                              .expressionAttributeValues(
                                  nullIfEmpty(moved.expressionAttributeValues())))
                  .build());
        } else if (item.update() != null) {
          Update u = item.update();
          UpdateItemRequest moved =
              movedUpdate(
                  UpdateItemRequest.builder()
                      .tableName(u.tableName())
                      .key(u.key())
                      .updateExpression(u.updateExpression())
                      .conditionExpression(u.conditionExpression())
                      .expressionAttributeNames(u.expressionAttributeNames())
                      .expressionAttributeValues(u.expressionAttributeValues())
                      .build(),
                  prefix);
          items.add(
              TransactWriteItem.builder()
                  .update(
                      b ->
                          b.tableName(moved.tableName())
                              .key(moved.key())
                              .updateExpression(moved.updateExpression())
                              .conditionExpression(moved.conditionExpression())
                              .expressionAttributeNames(
                                  nullIfEmpty(moved.expressionAttributeNames()))
                              .expressionAttributeValues(
                                  nullIfEmpty(moved.expressionAttributeValues())))
                  .build());
        } else if (item.delete() != null) {
          var d = item.delete();
          DeleteItemRequest moved =
              movedDelete(
                  DeleteItemRequest.builder()
                      .tableName(d.tableName())
                      .key(d.key())
                      .conditionExpression(d.conditionExpression())
                      .expressionAttributeNames(d.expressionAttributeNames())
                      .expressionAttributeValues(d.expressionAttributeValues())
                      .build(),
                  prefix);
          items.add(
              TransactWriteItem.builder()
                  .delete(
                      b ->
                          b.tableName(moved.tableName())
                              .key(moved.key())
                              .conditionExpression(moved.conditionExpression())
                              .expressionAttributeNames(
                                  nullIfEmpty(moved.expressionAttributeNames()))
                              .expressionAttributeValues(
                                  nullIfEmpty(moved.expressionAttributeValues())))
                  .build());
        } else {
          items.add(item);
        }
      }
      // A fresh idempotency token each time: a replayed one would be answered without any work.
      return sample.toBuilder().transactItems(items).clientRequestToken(null).build();
    }

    private PutItemRequest movedPut(PutItemRequest p, String prefix) {
      Map<String, AttributeValue> item = new HashMap<>(p.item());
      String hash = hashKeys.get(p.tableName());
      item.put(hash, AttributeValue.fromS(prefix + "#" + item.get(hash).s()));
      Condition c =
          fresh(
              p.conditionExpression(),
              hash,
              List.of(),
              p.expressionAttributeNames(),
              p.expressionAttributeValues());
      return p.toBuilder()
          .tableName(copies.get(p.tableName()))
          .item(item)
          .conditionExpression(c.expression())
          .expressionAttributeNames(nullIfEmpty(c.names()))
          .expressionAttributeValues(nullIfEmpty(c.values()))
          .returnConsumedCapacity((String) null)
          .build();
    }

    private UpdateItemRequest movedUpdate(UpdateItemRequest u, String prefix) {
      if (new WriteItem(u.tableName(), u.key(), true).kept(eventsTable)) {
        return u.toBuilder()
            .tableName(copies.get(u.tableName()))
            .returnConsumedCapacity((String) null)
            .build();
      }
      String hash = hashKeys.get(u.tableName());
      Map<String, AttributeValue> key = new HashMap<>(u.key());
      key.put(hash, AttributeValue.fromS(prefix + "#" + key.get(hash).s()));
      Condition c =
          fresh(
              u.conditionExpression(),
              hash,
              List.of(u.updateExpression()),
              u.expressionAttributeNames(),
              u.expressionAttributeValues());
      return u.toBuilder()
          .tableName(copies.get(u.tableName()))
          .key(key)
          .conditionExpression(c.expression())
          .expressionAttributeNames(nullIfEmpty(c.names()))
          .expressionAttributeValues(nullIfEmpty(c.values()))
          .returnConsumedCapacity((String) null)
          .build();
    }

    private DeleteItemRequest movedDelete(DeleteItemRequest d, String prefix) {
      String hash = hashKeys.get(d.tableName());
      Map<String, AttributeValue> key = new HashMap<>(d.key());
      key.put(hash, AttributeValue.fromS(prefix + "#" + key.get(hash).s()));
      Condition c =
          fresh(
              d.conditionExpression(),
              hash,
              List.of(),
              d.expressionAttributeNames(),
              d.expressionAttributeValues());
      return d.toBuilder()
          .tableName(copies.get(d.tableName()))
          .key(key)
          .conditionExpression(c.expression())
          .expressionAttributeNames(nullIfEmpty(c.names()))
          .expressionAttributeValues(nullIfEmpty(c.values()))
          .returnConsumedCapacity((String) null)
          .build();
    }

    record Condition(
        String expression, Map<String, String> names, Map<String, AttributeValue> values) {}

    /**
     * A condition on a fresh key: none stays none, any other becomes "the item is absent"; the
     * expression names and values only the old condition used are dropped (DynamoDB refuses unused
     * ones).
     */
    static Condition fresh(
        String condition,
        String hash,
        List<String> otherExpressions,
        Map<String, String> names,
        Map<String, AttributeValue> values) {
      String expression = condition == null ? null : "attribute_not_exists(" + hash + ")";
      List<String> used = new ArrayList<>(otherExpressions);
      if (expression != null) {
        used.add(expression);
      }
      Map<String, String> keptNames = new HashMap<>();
      Map<String, AttributeValue> keptValues = new HashMap<>();
      for (String e : used) {
        if (e == null) {
          continue;
        }
        var n = NAME.matcher(e);
        while (n.find()) {
          if (names != null && names.containsKey(n.group())) {
            keptNames.put(n.group(), names.get(n.group()));
          }
        }
        var v = VALUE.matcher(e);
        while (v.find()) {
          if (values != null && values.containsKey(v.group())) {
            keptValues.put(v.group(), values.get(v.group()));
          }
        }
      }
      return new Condition(expression, keptNames, keptValues);
    }

    private static <K, V> Map<K, V> nullIfEmpty(Map<K, V> m) {
      return m == null || m.isEmpty() ? null : m;
    }

    /** A write's table and key, and whether it is an update. */
    private record WriteItem(String table, Map<String, AttributeValue> key, boolean update) {
      /** A guarded update of an events-table state row: replayed on a copy of the same row. */
      boolean kept(String eventsTable) {
        return update && table.equals(eventsTable);
      }
    }

    private static List<WriteItem> writeItems(SdkRequest r) {
      List<WriteItem> out = new ArrayList<>();
      if (r instanceof TransactWriteItemsRequest t) {
        for (TransactWriteItem i : t.transactItems()) {
          if (i.put() != null) {
            out.add(new WriteItem(i.put().tableName(), Map.of(), false));
          } else if (i.update() != null) {
            out.add(new WriteItem(i.update().tableName(), i.update().key(), true));
          } else if (i.delete() != null) {
            out.add(new WriteItem(i.delete().tableName(), i.delete().key(), false));
          }
        }
      } else if (r instanceof PutItemRequest p) {
        out.add(new WriteItem(p.tableName(), Map.of(), false));
      } else if (r instanceof UpdateItemRequest u) {
        out.add(new WriteItem(u.tableName(), u.key(), true));
      } else if (r instanceof DeleteItemRequest d) {
        out.add(new WriteItem(d.tableName(), d.key(), false));
      }
      return out;
    }

    @Override
    public void close() {
      for (String copy : copies.values()) {
        try {
          ddb.deleteTable(b -> b.tableName(copy));
        } catch (RuntimeException e) {
          // A scratch table left behind is gone with the runtime; the measurement stands.
        }
      }
    }
  }
}
