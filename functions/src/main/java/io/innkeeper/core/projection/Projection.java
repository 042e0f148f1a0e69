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

  /**
   * How the runtime may write this projection's rows; {@link Writes#ATOMIC} unless a projection
   * says otherwise.
   */
  default Writes writes() {
    return Writes.ATOMIC;
  }

  /** How a projection's rows may be written. */
  enum Writes {
    /**
     * Every row the projection changes in a chunk of events is written in one transaction: for a
     * projection whose rows only make sense together, such as a count and the per-source row that
     * says whether the count already includes that source. A transaction costs twice the write
     * units of single writes, so a projection that can do without one should say {@link #PER_ROW}.
     */
    ATOMIC,
    /**
     * Each row is written on its own, by a single write conditional on the row's revision, in no
     * particular order. Only for a projection whose {@link #apply} computes each row from that
     * row's own content and the event (other rows may only say which rows exist and what a copy
     * holds): then, after a crash that left some of an event's rows written and others not, the
     * event applied again leaves the written ones alone and writes the rest, and the rows converge
     * as if the writes had been atomic.
     */
    PER_ROW
  }
}
