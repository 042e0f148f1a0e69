package io.innkeeper.core.eventstore;

import io.innkeeper.core.aws.UnprocessedRetries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The events table. Items, all keyed by {@code pk} (S) and {@code sk} (N):
 *
 * <ul>
 *   <li>event: {@code pk = <stream>, sk = version ≥ 1, kind = event}, type, schemaVersion, data,
 *       commandId, occurredAt, requestId (the API request that sent the command; absent on events
 *       recorded before it was kept) — the record, kept forever;
 *   <li>head: {@code pk = <stream>, sk = 0, kind = head}, version, snapshot;
 *   <li>state row: {@code pk = <key>, sk = 0, kind = state}, numbers and strings changed only by
 *       guarded updates in an append;
 *   <li>applied command ({@code pk = command#<id>, sk = 0, kind = command}, stream, version):
 *       written by appends before the command's status took its place; still read by nothing but
 *       the record's own checks.
 * </ul>
 *
 * Only {@code kind = event} items pass the projector's stream filter.
 *
 * <p>An append is one {@code TransactWriteItems}: the head, the events, the guarded state rows and
 * the command's status in the commands table, moved to SUCCEEDED from PENDING or FAILED. The status
 * is the exactly-once marker (a separate marker item would cost two more write units and a status
 * update one more): a second delivery of a command finds it settled and is acknowledged; a
 * concurrent one fails the transaction on the status's condition. When the status expired by TTL (a
 * redelivery more than its retention after acceptance, e.g. a redrive from the dead-letter queue),
 * {@link #findAppliedOn} finds the command's events on its stream, and an append writes the status
 * afresh only where no other delivery did.
 */
public final class DynamoEventStore implements EventStore {
  private final DynamoDbClient ddb;
  private final String table;
  private final String commands;

  /**
   * @param table the events table
   * @param commands the commands table, where an append records its command SUCCEEDED
   */
  public DynamoEventStore(DynamoDbClient ddb, String table, String commands) {
    this.ddb = ddb;
    this.table = table;
    this.commands = commands;
  }

  /** A store that reads the record and never appends ({@code rebuild}, {@code verify}). */
  public static DynamoEventStore reading(DynamoDbClient ddb, String table) {
    return new DynamoEventStore(ddb, table, null);
  }

  @Override
  public StreamHead load(String streamId) {
    var item =
        ddb.getItem(b -> b.tableName(table).key(key(streamId, 0)).consistentRead(true)).item();
    if (item == null || item.isEmpty()) {
      return new StreamHead(streamId, 0, null);
    }
    return new StreamHead(
        streamId, Long.parseLong(item.get("version").n()), item.get("snapshot").s());
  }

  @Override
  public AppendOutcome append(Append a) {
    if (commands == null) {
      throw new IllegalStateException("a reading store does not append");
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    Map<String, AttributeValue> head = key(a.streamId(), 0);
    head.put("kind", s("head"));
    head.put("version", n(a.newVersion()));
    head.put("snapshot", s(a.snapshot()));
    head.put("updatedAt", s(a.at().toString()));
    Put.Builder headPut = Put.builder().tableName(table).item(head);
    if (a.expectedVersion() == 0) {
      headPut.conditionExpression("attribute_not_exists(pk)");
    } else {
      headPut
          .conditionExpression("version = :expected")
          .expressionAttributeValues(Map.of(":expected", n(a.expectedVersion())));
    }
    writes.add(TransactWriteItem.builder().put(headPut.build()).build());

    long version = a.expectedVersion();
    for (NewEvent e : a.events()) {
      version++;
      Map<String, AttributeValue> item = key(a.streamId(), version);
      item.put("kind", s("event"));
      item.put("type", s(e.type()));
      item.put("schemaVersion", n(e.schemaVersion()));
      item.put("data", s(e.json()));
      item.put("commandId", s(a.commandId()));
      if (a.requestId() != null) {
        item.put("requestId", s(a.requestId()));
      }
      item.put("occurredAt", s(a.at().toString()));
      writes.add(put(item));
    }

    for (RowUpdate row : a.rows()) {
      writes.add(TransactWriteItem.builder().update(rowUpdate(row)).build());
    }

    writes.add(
        io.innkeeper.core.command.DynamoCommandStatusStore.succeeded(
            commands, a.commandId(), a.completion(), a.streamId(), a.newVersion()));

    try {
      ddb.transactWriteItems(b -> b.transactItems(writes));
      return new AppendOutcome.Appended(a.newVersion());
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons = e.cancellationReasons();
      // The status is the last item: its condition failing means another delivery settled it.
      if (failedOnCondition(reasons, writes.size() - 1)) {
        return new AppendOutcome.Duplicate();
      }
      for (CancellationReason r : reasons) {
        if ("ConditionalCheckFailed".equals(r.code()) || "TransactionConflict".equals(r.code())) {
          return new AppendOutcome.Conflict();
        }
      }
      throw e;
    }
  }

  @Override
  public Optional<AppliedCommand> findApplied(String commandId) {
    return io.innkeeper.core.command.DynamoCommandStatusStore.applied(ddb, commands, commandId);
  }

  /**
   * The newest event of {@code streamId} that carries {@code commandId}, newest first, a page at a
   * time: a strongly consistent query of the stream, its filter applied after the read (so it costs
   * the stream's size in read units, which is why it is only asked when the status is gone).
   */
  @Override
  public Optional<AppliedCommand> findAppliedOn(String streamId, String commandId) {
    // The paginator reads the next page only while no item has matched yet.
    return ddb
        .queryPaginator(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression("pk = :pk AND sk > :head")
                    .filterExpression("commandId = :c")
                    .expressionAttributeValues(
                        Map.of(":pk", s(streamId), ":head", n(0), ":c", s(commandId)))
                    .scanIndexForward(false))
        .items()
        .stream()
        .findFirst()
        .map(item -> new AppliedCommand(commandId, streamId, Long.parseLong(item.get("sk").n())));
  }

  @Override
  public Snapshots loadMany(Collection<String> streams, Collection<String> rowKeys) {
    List<String> keys = new ArrayList<>(streams);
    keys.addAll(rowKeys);
    Map<String, Map<String, AttributeValue>> items = batchGet(keys);
    Map<String, String> snapshots = new HashMap<>();
    for (String stream : streams) {
      Map<String, AttributeValue> head = items.get(stream);
      if (head != null && head.get("snapshot") != null) {
        snapshots.put(stream, head.get("snapshot").s());
      }
    }
    Map<String, StateRow> rows = new HashMap<>();
    for (String key : rowKeys) {
      Map<String, AttributeValue> row = items.get(key);
      if (row != null) {
        rows.put(key, toRow(row));
      }
    }
    return new Snapshots(snapshots, rows);
  }

  @Override
  public Map<String, StateRow> loadRows(Collection<String> keys) {
    Map<String, StateRow> rows = new HashMap<>();
    batchGet(keys).forEach((pk, item) -> rows.put(pk, toRow(item)));
    return rows;
  }

  /** The items at {@code (pk, 0)} for these keys that exist, by pk, read strongly consistently. */
  private Map<String, Map<String, AttributeValue>> batchGet(Collection<String> keys) {
    Map<String, Map<String, AttributeValue>> found = new HashMap<>();
    List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(keys));
    // BatchGetItem takes at most 100 keys; unprocessed keys are asked for again, with backoff.
    for (int from = 0; from < all.size(); from += 100) {
      List<Map<String, AttributeValue>> batch = new ArrayList<>();
      for (String k : all.subList(from, Math.min(all.size(), from + 100))) {
        batch.add(key(k, 0));
      }
      Map<String, KeysAndAttributes> request =
          Map.of(table, KeysAndAttributes.builder().keys(batch).consistentRead(true).build());
      int round = 0;
      while (!request.isEmpty()) {
        UnprocessedRetries.beforeRound(
            ++round, "BatchGetItem on " + table, request.get(table).keys().size());
        Map<String, KeysAndAttributes> ask = request;
        var response = ddb.batchGetItem(b -> b.requestItems(ask));
        for (Map<String, AttributeValue> item :
            response.responses().getOrDefault(table, List.of())) {
          found.put(item.get("pk").s(), item);
        }
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  private static StateRow toRow(Map<String, AttributeValue> item) {
    Map<String, Object> attributes = new HashMap<>();
    item.forEach(
        (name, v) -> {
          if (name.equals("pk") || name.equals("sk") || name.equals("kind")) {
            return;
          }
          if (v.n() != null) {
            attributes.put(name, Long.parseLong(v.n()));
          } else if (v.s() != null) {
            attributes.put(name, v.s());
          }
        });
    return new StateRow(item.get("pk").s(), attributes);
  }

  /** One guarded UpdateItem: SET for values, ADD for increments, guards as the condition. */
  private Update rowUpdate(RowUpdate row) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> sets = new ArrayList<>();
    sets.add("#kind = :kind");
    names.put("#kind", "kind");
    values.put(":kind", s("state"));
    int i = 0;
    for (var e : row.set().entrySet()) {
      names.put("#s" + i, e.getKey());
      values.put(":s" + i, attribute(e.getValue()));
      sets.add("#s" + i + " = :s" + i);
      i++;
    }
    List<String> adds = new ArrayList<>();
    i = 0;
    for (var e : row.add().entrySet()) {
      names.put("#a" + i, e.getKey());
      values.put(":a" + i, n(e.getValue()));
      adds.add("#a" + i + " :a" + i);
      i++;
    }
    List<String> conditions = new ArrayList<>();
    i = 0;
    for (RowUpdate.Guard g : row.guards()) {
      String a = "#g" + i;
      if (g instanceof RowUpdate.Guard.Less less) {
        names.put(a, less.attribute());
        names.put(a + "o", less.other());
        conditions.add(a + " < " + a + "o");
      } else if (g instanceof RowUpdate.Guard.AbsentOrAtMost most) {
        names.put(a, most.attribute());
        values.put(":g" + i, n(most.value()));
        conditions.add("(attribute_not_exists(" + a + ") OR " + a + " <= :g" + i + ")");
      } else if (g instanceof RowUpdate.Guard.AtLeast least) {
        names.put(a, least.attribute());
        values.put(":g" + i, n(least.value()));
        conditions.add(a + " >= :g" + i);
      }
      i++;
    }
    String expression =
        "SET "
            + String.join(", ", sets)
            + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds));
    Update.Builder b =
        Update.builder()
            .tableName(table)
            .key(key(row.key(), 0))
            .updateExpression(expression)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values);
    if (!conditions.isEmpty()) {
      b.conditionExpression(String.join(" AND ", conditions));
    }
    return b.build();
  }

  private static AttributeValue attribute(Object value) {
    if (value instanceof Long || value instanceof Integer) {
      return n(((Number) value).longValue());
    }
    return s((String) value);
  }

  private static boolean failedOnCondition(List<CancellationReason> reasons, int index) {
    return reasons != null
        && reasons.size() > index
        && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private TransactWriteItem put(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(pk)")
                .build())
        .build();
  }

  private static Map<String, AttributeValue> key(String pk, long sk) {
    Map<String, AttributeValue> key = new HashMap<>();
    key.put("pk", s(pk));
    key.put("sk", n(sk));
    return key;
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  /**
   * Every event of the record, in no particular order: what {@code rebuild} and {@code verify}
   * replay. Heads, state rows and command markers are left out.
   */
  public void scanEvents(java.util.function.Consumer<StoredEvent> each) {
    ddb.scanPaginator(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .filterExpression("#kind = :event")
                    .expressionAttributeNames(Map.of("#kind", "kind"))
                    .expressionAttributeValues(Map.of(":event", s("event"))))
        .items()
        .forEach(
            item ->
                each.accept(
                    new StoredEvent(
                        item.get("pk").s(),
                        Long.parseLong(item.get("sk").n()),
                        item.get("type").s(),
                        Integer.parseInt(item.get("schemaVersion").n()),
                        item.get("data").s(),
                        item.get("commandId").s(),
                        java.time.Instant.parse(item.get("occurredAt").s()),
                        item.containsKey("requestId") ? item.get("requestId").s() : null)));
  }
}
