package io.innkeeper.core.domain;

import io.innkeeper.core.bus.Subscriber;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A service inside the product that follows the event bus like any outside service would: its own
 * SQS FIFO queue subscribed to the topic (raw delivery, a filter policy on the published {@code
 * type}), {@code <id>-queue}, with its own dead-letter queue {@code <id>-dlq}, its own tables, a
 * function {@code <id>} that consumes the queue and a function {@code <id>-api} that serves its
 * routes. It depends on the domain's published language only, never on its internal events, and
 * nothing else depends on it: while it fails, the rest of the system is untouched, and it catches
 * up from its queue afterwards.
 *
 * @param id the service's id, e.g. {@code guest-messages}: its queue, functions and metrics are
 *     named after it
 * @param types the published types it subscribes to (its subscription's filter policy)
 * @param tables its own tables (string {@code pk} and {@code sk}); the first also keeps its marks
 * @param subscriber builds what it does with each event, given its tables
 * @param queries the routes {@code <id>-api} serves, read-only on its tables
 */
public record SubscriberService(
    String id,
    List<String> types,
    List<String> tables,
    Function<Tables, Subscriber> subscriber,
    List<QueryEndpoint> queries) {

  public SubscriberService {
    Objects.requireNonNull(id, "id");
    types = List.copyOf(types);
    tables = List.copyOf(tables);
    Objects.requireNonNull(subscriber, "subscriber");
    queries = List.copyOf(queries);
    if (types.isEmpty() || tables.isEmpty()) {
      throw new IllegalArgumentException(
          "subscriber service " + id + " needs at least one type and one table");
    }
  }

  /** The service's queue on the bus. */
  public String queue() {
    return id + "-queue";
  }

  /** Where the service's queue moves an event it failed on too often. */
  public String deadLetterQueue() {
    return id + "-dlq";
  }

  /** The function that serves the service's routes. */
  public String apiFunction() {
    return id + "-api";
  }

  /** The table that keeps the service's marks (the highest sequence applied per aggregate). */
  public String marksTable() {
    return tables.get(0);
  }
}
