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
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The ceiling: how fast the same DynamoDB Local serves, raw, the very requests our functions sent.
 * The requests are the meter's samples, replayed from as many threads as the load had clients, with
 * nothing else of Innkeeper in the way.
 *
 * <p>Writes go to a scratch copy of the events table (same keys, same stream) so the projector
 * never sees them: each sampled booking transaction is replayed with its puts moved to fresh keys
 * (a new reservation stream, event and applied-command marker each time) and its guarded updates on
 * copies of the same inventory rows, which hold 10,000 rooms, so their conditions keep holding.
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

  /** Replays {@code bookings} against a scratch copy of {@code eventsTable} for {@code seconds}. */
  Rate writes(String eventsTable, List<TransactWriteItemsRequest> bookings, int seconds)
      throws InterruptedException {
    if (bookings.isEmpty()) {
      throw new IllegalStateException("no booking transaction was sampled during the warm-up");
    }
    String scratch = eventsTable + "-ceiling-" + Long.toString(System.nanoTime(), 36);
    TableDescription events = ddb.describeTable(b -> b.tableName(eventsTable)).table();
    ddb.createTable(
        b ->
            b.tableName(scratch)
                .keySchema(events.keySchema())
                .attributeDefinitions(events.attributeDefinitions())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(events.streamSpecification()));
    try {
      ddb.waiter().waitUntilTableExists(b -> b.tableName(scratch));
      copyRows(eventsTable, scratch, bookings);
      AtomicLong sequence = new AtomicLong();
      return run(
          seconds,
          random -> {
            TransactWriteItemsRequest sample = bookings.get(random.nextInt(bookings.size()));
            ddb.transactWriteItems(moved(sample, scratch, "ceiling#" + sequence.incrementAndGet()));
          });
    } finally {
      ddb.deleteTable(b -> b.tableName(scratch));
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

  /** Copies the rows the bookings update (inventory months) into the scratch table. */
  private void copyRows(String from, String to, List<TransactWriteItemsRequest> bookings) {
    Set<Map<String, AttributeValue>> keys = new LinkedHashSet<>();
    for (TransactWriteItemsRequest t : bookings) {
      for (TransactWriteItem item : t.transactItems()) {
        if (item.update() != null) {
          keys.add(item.update().key());
        }
      }
    }
    for (Map<String, AttributeValue> key : keys) {
      Map<String, AttributeValue> row =
          ddb.getItem(b -> b.tableName(from).key(key).consistentRead(true)).item();
      if (row != null && !row.isEmpty()) {
        ddb.putItem(b -> b.tableName(to).item(row));
      }
    }
  }

  /** The same transaction on {@code table}, its puts moved to keys under {@code prefix}. */
  static TransactWriteItemsRequest moved(
      TransactWriteItemsRequest sample, String table, String prefix) {
    List<TransactWriteItem> items = new ArrayList<>();
    for (TransactWriteItem item : sample.transactItems()) {
      if (item.put() != null) {
        Map<String, AttributeValue> moved = new HashMap<>(item.put().item());
        moved.put("pk", AttributeValue.fromS(prefix + "#" + moved.get("pk").s()));
        Put put = item.put().toBuilder().tableName(table).item(moved).build();
        items.add(TransactWriteItem.builder().put(put).build());
      } else if (item.update() != null) {
        Update update = item.update().toBuilder().tableName(table).build();
        items.add(TransactWriteItem.builder().update(update).build());
      } else {
        items.add(item);
      }
    }
    // A fresh idempotency token each time: a replayed one would be answered without any work.
    return sample.toBuilder().transactItems(items).clientRequestToken(null).build();
  }
}
