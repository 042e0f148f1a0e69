package io.innkeeper.core.command;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Problem;

/** {@code GET /commands/{commandId}}: the sender or an admin; 404 for anyone else. */
public final class CommandStatusQuery {
  private final CommandStatusStore statuses;

  public CommandStatusQuery(CommandStatusStore statuses) {
    this.statuses = statuses;
  }

  public ApiResponse handle(ApiRequest request) {
    var caller = request.caller();
    String commandId = request.pathId("commandId");
    return statuses
        .find(commandId)
        // Someone else's command answers exactly like an unknown one, so ids cannot be probed.
        .filter(s -> caller.isAdmin() || s.callerId().equals(caller.id()))
        .map(s -> ApiResponse.json(200, s.toApi()))
        .orElseThrow(() -> Problem.notFound("No command " + commandId + " of yours."));
  }
}
