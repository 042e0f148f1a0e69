package io.innkeeper.core.projection;

import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.DomainEvent;
import java.util.List;

/**
 * One read model fed from the events, written as two pure functions: which rows an event needs, and
 * what those rows become. The {@link ProjectorRuntime} reads the rows, applies, and writes the
 * changes conditionally on the revisions it read, so concurrent writers never lose an update.
 *
 * <p>Each projection is its own idempotency guard: its rows keep the versions of the sources they
 * reflect, and {@code apply} must give the same rows whatever the order and however often it sees
 * an event. Records of different streams interleave, a rebuild replays old events beside the live
 * stream, and Lambda retries batches, so this is what keeps read models right.
 */
public interface Projection {

  /** A stable name, used in logs. */
  String name();

  /** The tables whose rows this projection owns; rebuild and verify go through them. */
  List<String> tables();

  /**
   * Keys of the rows {@link #apply} needs. Called again with the rows read so far until it asks for
   * nothing new, so a row's content can point at another row. Empty for an event it ignores.
   */
  List<RowKey> reads(StoredEvent source, DomainEvent event, Rows known);

  /**
   * The rows this event changes, each with its complete new attributes; only rows named by {@link
   * #reads}. Must be pure: same event and rows, same answer.
   */
  List<RowChange> apply(StoredEvent source, DomainEvent event, Rows current);
}
