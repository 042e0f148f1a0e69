package io.innkeeper.perf.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Watches the commands the clients got a 202 for until they leave PENDING. One thread reads the
 * statuses of the outstanding commands from the commands table, a hundred per BatchGetItem,
 * strongly consistent: far cheaper than every client polling {@code GET /commands/{id}} for each of
 * its commands, and the same data that route answers from. Each command is first looked at a
 * quarter of a second after its 202, then at growing intervals up to a second, so the watching
 * costs the DynamoDB server little next to the load it watches.
 */
final class StatusTracker implements AutoCloseable {
  private static final long POLL_MILLIS = 50;
  private static final long FIRST_LOOK_MILLIS = 250;
  private static final long MAX_INTERVAL_MILLIS = 1000;

  /** A command being watched and what to do once it settled. */
  record Tracked(String commandId, String type, long acceptedNanos, Consumer<Settled> onSettled) {}

  /** A command that left PENDING. */
  record Settled(Tracked command, String status, String reason) {}

  private final DynamoDbClient ddb;
  private final String table;
  private final SoakStats stats;
  private final Map<String, Tracked> outstanding = new ConcurrentHashMap<>();

  /** Per outstanding command: when to look next (nanos) and how often it was looked at. */
  private final Map<String, long[]> schedule = new ConcurrentHashMap<>();

  private final Thread thread;
  private volatile boolean running = true;

  StatusTracker(DynamoDbClient ddb, String commandsTable, SoakStats stats) {
    this.ddb = ddb;
    this.table = commandsTable;
    this.stats = stats;
    this.thread = new Thread(this::loop, "soak-status-tracker");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Watches a command; {@code false} if it is watched already (an idempotent repeat). */
  boolean track(Tracked command) {
    schedule.putIfAbsent(
        command.commandId(), new long[] {System.nanoTime() + FIRST_LOOK_MILLIS * 1_000_000, 0});
    return outstanding.putIfAbsent(command.commandId(), command) == null;
  }

  int outstanding() {
    return outstanding.size();
  }

  /** The commands still PENDING as last seen. */
  List<Tracked> pending() {
    return List.copyOf(outstanding.values());
  }

  /** Waits until nothing is outstanding or {@code deadlineNanos} passed; true if none is left. */
  boolean awaitNone(long deadlineNanos) throws InterruptedException {
    while (!outstanding.isEmpty()) {
      if (System.nanoTime() >= deadlineNanos) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  private void loop() {
    while (running) {
      long started = System.nanoTime();
      try {
        pollOnce();
      } catch (RuntimeException e) {
        // The next round asks again; a harness read failing says nothing about the system.
        System.err.println("soak: reading command statuses failed, retrying: " + e);
      }
      long left = POLL_MILLIS - (System.nanoTime() - started) / 1_000_000;
      if (left > 0) {
        try {
          Thread.sleep(left);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void pollOnce() {
    long now = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (String id : outstanding.keySet()) {
      long[] when = schedule.get(id);
      if (when == null || when[0] <= now) {
        ids.add(id);
        if (when != null) {
          when[1]++;
          long interval = Math.min(MAX_INTERVAL_MILLIS, FIRST_LOOK_MILLIS << Math.min(4, when[1]));
          when[0] = now + interval * 1_000_000;
        }
      }
    }
    for (int from = 0; from < ids.size(); from += 100) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (String id : ids.subList(from, Math.min(ids.size(), from + 100))) {
        keys.add(Map.of("pk", AttributeValue.fromS("command#" + id)));
      }
      Map<String, KeysAndAttributes> request =
          Map.of(
              table,
              KeysAndAttributes.builder()
                  .keys(keys)
                  .consistentRead(true)
                  .projectionExpression("commandId, #s, reason")
                  .expressionAttributeNames(Map.of("#s", "status"))
                  .build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> ask = request;
        var response = ddb.batchGetItem(b -> b.requestItems(ask));
        for (Map<String, AttributeValue> item :
            response.responses().getOrDefault(table, List.of())) {
          String status = item.get("status").s();
          if (!"PENDING".equals(status)) {
            AttributeValue reason = item.get("reason");
            settle(item.get("commandId").s(), status, reason == null ? null : reason.s());
          }
        }
        request =
            response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()
                ? new HashMap<>(response.unprocessedKeys())
                : Map.of();
      }
    }
  }

  private void settle(String commandId, String status, String reason) {
    Tracked t = outstanding.remove(commandId);
    schedule.remove(commandId);
    if (t == null) {
      return;
    }
    stats.settled(t.type(), status, reason, (System.nanoTime() - t.acceptedNanos()) / 1_000_000);
    t.onSettled().accept(new Settled(t, status, reason));
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
