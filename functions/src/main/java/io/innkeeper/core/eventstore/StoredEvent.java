package io.innkeeper.core.eventstore;

import java.time.Instant;

/**
 * An event as the record holds it: the stream and version it sits at, its stable type and schema
 * version, its JSON payload and the command that caused it.
 */
public record StoredEvent(
    String streamId,
    long version,
    String type,
    int schemaVersion,
    String data,
    String commandId,
    Instant occurredAt) {}
