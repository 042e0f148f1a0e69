package io.innkeeper.core.command;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Command statuses in the commands table, one item per command ({@code pk = command#<id>}), and
 * idempotency records beside them ({@code pk = idempotency#<callerId>#<key>}), both expiring by TTL
 * a week after acceptance.
 */
public final class DynamoCommandStatusStore implements CommandStatusStore {
  static final Duration RETENTION = Duration.ofDays(7);

  private static final int MAX_ATTEMPTS = 8;

  private final DynamoDbClient ddb;
  private final String table;

  public DynamoCommandStatusStore(DynamoDbClient ddb, String table) {
    this.ddb = ddb;
    this.table = table;
  }

  @Override
  public void accept(CommandStatus pending) {
    try {
      ddb.putItem(
          b ->
              b.tableName(table)
                  .item(statusItem(pending))
                  .conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException e) {
      // The id is a fresh ULID, so the item can only be this call's own: DynamoDB wrote it and
      // answered an error (a 500 after the write), and the SDK's retry then met its own item.
      // Anything else under this id is a bug worth failing loudly for.
      CommandStatus existing = find(pending.commandId()).orElseThrow(() -> e);
      if (!existing.type().equals(pending.type())
          || !existing.callerId().equals(pending.callerId())
          || !existing.acceptedAt().equals(pending.acceptedAt())) {
        throw new IllegalStateException("command id " + pending.commandId() + " already taken", e);
      }
    }
  }

  /**
   * Two single conditional writes, not a transaction (which bills twice the write units): the key
   * first, taken only if free (or expired), then the status. Of concurrent first requests with one
   * key, the one whose write took it goes on; the others read its record. A process that dies
   * between the two writes leaves a key without its status and never sent the command; a repeat of
   * the request finds the record, restores the status and sends the command ({@link
   * CommandIntake}), so the key still stands for exactly one command.
   */
  @Override
  public Optional<IdempotencyRecord> accept(CommandStatus pending, IdempotencyRecord record) {
    for (int attempt = 1; ; attempt++) {
      try {
        ddb.putItem(
            b ->
                b.tableName(table)
                    .item(recordItem(record))
                    // An expired record TTL has not deleted yet counts as absent.
                    .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                    .expressionAttributeValues(Map.of(":now", epoch(record.createdAt()))));
        break;
      } catch (ConditionalCheckFailedException e) {
        var existing = findRecord(record.callerId(), record.key(), record.createdAt());
        if (existing.isPresent() && existing.get().commandId().equals(record.commandId())) {
          break; // this call's own write, answered with an error and retried by the SDK
        }
        if (existing.isPresent()) {
          return existing;
        }
        // It expired or vanished between the write and the read: the next attempt takes the key.
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        KEY_BACKOFF.pause(attempt);
      }
    }
    accept(pending);
    return Optional.empty();
  }

  /** The live record holding a caller's key, read strongly consistently. */
  Optional<IdempotencyRecord> findRecord(String callerId, String key, Instant now) {
    var item =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(Map.of("pk", s(recordKey(callerId, key))))
                        .consistentRead(true))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    var record =
        new IdempotencyRecord(
            callerId,
            key,
            item.get("fingerprint").s(),
            item.get("commandId").s(),
            item.get("groupId").s(),
            CommandEnvelope.fromJson(item.get("envelope").s()),
            item.get("response").s(),
            Instant.parse(item.get("createdAt").s()),
            Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())));
    return record.expiredAt(now) ? Optional.empty() : Optional.of(record);
  }

  private static Map<String, AttributeValue> statusItem(CommandStatus pending) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(key(pending.commandId())));
    item.put("commandId", s(pending.commandId()));
    item.put("type", s(pending.type()));
    item.put("callerId", s(pending.callerId()));
    item.put("status", s(pending.status().name()));
    item.put("acceptedAt", s(pending.acceptedAt().toString()));
    item.put("expiresAt", epoch(pending.acceptedAt().plus(RETENTION)));
    return item;
  }

  /**
   * The write, inside an append's transaction, that records a command SUCCEEDED: the command's
   * exactly-once marker (see {@link io.innkeeper.core.eventstore.EventStore.Completion}). It names
   * the stream and version the command ended at beside the token, so checks need not decode it. Its
   * condition fails, and with it the append, when another delivery already settled the command.
   */
  public static TransactWriteItem succeeded(
      String table,
      String commandId,
      io.innkeeper.core.eventstore.EventStore.Completion c,
      String stream,
      long version) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":ok", s(CommandStatus.State.SUCCEEDED.name()));
    values.put(":at", s(c.completedAt().toString()));
    values.put(":token", s(c.consistencyToken()));
    values.put(":stream", s(stream));
    values.put(":version", AttributeValue.fromN(Long.toString(version)));
    if (c.recorded()) {
      values.put(":pending", s(CommandStatus.State.PENDING.name()));
      values.put(":failed", s(CommandStatus.State.FAILED.name()));
      return TransactWriteItem.builder()
          .update(
              u ->
                  u.tableName(table)
                      .key(Map.of("pk", s(key(commandId))))
                      // A redriven FAILED command that now succeeds loses its failure reason.
                      // Every name aliased: STREAM is a reserved word, and so may others become.
                      .updateExpression(
                          "SET #status = :ok, completedAt = :at, consistencyToken = :token,"
                              + " #stream = :stream, #version = :version REMOVE #reason")
                      .conditionExpression("#status IN (:pending, :failed)")
                      .expressionAttributeNames(
                          Map.of(
                              "#status", "status",
                              "#stream", "stream",
                              "#version", "version",
                              "#reason", "reason"))
                      .expressionAttributeValues(values))
          .build();
    }
    // The status expired: written afresh, kept another retention period from now.
    Map<String, AttributeValue> item =
        statusItem(CommandStatus.pending(commandId, c.type(), c.callerId(), c.acceptedAt()));
    item.put("status", values.get(":ok"));
    item.put("completedAt", values.get(":at"));
    item.put("consistencyToken", values.get(":token"));
    item.put("stream", values.get(":stream"));
    item.put("version", values.get(":version"));
    item.put("expiresAt", epoch(c.completedAt().plus(RETENTION)));
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  /**
   * Where a SUCCEEDED command was applied, as its status item records it; empty for any other
   * state, and for a status written before the stream and version were kept.
   */
  public static java.util.Optional<io.innkeeper.core.eventstore.EventStore.AppliedCommand> applied(
      DynamoDbClient ddb, String table, String commandId) {
    var item =
        ddb.getItem(
                b -> b.tableName(table).key(Map.of("pk", s(key(commandId)))).consistentRead(true))
            .item();
    if (item == null
        || item.isEmpty()
        || !CommandStatus.State.SUCCEEDED.name().equals(str(item, "status"))
        || item.get("stream") == null
        || item.get("version") == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new io.innkeeper.core.eventstore.EventStore.AppliedCommand(
            commandId, item.get("stream").s(), Long.parseLong(item.get("version").n())));
  }

  private static Map<String, AttributeValue> recordItem(IdempotencyRecord r) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(recordKey(r.callerId(), r.key())));
    item.put("callerId", s(r.callerId()));
    item.put("fingerprint", s(r.fingerprint()));
    item.put("commandId", s(r.commandId()));
    item.put("groupId", s(r.groupId()));
    item.put("envelope", s(r.envelope().toJson()));
    item.put("response", s(r.response()));
    item.put("createdAt", s(r.createdAt().toString()));
    item.put("expiresAt", epoch(r.expiresAt()));
    return item;
  }

  /** Short jittered pauses: the competing transaction commits within milliseconds. */
  private static final io.innkeeper.core.aws.Backoff KEY_BACKOFF =
      new io.innkeeper.core.aws.Backoff(
          java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(100));

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

  // The caller id comes first and a key never contains '#', so two scopes cannot collide.
  private static String recordKey(String callerId, String key) {
    return "idempotency#" + callerId + "#" + key;
  }

  private static AttributeValue epoch(Instant at) {
    return AttributeValue.fromN(Long.toString(at.getEpochSecond()));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }
}
