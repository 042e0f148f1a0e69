package io.innkeeper.core.command;

import io.innkeeper.core.eventstore.RowUpdate;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import java.util.List;

/**
 * One aggregate of a domain, wired into the generic command pipeline: its pure {@link Decider}, and
 * beside it what the pipeline needs to run it against the store: which stream a command addresses,
 * what else its decision reads, the state rows that change with its events, and the snapshot kept
 * in the stream's head.
 *
 * @param <C> the aggregate's sealed command type
 * @param <S> state
 * @param <E> the aggregate's sealed event type
 */
public interface Aggregate<C extends DomainCommand, S, E extends DomainEvent> {

  /** The aggregate's sealed command interface. */
  Class<C> commandType();

  /** The decisions. */
  Decider<C, S, E> decider();

  /** The stream a command addresses, e.g. {@code hotel#<hotelId>}. */
  String streamId(C command);

  /** Other streams and state rows the decision needs; none by default. */
  default Reads reads(C command, S state) {
    return Reads.NONE;
  }

  /**
   * The state rows that change with accepted events, guarded so the invariant holds at commit time
   * whatever was read; none by default.
   */
  default List<RowUpdate> rowUpdates(C command, S before, List<E> events, Loaded loaded) {
    return List.of();
  }

  String writeSnapshot(S state);

  S readSnapshot(String snapshot);
}
