package io.innkeeper.core.projection;

import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.events.DomainEvent;

/**
 * One read model fed from the events. Each projection guards its own rows: a row keeps the version
 * of the stream it reflects and writes are conditional on moving it forward, so duplicate, retried
 * and reordered records leave the same rows.
 */
public interface Projection {

  /** A stable name, used in logs and checkpoints. */
  String name();

  /** Applies one event; ignores events it does not use. Must be idempotent. */
  void apply(StoredEvent source, DomainEvent event);
}
