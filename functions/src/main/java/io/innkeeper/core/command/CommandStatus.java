package io.innkeeper.core.command;

import io.innkeeper.events.Json;
import java.time.Instant;
import java.util.Map;

/**
 * What a client can learn about a command it sent.
 *
 * @param reason the rejection reason, or {@code null}
 * @param completedAt when it reached a final state, or {@code null}
 * @param consistencyToken present once SUCCEEDED
 */
public record CommandStatus(
    String commandId,
    String type,
    String callerId,
    State status,
    String reason,
    Instant acceptedAt,
    Instant completedAt,
    String consistencyToken) {

  /** The lifecycle: PENDING until processed, then one final state. */
  public enum State {
    PENDING,
    SUCCEEDED,
    REJECTED,
    FAILED;

    /**
     * SUCCEEDED and REJECTED are settled; FAILED can still succeed when an operator redrives it.
     */
    public boolean isSettled() {
      return this == SUCCEEDED || this == REJECTED;
    }
  }

  /** Allowed transitions: from PENDING to anything final, and from FAILED (redrive) onwards. */
  public static boolean canMove(State from, State to) {
    return to != State.PENDING
        && (from == State.PENDING || (from == State.FAILED && to != State.FAILED));
  }

  public static CommandStatus pending(String commandId, String type, String callerId, Instant at) {
    return new CommandStatus(commandId, type, callerId, State.PENDING, null, at, null, null);
  }

  /** The body of {@code GET /commands/{commandId}} (docs/api.md). */
  public Map<String, Object> toApi() {
    return Json.obj(
        "commandId", commandId,
        "type", type,
        "status", status.name(),
        "reason", reason,
        "acceptedAt", acceptedAt.toString(),
        "completedAt", completedAt == null ? null : completedAt.toString(),
        "consistencyToken", consistencyToken);
  }
}
