package io.innkeeper.core.command;

import io.innkeeper.core.eventstore.RowUpdate;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import java.time.Instant;
import java.util.List;

/**
 * One aggregate of a domain, described for the generic command pipeline: which stream a command
 * addresses, what else its decision reads, the pure decider and evolve functions, the state rows
 * that change with its events, and the snapshot kept in the stream's head.
 *
 * @param <S> state
 * @param <C> the aggregate's sealed command type
 * @param <E> the aggregate's sealed event type
 */
public interface Aggregate<S, C extends DomainCommand, E extends DomainEvent> {

  /** The aggregate's sealed command interface. */
  Class<C> commandType();

  /** The stream a command addresses, e.g. {@code hotel#<hotelId>}. */
  String streamId(C command);

  /** The state of a stream with no events. */
  S initial();

  /** Other streams and state rows the decision needs; none by default. */
  default Reads reads(C command, S state) {
    return Reads.NONE;
  }

  /** Pure: what happens if {@code command} is applied to {@code state} at {@code now}. */
  Decision<E> decide(C command, S state, Loaded loaded, Instant now);

  /** Pure: the state after {@code event}. */
  S evolve(S state, E event);

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
