package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.innkeeper.ops.LocalAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB's item, transaction and batch limits, which the local runtime leaves to DynamoDB Local
 * because it already enforces each of them as DynamoDB does (checked here, so an upgrade that
 * stopped would be noticed): an item over 400 KB, a transaction over 100 items or 4 MB, a {@code
 * BatchGetItem} over 100 keys and a {@code BatchWriteItem} over 25 items are refused with a
 * validation error. (DynamoDB Local also answers a {@code BatchGetItem} past 16 MB in part and
 * stops a {@code Scan} page at 1 MB, as checked by hand on 2.6.1; writing 16 MB in every build to
 * pin that costs more than it tells, and the chaos's {@code unprocessed-keys} exercises partial
 * answers in every run.)
 */
class DynamoDbLimitsIT {
  private static final String TABLE = "limits-" + java.util.UUID.randomUUID();
  private static DynamoDbClient ddb;

  @BeforeAll
  static void table() {
    ddb = LocalAws.dynamoDb(SharedRuntime.get().dynamoDbEndpoint());
    ddb.createTable(
        b ->
            b.tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    AttributeDefinition.builder().attributeName("pk").attributeType("S").build())
                .keySchema(
                    KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
  }

  private static Map<String, AttributeValue> item(String pk, int bytes) {
    return Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS("x".repeat(bytes)));
  }

  private static void refused(String what, Runnable call) {
    DynamoDbException e = assertThrows(DynamoDbException.class, call::run, what);
    assertEquals(400, e.statusCode(), what + ": " + e.getMessage());
  }

  @Test
  void an_item_over_400_kb_is_refused() {
    refused(
        "410 KB item", () -> ddb.putItem(b -> b.tableName(TABLE).item(item("big", 410 * 1024))));
    ddb.putItem(b -> b.tableName(TABLE).item(item("fits", 399 * 1024)));
  }

  @Test
  void a_transaction_over_100_items_or_4_mb_is_refused() {
    List<TransactWriteItem> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      Map<String, AttributeValue> it = item("t" + i, 1);
      many.add(TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(it)).build());
    }
    refused("101 items", () -> ddb.transactWriteItems(b -> b.transactItems(many)));
    List<TransactWriteItem> heavy = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      Map<String, AttributeValue> it = item("h" + i, 390 * 1024);
      heavy.add(TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(it)).build());
    }
    refused("4.2 MB", () -> ddb.transactWriteItems(b -> b.transactItems(heavy)));
    ddb.transactWriteItems(b -> b.transactItems(many.subList(0, 100)));
  }

  @Test
  void a_batch_over_its_size_is_refused() {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      keys.add(Map.of("pk", AttributeValue.fromS("k" + i)));
    }
    refused(
        "BatchGetItem of 101",
        () ->
            ddb.batchGetItem(
                b ->
                    b.requestItems(Map.of(TABLE, KeysAndAttributes.builder().keys(keys).build()))));
    List<WriteRequest> writes = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      Map<String, AttributeValue> it = item("w" + i, 1);
      writes.add(WriteRequest.builder().putRequest(p -> p.item(it)).build());
    }
    refused(
        "BatchWriteItem of 26",
        () -> ddb.batchWriteItem(b -> b.requestItems(Map.of(TABLE, writes))));
  }
}
