package io.innkeeper.core.command;

import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import java.time.Instant;

/**
 * One aggregate of a domain, described for the generic command pipeline: which stream a command
 * addresses, the pure decider and evolve functions, and the snapshot kept in the stream's head.
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

  /** Pure: what happens if {@code command} is applied to {@code state} at {@code now}. */
  Decision<E> decide(C command, S state, Instant now);

  /** Pure: the state after {@code event}. */
  S evolve(S state, E event);

  String writeSnapshot(S state);

  S readSnapshot(String snapshot);
}
