package io.innkeeper.core.readmodel;

import io.innkeeper.core.aws.UnprocessedRetries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Query tables on DynamoDB. One write is a conditional {@code PutItem} (or {@code DeleteItem});
 * several are one {@code TransactWriteItems}, which DynamoDB bills at twice the write units. Each
 * condition is on the row's {@code rev}, so a write never lands on a row that changed since it was
 * read.
 */
public final class DynamoRowStore implements RowStore {
  private static final int BATCH_GET_LIMIT = 100;
  private static final int BATCH_WRITE_LIMIT = 25;

  private final DynamoDbClient ddb;

  public DynamoRowStore(DynamoDbClient ddb) {
    this.ddb = ddb;
  }

  @Override
  public Map<RowKey, Row> get(Collection<RowKey> keys, boolean consistent) {
    Map<RowKey, Row> found = new HashMap<>();
    List<RowKey> all = List.copyOf(new java.util.LinkedHashSet<>(keys));
    for (int i = 0; i < all.size(); i += BATCH_GET_LIMIT) {
      Map<String, List<Map<String, AttributeValue>>> byTable = new LinkedHashMap<>();
      for (RowKey key : all.subList(i, Math.min(all.size(), i + BATCH_GET_LIMIT))) {
        byTable.computeIfAbsent(key.table(), t -> new ArrayList<>()).add(itemKey(key));
      }
      Map<String, KeysAndAttributes> request = new LinkedHashMap<>();
      byTable.forEach(
          (table, ks) ->
              request.put(
                  table, KeysAndAttributes.builder().keys(ks).consistentRead(consistent).build()));
      int round = 0;
      Map<String, KeysAndAttributes> pending = request;
      while (!pending.isEmpty()) {
        UnprocessedRetries.beforeRound(++round, "BatchGetItem", keyCount(pending));
        Map<String, KeysAndAttributes> ask = pending;
        var response = ddb.batchGetItem(b -> b.requestItems(ask));
        response
            .responses()
            .forEach(
                (table, items) ->
                    items.forEach(
                        item -> {
                          Row row = toRow(table, item);
                          found.put(row.key(), row);
                        }));
        pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  @Override
  public void commit(List<RowWrite> writes) {
    if (writes.isEmpty()) {
      return;
    }
    if (writes.size() == 1) {
      try {
        if (writes.get(0).deletes()) {
          Delete delete = delete(writes.get(0));
          ddb.deleteItem(
              b ->
                  b.tableName(delete.tableName())
                      .key(delete.key())
                      .conditionExpression(delete.conditionExpression())
                      .expressionAttributeNames(delete.expressionAttributeNames())
                      .expressionAttributeValues(delete.expressionAttributeValues()));
        } else {
          Put put = put(writes.get(0));
          ddb.putItem(
              b ->
                  b.tableName(put.tableName())
                      .item(put.item())
                      .conditionExpression(put.conditionExpression())
                      .expressionAttributeNames(put.expressionAttributeNames())
                      .expressionAttributeValues(put.expressionAttributeValues()));
        }
      } catch (ConditionalCheckFailedException e) {
        throw new RowConflictException("row " + writes.get(0).key() + " changed");
      } catch (TransactionConflictException e) {
        // A transaction held the row through every attempt the SDK made: read it again and retry,
        // as for a changed row, rather than fail the stream batch.
        throw new RowConflictException("row " + writes.get(0).key() + " is held by a transaction");
      }
      return;
    }
    List<TransactWriteItem> items =
        writes.stream()
            .map(
                w ->
                    w.deletes()
                        ? TransactWriteItem.builder().delete(delete(w)).build()
                        : TransactWriteItem.builder().put(put(w)).build())
            .toList();
    try {
      ddb.transactWriteItems(b -> b.transactItems(items));
    } catch (TransactionCanceledException e) {
      // Conditional failures, transaction conflicts and throttling that outlasted the SDK's
      // attempts all mean "read again and retry"; anything else (a validation error) is thrown on.
      boolean retryable =
          e.cancellationReasons().stream()
              .allMatch(
                  r ->
                      r.code() == null
                          || "None".equals(r.code())
                          || "ConditionalCheckFailed".equals(r.code())
                          || "TransactionConflict".equals(r.code())
                          || "ThrottlingError".equals(r.code()));
      if (retryable) {
        throw new RowConflictException("rows changed: " + e.cancellationReasons());
      }
      throw e;
    }
  }

  @Override
  public RowPage query(RowQuery q) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":pk", AttributeValue.fromS(q.pk()));
    values.put(":from", AttributeValue.fromS(q.fromSk()));
    values.put(":to", AttributeValue.fromS(q.toSk()));
    Map<String, AttributeValue> start =
        q.afterSk() == null
            ? null
            : Map.of("pk", AttributeValue.fromS(q.pk()), "sk", AttributeValue.fromS(q.afterSk()));
    List<Row> rows = new ArrayList<>();
    boolean more;
    do {
      Map<String, AttributeValue> from = start;
      var page =
          ddb.query(
              b ->
                  b.tableName(q.table())
                      .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                      .expressionAttributeValues(values)
                      .scanIndexForward(!q.descending())
                      .consistentRead(q.consistent())
                      .limit(q.limit() - rows.size())
                      .exclusiveStartKey(from));
      page.items().forEach(i -> rows.add(toRow(q.table(), i)));
      more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
      start = more ? page.lastEvaluatedKey() : null;
      // A page can end early at DynamoDB's 1 MB limit; keep reading until the limit is met.
    } while (more && rows.size() < q.limit());
    return new RowPage(rows, more);
  }

  @Override
  public void scan(String table, Consumer<Row> each) {
    ddb.scanPaginator(b -> b.tableName(table).consistentRead(true))
        .items()
        .forEach(i -> each.accept(toRow(table, i)));
  }

  @Override
  public void clear(String table) {
    List<RowKey> keys = new ArrayList<>();
    scan(table, row -> keys.add(row.key()));
    for (int i = 0; i < keys.size(); i += BATCH_WRITE_LIMIT) {
      Map<String, List<WriteRequest>> request =
          Map.of(
              table,
              keys.subList(i, Math.min(keys.size(), i + BATCH_WRITE_LIMIT)).stream()
                  .map(k -> WriteRequest.builder().deleteRequest(d -> d.key(itemKey(k))).build())
                  .toList());
      int round = 0;
      while (!request.isEmpty()) {
        UnprocessedRetries.beforeRound(
            ++round, "BatchWriteItem on " + table, request.getOrDefault(table, List.of()).size());
        Map<String, List<WriteRequest>> pending = request;
        var response = ddb.batchWriteItem(b -> b.requestItems(pending));
        request = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
      }
    }
  }

  private static Put put(RowWrite w) {
    Map<String, AttributeValue> item = new HashMap<>();
    w.attributes().forEach((name, value) -> item.put(name, toValue(value)));
    item.putAll(itemKey(w.key()));
    item.put("rev", AttributeValue.fromN(Long.toString(w.expectedRevision() + 1)));
    Put.Builder b = Put.builder().tableName(w.key().table()).item(item);
    if (w.expectedRevision() == 0) {
      return b.conditionExpression("attribute_not_exists(#pk)")
          .expressionAttributeNames(Map.of("#pk", "pk"))
          .build();
    }
    return b.conditionExpression("#rev = :rev")
        .expressionAttributeNames(Map.of("#rev", "rev"))
        .expressionAttributeValues(
            Map.of(":rev", AttributeValue.fromN(Long.toString(w.expectedRevision()))))
        .build();
  }

  private static Delete delete(RowWrite w) {
    return Delete.builder()
        .tableName(w.key().table())
        .key(itemKey(w.key()))
        .conditionExpression("#rev = :rev")
        .expressionAttributeNames(Map.of("#rev", "rev"))
        .expressionAttributeValues(
            Map.of(":rev", AttributeValue.fromN(Long.toString(w.expectedRevision()))))
        .build();
  }

  private static Map<String, AttributeValue> itemKey(RowKey key) {
    return Map.of("pk", AttributeValue.fromS(key.pk()), "sk", AttributeValue.fromS(key.sk()));
  }

  private static AttributeValue toValue(Object value) {
    return value instanceof Long n
        ? AttributeValue.fromN(n.toString())
        : AttributeValue.fromS((String) value);
  }

  private static Row toRow(String table, Map<String, AttributeValue> item) {
    Map<String, Object> attributes = new HashMap<>();
    item.forEach(
        (name, value) -> {
          if (!Row.RESERVED.contains(name)) {
            attributes.put(name, value.n() != null ? (Object) Long.valueOf(value.n()) : value.s());
          }
        });
    AttributeValue rev = item.get("rev");
    return new Row(
        new RowKey(table, item.get("pk").s(), item.get("sk").s()),
        attributes,
        rev == null ? 0 : Long.parseLong(rev.n()));
  }

  private static int keyCount(Map<String, KeysAndAttributes> request) {
    return request.values().stream().mapToInt(k -> k.keys().size()).sum();
  }
}
