package io.innkeeper.core.command;

import io.innkeeper.core.ConsistencyToken;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.EventStore.AppendOutcome;
import io.innkeeper.events.CommandTypes;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.EventTypes;
import io.innkeeper.events.TypeRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The write side's pipeline for one command: skip it if it already reached a final state or took
 * effect (duplicate delivery), load the stream head, decide, append atomically, record the outcome.
 * Conflicts are retried here with jittered backoff; a business rejection is final; anything else is
 * thrown so the queue retries it.
 */
public final class CommandProcessor {
  static final int MAX_ATTEMPTS = 8;

  private final EventStore store;
  private final CommandStatusStore statuses;
  private final List<Aggregate<?, ?, ?>> aggregates;
  private final Clock clock;

  public CommandProcessor(
      EventStore store,
      CommandStatusStore statuses,
      List<Aggregate<?, ?, ?>> aggregates,
      Clock clock) {
    this.store = store;
    this.statuses = statuses;
    this.aggregates = List.copyOf(aggregates);
    this.clock = clock;
  }

  /** Processes one command; returns its final state. */
  public CommandStatus.State process(CommandEnvelope envelope) {
    var current = statuses.find(envelope.commandId());
    if (current.isPresent() && current.get().status().isSettled()) {
      return current.get().status();
    }
    var applied = store.findApplied(envelope.commandId());
    if (applied.isPresent()) {
      // It took effect but the status was not recorded (a crash in between): finish the job.
      return succeed(envelope, applied.get().streamId(), applied.get().version());
    }
    DomainCommand command =
        CommandTypes.REGISTRY.decode(envelope.type(), envelope.version(), envelope.payload());
    return run(aggregateFor(command), command, envelope);
  }

  private <S, C extends DomainCommand, E extends DomainEvent> CommandStatus.State run(
      Aggregate<S, C, E> aggregate, DomainCommand raw, CommandEnvelope envelope) {
    C command = aggregate.commandType().cast(raw);
    String streamId = aggregate.streamId(command);
    for (int attempt = 1; ; attempt++) {
      EventStore.StreamHead head = store.load(streamId);
      S state =
          head.snapshot() == null ? aggregate.initial() : aggregate.readSnapshot(head.snapshot());
      Reads reads = aggregate.reads(command, state);
      Loaded loaded = load(reads);
      Decision<E> decision = aggregate.decide(command, state, loaded, envelope.acceptedAt());
      if (decision instanceof Decision.Rejected<E> rejected) {
        statuses.complete(
            envelope.commandId(),
            CommandStatus.State.REJECTED,
            rejected.reason(),
            null,
            clock.instant());
        return CommandStatus.State.REJECTED;
      }
      List<E> events = ((Decision.Accepted<E>) decision).events();
      S before = state;
      List<EventStore.NewEvent> encoded = new ArrayList<>();
      for (E event : events) {
        state = aggregate.evolve(state, event);
        TypeRegistry.Encoded e = EventTypes.REGISTRY.encode(event);
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
              aggregate.rowUpdates(command, before, events, loaded));
      AppendOutcome outcome = store.append(append);
      if (outcome instanceof AppendOutcome.Appended ok) {
        return succeed(envelope, streamId, ok.version());
      }
      if (outcome instanceof AppendOutcome.Duplicate) {
        var applied = store.findApplied(envelope.commandId()).orElseThrow();
        return succeed(envelope, applied.streamId(), applied.version());
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new IllegalStateException(
            "stream " + streamId + " kept moving; giving up after " + attempt + " attempts");
      }
      backoff(attempt);
    }
  }

  private Loaded load(Reads reads) {
    if (reads.streams().isEmpty() && reads.rows().isEmpty()) {
      return Loaded.NOTHING;
    }
    Map<String, String> snapshots = new HashMap<>();
    for (String stream : reads.streams()) {
      EventStore.StreamHead head = store.load(stream);
      if (head.snapshot() != null) {
        snapshots.put(stream, head.snapshot());
      }
    }
    return new Loaded(snapshots, reads.rows().isEmpty() ? Map.of() : store.loadRows(reads.rows()));
  }

  private CommandStatus.State succeed(CommandEnvelope envelope, String streamId, long version) {
    String token = new ConsistencyToken(streamId, version).encode();
    statuses.complete(
        envelope.commandId(), CommandStatus.State.SUCCEEDED, null, token, clock.instant());
    return CommandStatus.State.SUCCEEDED;
  }

  private Aggregate<?, ?, ?> aggregateFor(DomainCommand command) {
    for (Aggregate<?, ?, ?> a : aggregates) {
      if (a.commandType().isInstance(command)) {
        return a;
      }
    }
    throw new IllegalStateException("no aggregate handles " + command.getClass().getSimpleName());
  }

  /** Full jitter: a random pause up to an exponentially growing cap, so retries spread out. */
  private static void backoff(int attempt) {
    long capMillis = Math.min(200, 5L << attempt);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, capMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
