package io.innkeeper.core.command;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.core.aws.Backoff;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.EventStore.AppendOutcome;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.obs.Metrics;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.TypeRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The write side's pipeline for one command: skip it if it already reached a final state or took
 * effect (duplicate delivery), load the stream head, decide, append atomically, record the outcome.
 * Conflicts are retried here with jittered backoff; a business rejection is final; anything else is
 * thrown so the queue retries it.
 */
public final class CommandProcessor {
  static final int MAX_ATTEMPTS = 8;

  /** Between attempts on a stream that moved: another command committed a moment ago. */
  static final Backoff CONFLICT_BACKOFF =
      new Backoff(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(200));

  private final EventStore store;
  private final CommandStatusStore statuses;
  private final List<Aggregate<?, ?, ?>> aggregates;
  private final TypeRegistry<DomainCommand> commandTypes;
  private final TypeRegistry<DomainEvent> eventTypes;
  private final Clock clock;

  /**
   * @param domain whose aggregates decide, and whose registries read commands and write events
   */
  public CommandProcessor(
      EventStore store, CommandStatusStore statuses, Domain domain, Clock clock) {
    this.store = store;
    this.statuses = statuses;
    this.aggregates = List.copyOf(domain.aggregates());
    this.commandTypes = domain.commandTypes();
    this.eventTypes = domain.eventTypes();
    this.clock = clock;
  }

  /** Processes one command; returns its final state. */
  public CommandStatus.State process(CommandEnvelope envelope) {
    var current = statuses.find(envelope.commandId());
    if (current.isPresent() && current.get().status().isSettled()) {
      Log.info(
          "command already settled",
          "commandType",
          envelope.type(),
          "status",
          current.get().status().name());
      return current.get().status();
    }
    DomainCommand command =
        commandTypes.decode(envelope.type(), envelope.version(), envelope.payload());
    return run(aggregateFor(command), command, envelope);
  }

  private <C extends DomainCommand, S, E extends DomainEvent> CommandStatus.State run(
      Aggregate<C, S, E> aggregate, DomainCommand raw, CommandEnvelope envelope) {
    Decider<C, S, E> decider = aggregate.decider();
    C command = aggregate.commandType().cast(raw);
    String streamId = aggregate.streamId(command);
    // The head and the applied-command marker in one read: most deliveries are first deliveries.
    EventStore.Start start = store.start(streamId, envelope.commandId());
    if (start.applied().isPresent()) {
      // It took effect but the status was not recorded (a crash in between): finish the job.
      var applied = start.applied().get();
      return succeed(envelope, applied.streamId(), applied.version(), 0, "recovered");
    }
    EventStore.StreamHead head = start.head();
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1) {
        head = store.load(streamId);
      }
      S state =
          head.snapshot() == null
              ? decider.initialState()
              : aggregate.readSnapshot(head.snapshot());
      Reads reads = aggregate.reads(command, state);
      Loaded loaded = load(reads);
      Decision<E> decision =
          decider.decide(command, state, new Decider.Context(envelope.acceptedAt(), loaded));
      if (decision instanceof Decision.Rejected<E> rejected) {
        var completedAt = clock.instant();
        statuses.complete(
            envelope.commandId(),
            CommandStatus.State.REJECTED,
            rejected.reason(),
            null,
            completedAt);
        decided(envelope, CommandStatus.State.REJECTED, rejected.reason(), streamId, null, null);
        conflicts(attempt - 1);
        Metrics.count(MetricCatalog.COMMANDS_REJECTED, rejected.reason());
        return CommandStatus.State.REJECTED;
      }
      List<E> events = ((Decision.Accepted<E>) decision).events();
      S before = state;
      List<EventStore.NewEvent> encoded = new ArrayList<>();
      for (E event : events) {
        state = decider.evolve(state, event);
        TypeRegistry.Encoded e = eventTypes.encode(event);
        encoded.add(new EventStore.NewEvent(e.type(), e.version(), e.json()));
      }
      var append =
          new EventStore.Append(
              streamId,
              head.version(),
              encoded,
              aggregate.writeSnapshot(state),
              envelope.commandId(),
              clock.instant(),
              aggregate.rowUpdates(command, before, events, loaded),
              envelope.requestId());
      AppendOutcome outcome = store.append(append);
      if (outcome instanceof AppendOutcome.Appended ok) {
        return succeed(envelope, streamId, ok.version(), attempt - 1, null);
      }
      if (outcome instanceof AppendOutcome.Duplicate) {
        var applied = store.findApplied(envelope.commandId()).orElseThrow();
        return succeed(envelope, applied.streamId(), applied.version(), attempt - 1, "duplicate");
      }
      if (attempt >= MAX_ATTEMPTS) {
        conflicts(attempt - 1);
        throw new IllegalStateException(
            "stream " + streamId + " kept moving; giving up after " + attempt + " attempts");
      }
      CONFLICT_BACKOFF.pause(attempt);
    }
  }

  private Loaded load(Reads reads) {
    if (reads.streams().isEmpty() && reads.rows().isEmpty()) {
      return Loaded.NOTHING;
    }
    // Other streams' heads and the state rows in one read.
    EventStore.Snapshots read = store.loadMany(reads.streams(), reads.rows());
    return new Loaded(read.snapshots(), read.rows());
  }

  private CommandStatus.State succeed(
      CommandEnvelope envelope, String streamId, long version, int conflicts, String note) {
    String token = new ConsistencyToken(streamId, version, envelope.commandId()).encode();
    statuses.complete(
        envelope.commandId(), CommandStatus.State.SUCCEEDED, null, token, clock.instant());
    decided(envelope, CommandStatus.State.SUCCEEDED, null, streamId, version, note);
    conflicts(conflicts);
    Metrics.count(MetricCatalog.COMMANDS_SUCCEEDED, envelope.type());
    return CommandStatus.State.SUCCEEDED;
  }

  /**
   * The line that ends a command's story on the write side; the stream and version name what its
   * consistency token names, so the query that waits on that token can be found from here.
   */
  private void decided(
      CommandEnvelope envelope,
      CommandStatus.State status,
      String reason,
      String streamId,
      Long version,
      String note) {
    Log.info(
        "command decided",
        "commandType",
        envelope.type(),
        "status",
        status.name(),
        "reason",
        reason,
        "stream",
        streamId,
        "version",
        version,
        "note",
        note,
        "acceptedAt",
        envelope.acceptedAt().toString(),
        "sinceAcceptedMs",
        Math.max(0, clock.millis() - envelope.acceptedAt().toEpochMilli()));
  }

  /** Optimistic-concurrency retries of one command, published when there were any. */
  private static void conflicts(int retried) {
    if (retried > 0) {
      Log.info("conflicts retried", "conflicts", retried);
      Metrics.put(MetricCatalog.CONFLICTS_RETRIED, retried, null);
    }
  }

  private Aggregate<?, ?, ?> aggregateFor(DomainCommand command) {
    for (Aggregate<?, ?, ?> a : aggregates) {
      if (a.commandType().isInstance(command)) {
        return a;
      }
    }
    throw new IllegalStateException("no aggregate handles " + command.getClass().getSimpleName());
  }
}
