package io.innkeeper.core.domain;

import io.innkeeper.core.command.Aggregate;
import io.innkeeper.core.domain.fixture.Fixtures;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.TypeRegistry;
import io.innkeeper.events.published.PublishedLanguage;
import java.util.List;

/**
 * A domain plugged into the generic CQRS machinery: the one thing the handlers, the topology, the
 * CDK app, the local runtime and the tools know of it. A domain implements this, lists the class in
 * {@code META-INF/services/io.innkeeper.core.domain.Domain}, and is found by {@link Domains}.
 *
 * <p>What a domain declares here is data first (names, table ids, routes), so the topology and the
 * CDK app can read it without starting anything; the factories in it are called by the functions
 * that serve it, with the clients those functions built.
 *
 * <p>Growing the machinery grows this interface by new methods with defaults (for example the
 * integration events a domain publishes on the event bus and the subscriber services it declares),
 * so an existing domain keeps compiling and opts in when it is ready.
 */
public interface Domain {

  /**
   * The domain's stable name, e.g. {@code hotel}: what {@code INNKEEPER_DOMAIN} selects it by and
   * what every function's environment names. Lower case letters, digits and hyphens.
   */
  String name();

  /** One line on what the deployment is for, e.g. for the CloudFormation stack's description. */
  default String description() {
    return "Innkeeper: serverless CQRS, domain " + name();
  }

  /**
   * Every command type by stable name and version: how command-api writes a command on the queue
   * and the command handler reads it back. Build it over the domain's sealed command root ({@link
   * TypeRegistry#builder(String, Class)}) so it cannot miss one.
   */
  TypeRegistry<DomainCommand> commandTypes();

  /** Every event type by stable name and version, likewise over the sealed event root. */
  TypeRegistry<DomainEvent> eventTypes();

  /** The aggregates; every command type is handled by exactly one. */
  List<Aggregate<?, ?, ?>> aggregates();

  /**
   * The ids of the query tables the domain's read models live in, e.g. {@code hotels}. Each gets a
   * table (string {@code pk} and {@code sk}, no index, so reads bound to a consistency token can be
   * strongly consistent), an environment variable {@code <ID>_TABLE} with its physical name in the
   * functions that use it ({@link Tables#environmentVariable}), and read access for query-api and
   * read-write access for the projector. The core's own tables ({@code events}, {@code commands},
   * {@code watermarks}) are not the domain's to name.
   */
  List<String> queryTables();

  /** The projections, writing the query tables that {@code tables} names. */
  List<Projection> projections(Tables tables);

  /** The command routes command-api serves, with what each may read. */
  List<CommandEndpoint> commandEndpoints();

  /**
   * The query routes query-api serves; each is wrapped with the consistency gate, and {@code GET
   * /commands/{commandId}} is the core's own and must not be among them.
   */
  List<QueryEndpoint> queryEndpoints();

  /** The synthetic inputs each function primes with before a SnapStart snapshot. */
  PrimingSamples primingSamples();

  /** What the local runtime's tools need of the domain: demo data, loads and record checks. */
  Fixtures fixtures();

  /**
   * What the domain publishes on the event bus: its published types and the mapping from each
   * internal event to one of them, or to nothing. By default nothing: the publisher then publishes
   * no event, and the topic stays silent.
   */
  default PublishedLanguage publishedLanguage() {
    return PublishedLanguage.NONE;
  }

  /**
   * The subscriber services inside the product that follow the domain's published events, each with
   * its own queue, tables, functions and routes. None by default.
   */
  default List<SubscriberService> subscribers() {
    return List.of();
  }
}
