package io.innkeeper.core.command;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Command statuses in the commands table, one item per command ({@code pk = command#<id>}),
 * expiring by TTL a week after acceptance.
 */
public final class DynamoCommandStatusStore implements CommandStatusStore {
  static final Duration RETENTION = Duration.ofDays(7);

  private final DynamoDbClient ddb;
  private final String table;

  public DynamoCommandStatusStore(DynamoDbClient ddb, String table) {
    this.ddb = ddb;
    this.table = table;
  }

  @Override
  public void accept(CommandStatus pending) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(key(pending.commandId())));
    item.put("commandId", s(pending.commandId()));
    item.put("type", s(pending.type()));
    item.put("callerId", s(pending.callerId()));
    item.put("status", s(pending.status().name()));
    item.put("acceptedAt", s(pending.acceptedAt().toString()));
    item.put(
        "expiresAt",
        AttributeValue.fromN(Long.toString(pending.acceptedAt().plus(RETENTION).getEpochSecond())));
    ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
  }

  @Override
  public Optional<CommandStatus> find(String commandId) {
    var item =
        ddb.getItem(
                b -> b.tableName(table).key(Map.of("pk", s(key(commandId)))).consistentRead(true))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new CommandStatus(
            item.get("commandId").s(),
            item.get("type").s(),
            item.get("callerId").s(),
            CommandStatus.State.valueOf(item.get("status").s()),
            str(item, "reason"),
            Instant.parse(item.get("acceptedAt").s()),
            Optional.ofNullable(str(item, "completedAt")).map(Instant::parse).orElse(null),
            str(item, "consistencyToken")));
  }

  @Override
  public boolean complete(
      String commandId, CommandStatus.State state, String reason, String token, Instant at) {
    if (state == CommandStatus.State.PENDING) {
      throw new IllegalArgumentException("PENDING is not a final state");
    }
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":final", s(state.name()));
    values.put(":pending", s(CommandStatus.State.PENDING.name()));
    if (state != CommandStatus.State.FAILED) {
      values.put(":failed", s(CommandStatus.State.FAILED.name()));
    }
    values.put(":at", s(at.toString()));
    StringBuilder update = new StringBuilder("SET #status = :final, completedAt = :at");
    if (reason != null) {
      update.append(", reason = :reason");
      values.put(":reason", s(reason));
    }
    if (token != null) {
      update.append(", consistencyToken = :token");
      values.put(":token", s(token));
    }
    try {
      ddb.updateItem(
          b ->
              b.tableName(table)
                  .key(Map.of("pk", s(key(commandId))))
                  .updateExpression(update.toString())
                  .conditionExpression(
                      state == CommandStatus.State.FAILED
                          ? "#status = :pending"
                          : "#status IN (:pending, :failed)")
                  .expressionAttributeNames(Map.of("#status", "status"))
                  .expressionAttributeValues(values));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static String key(String commandId) {
    return "command#" + commandId;
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }
}
