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
 * The write side's pipeline for one command: skip it if it already reached a final state (duplicate
 * delivery), load the stream head, decide, append atomically with the command's SUCCEEDED status,
 * or record the rejection. Conflicts are retried here with jittered backoff; a business rejection
 * is final; anything else is thrown so the queue retries it.
 *
 * <p>Exactly once: an append completes the command's status in the same transaction and only from
 * PENDING or FAILED, so a command has taken effect exactly when its status says SUCCEEDED. A
 * redelivery finds it settled and is acknowledged; a concurrent delivery's append fails as a
 * duplicate and reads the outcome the other one recorded. A status that is gone expired by TTL (the
 * intake writes it before the command is sent): for such a late delivery the command's stream is
 * asked whether it carries the command's events ({@link EventStore#findAppliedOn}), and an append
 * writes the status afresh only where no other delivery did. {@code CommandProcessorTest} proves
 * each case.
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
    return run(aggregateFor(command), command, envelope, current.isPresent());
  }

  /**
   * @param recorded whether the command has a status; when it has none, it expired by TTL
   */
  private <C extends DomainCommand, S, E extends DomainEvent> CommandStatus.State run(
      Aggregate<C, S, E> aggregate, DomainCommand raw, CommandEnvelope envelope, boolean recorded) {
    Decider<C, S, E> decider = aggregate.decider();
    C command = aggregate.commandType().cast(raw);
    String streamId = aggregate.streamId(command);
    if (!recorded) {
      var applied = store.findAppliedOn(streamId, envelope.commandId());
      if (applied.isPresent()) {
        // Its status expired after it took effect: a late duplicate, which changes nothing.
        applied(envelope, applied.get(), 0, "status expired");
        return CommandStatus.State.SUCCEEDED;
      }
    }
    EventStore.StreamHead head = store.load(streamId);
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
        boolean moved =
            statuses.complete(
                envelope.commandId(),
                CommandStatus.State.REJECTED,
                rejected.reason(),
                null,
                completedAt);
        if (!moved && recorded) {
          // Another delivery settled it meanwhile (and may have appended): its outcome stands.
          return settledElsewhere(envelope, streamId, attempt - 1);
        }
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
      long version = head.version() + encoded.size();
      var at = clock.instant();
      var append =
          new EventStore.Append(
              streamId,
              head.version(),
              encoded,
              aggregate.writeSnapshot(state),
              envelope.commandId(),
              at,
              aggregate.rowUpdates(command, before, events, loaded),
              envelope.requestId(),
              new EventStore.Completion(
                  envelope.type(),
                  envelope.callerId(),
                  envelope.acceptedAt(),
                  new ConsistencyToken(streamId, version, envelope.commandId()).encode(),
                  at,
                  recorded));
      AppendOutcome outcome = store.append(append);
      if (outcome instanceof AppendOutcome.Appended ok) {
        applied(
            envelope,
            new EventStore.AppliedCommand(envelope.commandId(), streamId, ok.version()),
            attempt - 1,
            null);
        return CommandStatus.State.SUCCEEDED;
      }
      if (outcome instanceof AppendOutcome.Duplicate) {
        return settledElsewhere(envelope, streamId, attempt - 1);
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

  /** The command took effect (its status says SUCCEEDED, written with its events). */
  private void applied(
      CommandEnvelope envelope, EventStore.AppliedCommand applied, int conflicts, String note) {
    decided(
        envelope, CommandStatus.State.SUCCEEDED, null, applied.streamId(), applied.version(), note);
    conflicts(conflicts);
    Metrics.count(MetricCatalog.COMMANDS_SUCCEEDED, envelope.type());
  }

  /**
   * Another delivery of the command settled it while this one decided: its outcome stands, and this
   * delivery is acknowledged with it.
   */
  private CommandStatus.State settledElsewhere(
      CommandEnvelope envelope, String streamId, int conflicts) {
    var status = statuses.find(envelope.commandId());
    if (status.isPresent() && status.get().status().isSettled()) {
      CommandStatus.State state = status.get().status();
      Log.info(
          "command already settled",
          "commandType",
          envelope.type(),
          "status",
          state.name(),
          "note",
          "duplicate");
      conflicts(conflicts);
      return state;
    }
    // Its status was written afresh by the other delivery and has expired again since, or is gone.
    var applied =
        store
            .findAppliedOn(streamId, envelope.commandId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "command " + envelope.commandId() + " neither settled nor applied"));
    applied(envelope, applied, conflicts, "duplicate");
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
