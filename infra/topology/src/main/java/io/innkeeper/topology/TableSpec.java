package io.innkeeper.topology;

import java.util.List;
import java.util.Objects;

/**
 * A DynamoDB table.
 *
 * @param id logical id, also the local physical name suffix
 * @param role what the table is for; decides who may touch it
 * @param partitionKey the hash key
 * @param sortKey the range key, or {@code null}
 * @param stream stream view, {@link StreamView#NONE} for no stream
 * @param ttlAttribute the TTL attribute name, or {@code null}
 * @param globalIndexes global secondary indexes (never used on a read-your-writes path)
 */
public record TableSpec(
    String id,
    Role role,
    KeyAttribute partitionKey,
    KeyAttribute sortKey,
    StreamView stream,
    String ttlAttribute,
    List<IndexSpec> globalIndexes) {

  public TableSpec {
    Objects.requireNonNull(id);
    Objects.requireNonNull(role);
    Objects.requireNonNull(partitionKey);
    Objects.requireNonNull(stream);
    globalIndexes = List.copyOf(globalIndexes);
  }

  /** What a table holds. */
  public enum Role {
    /** The events table: the system of record, kept forever. */
    RECORD,
    /** Command status and idempotency records, expiring by TTL. */
    COMMAND_STATUS,
    /** A read model, rebuildable from the record at any time. */
    QUERY,
    /**
     * A subscriber service's own table, fed from the event bus (and rebuildable by replaying the
     * record to its queue).
     */
    SUBSCRIBER
  }

  /** DynamoDB stream view types. */
  public enum StreamView {
    NONE,
    NEW_IMAGE,
    NEW_AND_OLD_IMAGES
  }

  /** Key attribute types. */
  public enum AttributeType {
    S,
    N,
    B
  }

  /** A key attribute. */
  public record KeyAttribute(String name, AttributeType type) {}

  /** A global secondary index projecting all attributes. */
  public record IndexSpec(String name, KeyAttribute partitionKey, KeyAttribute sortKey) {}
}
