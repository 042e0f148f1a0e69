package io.innkeeper.core.eventstore;

import java.time.Instant;

/**
 * An event as the record holds it: the stream and version it sits at, its stable type and schema
 * version, its JSON payload, the command that caused it and the API request that sent that command.
 *
 * @param requestId the API Gateway request id of the request that sent the command, or {@code null}
 *     (events recorded before it was kept, and commands sent without one)
 */
public record StoredEvent(
    String streamId,
    long version,
    String type,
    int schemaVersion,
    String data,
    String commandId,
    Instant occurredAt,
    String requestId) {

  /** An event without a request id. */
  public StoredEvent(
      String streamId,
      long version,
      String type,
      int schemaVersion,
      String data,
      String commandId,
      Instant occurredAt) {
    this(streamId, version, type, schemaVersion, data, commandId, occurredAt, null);
  }
}
