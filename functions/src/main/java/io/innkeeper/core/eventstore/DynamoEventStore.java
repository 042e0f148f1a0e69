package io.innkeeper.core.eventstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The events table. Items, all keyed by {@code pk} (S) and {@code sk} (N):
 *
 * <ul>
 *   <li>event: {@code pk = <stream>, sk = version ≥ 1, kind = event}, type, schemaVersion, data,
 *       commandId, occurredAt — the record, kept forever;
 *   <li>head: {@code pk = <stream>, sk = 0, kind = head}, version, snapshot;
 *   <li>applied command: {@code pk = command#<id>, sk = 0, kind = command}, stream, version.
 * </ul>
 *
 * Only {@code kind = event} items pass the projector's stream filter.
 */
public final class DynamoEventStore implements EventStore {
  private final DynamoDbClient ddb;
  private final String table;

  public DynamoEventStore(DynamoDbClient ddb, String table) {
    this.ddb = ddb;
    this.table = table;
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
      item.put("occurredAt", s(a.at().toString()));
      writes.add(put(item));
    }

    Map<String, AttributeValue> marker = key("command#" + a.commandId(), 0);
    marker.put("kind", s("command"));
    marker.put("stream", s(a.streamId()));
    marker.put("version", n(a.newVersion()));
    marker.put("appliedAt", s(a.at().toString()));
    writes.add(put(marker));

    try {
      ddb.transactWriteItems(b -> b.transactItems(writes));
      return new AppendOutcome.Appended(a.newVersion());
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons = e.cancellationReasons();
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
    var item =
        ddb.getItem(
                b -> b.tableName(table).key(key("command#" + commandId, 0)).consistentRead(true))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AppliedCommand(
            commandId, item.get("stream").s(), Long.parseLong(item.get("version").n())));
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
}
