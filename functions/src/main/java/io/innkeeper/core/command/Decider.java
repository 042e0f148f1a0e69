package io.innkeeper.core.command;

import java.time.Instant;

/**
 * The pure heart of an aggregate: where a stream starts, what a command decides on a state, and how
 * each event moves the state on. Nothing here reads a clock, draws an id or does I/O: time and the
 * other streams and state rows a decision needs arrive in the {@link Context}, and ids that a
 * command creates arrive in the command (they are chosen at intake). The same command on the same
 * state and context always decides the same, which is what makes a redelivered command safe.
 *
 * <p>Implement {@code decide} and {@code evolve} with an exhaustive {@code switch} over the
 * aggregate's sealed command and event interfaces, without {@code default}: a new command or event
 * is then a compile error here until it is handled.
 *
 * @param <C> the aggregate's sealed command type
 * @param <S> its state
 * @param <E> its sealed event type
 */
public interface Decider<C, S, E> {

  /** The state of a stream with no events. */
  S initialState();

  /** What happens if {@code command} is applied to {@code state}: events, or a rejection. */
  Decision<E> decide(C command, S state, Context context);

  /** The state after {@code event}. */
  S evolve(S state, E event);

  /**
   * What a decision may look at besides the command and the state.
   *
   * @param now the decision time: when the command was accepted, so a redelivery decides alike
   * @param loaded the other streams' snapshots and the state rows the aggregate asked for
   */
  record Context(Instant now, Loaded loaded) {}
}
