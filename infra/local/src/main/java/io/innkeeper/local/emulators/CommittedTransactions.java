package io.innkeeper.local.emulators;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.model.AttributeValue;
import com.amazonaws.services.dynamodbv2.model.DescribeTableRequest;
import com.amazonaws.services.dynamodbv2.model.GetItemRequest;
import com.amazonaws.services.dynamodbv2.model.KeySchemaElement;
import com.amazonaws.services.dynamodbv2.model.TransactWriteItem;
import com.amazonaws.services.dynamodbv2.model.TransactWriteItemsRequest;
import com.amazonaws.services.dynamodbv2.model.TransactWriteItemsResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DynamoDB Local's request handler, with one fix: a {@code TransactWriteItems} is answered only
 * once its write is on disk. DynamoDB Local 2.6.1 queues the transaction's SQLite COMMIT and
 * answers before it runs, so a {@code kill -9} in that moment loses a write it acknowledged (the
 * durability test caught a command answered 202 whose status and idempotency record were gone). Its
 * database work runs on one queue, so a read of an item the transaction wrote waits for the COMMIT;
 * reading one such item before answering closes the gap.
 */
final class CommittedTransactions extends LocalDynamoDBRequestHandler {
  private final Map<String, List<KeySchemaElement>> keySchemas = new ConcurrentHashMap<>();

  CommittedTransactions(boolean inMemory, String dbPath, boolean sharedDb, boolean delayTransient) {
    super(0, inMemory, dbPath, sharedDb, delayTransient);
  }

  @Override
  public TransactWriteItemsResult transactWriteItems(
      String accessKey, String region, TransactWriteItemsRequest request) {
    TransactWriteItemsResult result = super.transactWriteItems(accessKey, region, request);
    TransactWriteItem first = request.getTransactItems().get(0);
    String table;
    Map<String, AttributeValue> key;
    if (first.getPut() != null) {
      table = first.getPut().getTableName();
      key = keyOf(accessKey, region, table, first.getPut().getItem());
    } else if (first.getUpdate() != null) {
      table = first.getUpdate().getTableName();
      key = first.getUpdate().getKey();
    } else if (first.getDelete() != null) {
      table = first.getDelete().getTableName();
      key = first.getDelete().getKey();
    } else {
      table = first.getConditionCheck().getTableName();
      key = first.getConditionCheck().getKey();
    }
    super.getItem(
        accessKey,
        region,
        new GetItemRequest().withTableName(table).withKey(key).withConsistentRead(true));
    return result;
  }

  /**
   * Closes every open stream shard now, as DynamoDB Streams does every few hours: each closed shard
   * gets an ending sequence number and a child shard takes the table's new records. DynamoDB Local
   * runs its rollover job on a four-hour timer; its handlers (one database per access key and
   * region) sit in a private field of the request handler, so this reaches them by reflection and
   * asks each to run the job at once.
   *
   * @return how many databases rolled over; 0 if DynamoDB Local's layout is not what this expects
   */
  int rolloverShards() {
    try {
      java.lang.reflect.Field field =
          com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler.class
              .getDeclaredField("dbRequestHandlers");
      field.setAccessible(true);
      Map<?, ?> handlers = (Map<?, ?>) field.get(this);
      int rolled = 0;
      for (Object handler : java.util.List.copyOf(handlers.values())) {
        ((com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal) handler)
            .triggerShardRollovers();
        rolled++;
      }
      return rolled;
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("[innkeeper-local] WARN cannot roll the stream shards over: " + e);
      return 0;
    }
  }

  private Map<String, AttributeValue> keyOf(
      String accessKey, String region, String table, Map<String, AttributeValue> item) {
    List<KeySchemaElement> schema =
        keySchemas.computeIfAbsent(
            accessKey + "/" + region + "/" + table,
            k ->
                super.describeTable(
                        accessKey, region, new DescribeTableRequest().withTableName(table))
                    .getTable()
                    .getKeySchema());
    Map<String, AttributeValue> key = new HashMap<>();
    schema.forEach(e -> key.put(e.getAttributeName(), item.get(e.getAttributeName())));
    return key;
  }
}
