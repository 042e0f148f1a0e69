package io.innkeeper.core.command;

import io.innkeeper.core.Ulid;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.events.CommandTypes;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Accepts a validated command: records it as PENDING, enqueues it on its message group and answers
 * 202 with the command id, the ids it creates and {@code Location: /commands/{id}}. It writes
 * nothing else and reads nothing of the write model.
 */
public final class CommandIntake {
  private final CommandStatusStore statuses;
  private final CommandQueue queue;
  private final Clock clock;

  public CommandIntake(CommandStatusStore statuses, CommandQueue queue, Clock clock) {
    this.statuses = statuses;
    this.queue = queue;
    this.clock = clock;
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
   * @param createdIds ids the command creates, added to the 202 body (e.g. {@code hotelId})
   */
  public ApiResponse submit(
      ApiRequest request, DomainCommand command, String groupId, Map<String, Object> createdIds) {
    var caller = request.caller();
    Instant acceptedAt = clock.instant();
    String commandId = Ulid.next(acceptedAt);
    var encoded = CommandTypes.REGISTRY.encode(command);
    var envelope =
        new CommandEnvelope(
            commandId,
            encoded.type(),
            encoded.version(),
            caller.id(),
            caller.isAdmin(),
            acceptedAt,
            request.requestId(),
            CommandTypes.REGISTRY.toMap(command));
    statuses.accept(CommandStatus.pending(commandId, encoded.type(), caller.id(), acceptedAt));
    queue.send(envelope, groupId);
    Map<String, Object> body = Json.obj("commandId", commandId);
    body.putAll(createdIds);
    return ApiResponse.json(202, body).withHeader("Location", "/commands/" + commandId);
  }
}
