package io.innkeeper.core.command;

import java.util.List;

/**
 * A decider's answer: the events to record, or a business rejection (final, never retried).
 *
 * @param <E> the aggregate's event type
 */
public sealed interface Decision<E> {

  static <E> Decision<E> accept(List<E> events) {
    return new Accepted<>(events);
  }

  static <E> Decision<E> reject(String reason) {
    return new Rejected<>(reason);
  }

  /** Accepted: these events happen. */
  record Accepted<E>(List<E> events) implements Decision<E> {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  /** Rejected for {@code reason}, e.g. {@code SOLD_OUT}. */
  record Rejected<E>(String reason) implements Decision<E> {}
}
