package io.innkeeper.core.command;

import io.innkeeper.events.Fields;
import io.innkeeper.events.Json;
import java.time.Instant;
import java.util.Map;

/**
 * A command as it travels on the queue: who sent it, when it was accepted, and its payload under a
 * stable type name and schema version. Its {@code acceptedAt} is the decision time, so a
 * redelivered command is decided the same way.
 */
public record CommandEnvelope(
    String commandId,
    String type,
    int version,
    String callerId,
    boolean callerAdmin,
    Instant acceptedAt,
    String requestId,
    Map<String, Object> payload) {

  public String toJson() {
    return Json.write(
        Json.obj(
            "commandId", commandId,
            "type", type,
            "version", version,
            "callerId", callerId,
            "callerAdmin", callerAdmin,
            "acceptedAt", acceptedAt.toString(),
            "requestId", requestId,
            "payload", payload));
  }

  public static CommandEnvelope fromJson(String json) {
    Fields f = new Fields(Json.parseObject(json), "command");
    return new CommandEnvelope(
        f.string("commandId"),
        f.string("type"),
        f.integer("version"),
        f.string("callerId"),
        Boolean.TRUE.equals(f.map().get("callerAdmin")),
        f.instant("acceptedAt"),
        f.optionalString("requestId"),
        f.object("payload").map());
  }
}
