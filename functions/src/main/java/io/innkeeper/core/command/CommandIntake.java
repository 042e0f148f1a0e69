package io.innkeeper.core.command;

import io.innkeeper.core.Ulid;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.FieldError;
import io.innkeeper.core.http.Problem;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.core.obs.Metrics;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.Json;
import io.innkeeper.events.TypeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Accepts a validated command: records it as PENDING, enqueues it on its message group and answers
 * 202 with the command id, the ids it creates and {@code Location: /commands/{id}}. It writes
 * nothing but command statuses and idempotency records and reads nothing of the write model.
 *
 * <p>With an {@code Idempotency-Key}, the first request records the key with its command, then the
 * command's status (two single writes); a repeat with the same body gets the stored 202 back (and
 * its command is sent again while still PENDING, in case the first send was lost, or its status
 * restored and the command sent when the first request died between the two writes), a repeat with
 * another body gets 422. With {@code Prefer: wait=N} the answer is held until the command leaves
 * PENDING (200 with its status and the ids the command created, as in the 202) or N seconds pass
 * (the usual 202). The status is polled at a growing interval, and the wait ends in time for the
 * function to answer within its own timeout.
 *
 * <p>When the queue does not take the command (SQS throttled every attempt the SDK made, or the
 * call timed out), the answer is 503 with {@code Retry-After}: not accepted, send it again (with
 * the same {@code Idempotency-Key}, the same command is sent again and takes effect once).
 */
public final class CommandIntake {
  /** The contract (docs/api.md): the {@code Idempotency-Key} pattern. */
  static final java.util.regex.Pattern IDEMPOTENCY_KEY = ApiRequest.ID;

  /** Keys are honoured for 7 days (docs/api.md); kept as long as the command's status. */
  static final Duration KEY_RETENTION = Duration.ofDays(7);

  static final int MAX_WAIT_SECONDS = 10;

  /**
   * The first pause between status polls of a {@code Prefer: wait}; each next one is twice as long,
   * up to {@link #MAX_POLL_INTERVAL}: a command usually settles within a second, and a wait that
   * runs long should not keep reading the table twenty times a second.
   */
  static final Duration FIRST_POLL_INTERVAL = Duration.ofMillis(50);

  static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(1);

  /** Kept in hand after a wait to answer within the invocation: one status read. */
  static final Duration ANSWER_RESERVE = io.innkeeper.core.aws.SdkSettings.DEFAULT.callTimeout();

  /** Pauses between status polls; injected so tests need not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final CommandStatusStore statuses;
  private final CommandQueue queue;
  private final Clock clock;
  private final Sleeper sleeper;
  private final TypeRegistry<DomainCommand> types;

  /**
   * @param types the domain's command registry: how a command is named and written on the queue
   */
  public CommandIntake(
      CommandStatusStore statuses,
      CommandQueue queue,
      Clock clock,
      TypeRegistry<DomainCommand> types) {
    this(statuses, queue, clock, d -> Thread.sleep(d.toMillis()), types);
  }

  public CommandIntake(
      CommandStatusStore statuses,
      CommandQueue queue,
      Clock clock,
      Sleeper sleeper,
      TypeRegistry<DomainCommand> types) {
    this.statuses = statuses;
    this.queue = queue;
    this.clock = clock;
    this.sleeper = sleeper;
    this.types = types;
  }

  public Instant now() {
    return clock.instant();
  }

  /** A new id for something a command creates. */
  public String newId() {
    return Ulid.next(clock.instant());
  }

  /**
   * Submits a command.
   *
   * @param createdIds ids the command creates, added to the 202 body (e.g. {@code hotelId}); on an
   *     idempotent repeat the first request's ids are answered instead
   */
  public ApiResponse submit(
      ApiRequest request, DomainCommand command, String groupId, Map<String, Object> createdIds) {
    var caller = request.caller();
    Optional<String> key = idempotencyKey(request);
    OptionalInt wait = waitSeconds(request.header("Prefer"));
    Instant acceptedAt = clock.instant();
    String commandId = Ulid.next(acceptedAt);
    var encoded = types.encode(command);
    var envelope =
        new CommandEnvelope(
            commandId,
            encoded.type(),
            encoded.version(),
            caller.id(),
            caller.isAdmin(),
            acceptedAt,
            request.requestId(),
            types.toMap(command));
    Map<String, Object> body = Json.obj("commandId", commandId);
    body.putAll(createdIds);
    String accepted = Json.write(body);
    var pending = CommandStatus.pending(commandId, encoded.type(), caller.id(), acceptedAt);

    if (key.isEmpty()) {
      statuses.accept(pending);
      send(envelope, groupId);
      accepted(envelope, groupId, false);
      return answer(commandId, accepted, wait, request.deadline());
    }
    var record =
        new IdempotencyRecord(
            caller.id(),
            key.get(),
            IdempotencyRecord.fingerprint(request.routeKey(), request.body()),
            commandId,
            groupId,
            envelope,
            accepted,
            acceptedAt,
            acceptedAt.plus(KEY_RETENTION));
    Optional<IdempotencyRecord> prior = statuses.accept(pending, record);
    if (prior.isEmpty()) {
      send(envelope, groupId);
      accepted(envelope, groupId, true);
      return answer(commandId, accepted, wait, request.deadline());
    }
    return repeat(prior.get(), record, wait, request.deadline());
  }

  /**
   * Enqueues, or answers 503 when the queue did not take the command within the SDK's attempts: a
   * 5xx tells the client the command was not accepted. Its PENDING status stays; with an {@code
   * Idempotency-Key} the client's retry sends the same command again.
   */
  private void send(CommandEnvelope envelope, String groupId) {
    try {
      queue.send(envelope, groupId);
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      Log.warn("command not enqueued", e, "commandId", envelope.commandId());
      throw new Problem(
          503,
          "not-enqueued",
          "Service Unavailable",
          "The command could not be queued; send it again (with the same Idempotency-Key).",
          List.of(),
          Map.of("Retry-After", "1"));
    }
  }

  /** The first line of a command's story; the key itself is the client's, never logged. */
  private static void accepted(CommandEnvelope envelope, String groupId, boolean keyed) {
    // In the context, so the metric line names the command too.
    try (Log.Scope scope = Log.with("commandId", envelope.commandId())) {
      Log.info(
          "command accepted",
          "commandType",
          envelope.type(),
          "callerId",
          envelope.callerId(),
          "messageGroup",
          groupId,
          "withIdempotencyKey",
          keyed);
      Metrics.count(MetricCatalog.COMMANDS_ACCEPTED, envelope.type());
    }
  }

  private ApiResponse repeat(
      IdempotencyRecord prior,
      IdempotencyRecord now,
      OptionalInt wait,
      io.innkeeper.core.aws.Deadline deadline) {
    if (!prior.fingerprint().equals(now.fingerprint())) {
      throw new Problem(
          422,
          "idempotency-key-reused",
          "Idempotency-Key reused",
          "This Idempotency-Key was already used with a different request.",
          List.of());
    }
    Optional<CommandStatus> status = statuses.find(prior.commandId());
    if (status.isEmpty()) {
      // The first request died between the key and the status (a status expires with its key, so
      // a live key without one was never completed): restore it, then send as below.
      CommandEnvelope envelope = prior.envelope();
      statuses.accept(
          CommandStatus.pending(
              envelope.commandId(), envelope.type(), envelope.callerId(), envelope.acceptedAt()));
    }
    boolean pending = status.map(s -> s.status() == CommandStatus.State.PENDING).orElse(true);
    if (pending) {
      // The first send may have failed after the record was written. FIFO deduplicates by command
      // id and the handler applies a command id once, so sending again is safe.
      send(prior.envelope(), prior.groupId());
    }
    Log.info(
        "command repeated",
        "commandId",
        prior.commandId(),
        "firstRequestId",
        prior.envelope().requestId(),
        "resent",
        pending);
    return answer(prior.commandId(), prior.response(), wait, deadline);
  }

  /**
   * 200 with the status and the created ids if it settles within the wait, else the 202. The wait
   * ends at {@code wait} seconds, or earlier when the invocation would otherwise run out of time.
   */
  private ApiResponse answer(
      String commandId,
      String accepted,
      OptionalInt wait,
      io.innkeeper.core.aws.Deadline invocation) {
    String location = "/commands/" + commandId;
    if (wait.isPresent()) {
      Duration budget = Duration.ofSeconds(wait.getAsInt());
      Duration allowed = invocation.remaining().minus(ANSWER_RESERVE);
      if (allowed.compareTo(budget) < 0) {
        budget = allowed.isNegative() ? Duration.ZERO : allowed;
      }
      Instant deadline = clock.instant().plus(budget);
      Duration pause = FIRST_POLL_INTERVAL;
      while (true) {
        Optional<CommandStatus> status = statuses.find(commandId);
        if (status.isPresent() && status.get().status() != CommandStatus.State.PENDING) {
          Map<String, Object> body = status.get().toApi();
          // The ids the command created, as the 202 gave them: a client that waited has them too.
          Json.parseObject(accepted).forEach(body::putIfAbsent);
          return ApiResponse.json(200, body)
              .withHeader("Location", location)
              .withHeader("Preference-Applied", "wait=" + wait.getAsInt());
        }
        Instant now = clock.instant();
        if (!now.isBefore(deadline)) {
          break;
        }
        Duration left = Duration.between(now, deadline);
        try {
          sleeper.sleep(left.compareTo(pause) < 0 ? left : pause);
          pause = pause.multipliedBy(2);
          if (pause.compareTo(MAX_POLL_INTERVAL) > 0) {
            pause = MAX_POLL_INTERVAL;
          }
        } catch (InterruptedException e) {
          // The command is accepted either way; stop waiting and say so.
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return new ApiResponse(202, Map.of("Content-Type", "application/json"), accepted)
        .withHeader("Location", location);
  }

  private static Optional<String> idempotencyKey(ApiRequest request) {
    Optional<String> key = request.header("Idempotency-Key");
    if (key.isPresent() && !IDEMPOTENCY_KEY.matcher(key.get()).matches()) {
      throw Problem.validation(
          List.of(new FieldError("Idempotency-Key", "must match " + IDEMPOTENCY_KEY.pattern())));
    }
    return key;
  }

  /**
   * The {@code wait} preference of an RFC 7240 {@code Prefer} header, which may carry several
   * preferences ({@code respond-async, wait=5}); capped at {@link #MAX_WAIT_SECONDS}. A malformed
   * value is ignored, as RFC 7240 asks of preferences a server cannot make sense of.
   */
  static OptionalInt waitSeconds(Optional<String> prefer) {
    if (prefer.isEmpty()) {
      return OptionalInt.empty();
    }
    for (String preference : prefer.get().split(",")) {
      // Parameters after ';' qualify a preference; wait has none that matter here.
      String token = preference.split(";", 2)[0].trim();
      int eq = token.indexOf('=');
      if (eq < 0 || !token.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("wait")) {
        continue;
      }
      String value = token.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (!value.matches("[0-9]{1,9}")) {
        // Digits beyond int range are still a (very long) wait: cap them.
        if (value.matches("[0-9]+")) {
          return OptionalInt.of(MAX_WAIT_SECONDS);
        }
        continue;
      }
      return OptionalInt.of(Math.min(MAX_WAIT_SECONDS, Integer.parseInt(value)));
    }
    return OptionalInt.empty();
  }
}
