package io.innkeeper.hotel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.command.CommandEnvelope;
import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.command.CommandQueue;
import io.innkeeper.core.command.CommandStatus;
import io.innkeeper.core.command.InMemoryCommandStatusStore;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.http.HttpRoutes;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.HotelDomainCommand;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One command endpoint behind real routing and a real {@link CommandIntake}, over an in-memory
 * status store and a queue that records what was sent, at a fixed clock.
 */
public final class CommandEndpointFixture {
  public static final Caller ADMIN = new Caller("ada", Set.of("admin"));
  public static final Caller GUEST = new Caller("gus", Set.of());
  public static final String JSON = "application/json";

  /** One message put on the queue. */
  public record Sent(String group, CommandEnvelope envelope) {}

  public final InMemoryCommandStatusStore statuses = new InMemoryCommandStatusStore();
  public final List<Sent> sent = new ArrayList<>();
  public final CommandIntake intake;
  private final CommandQueue queue = (command, group) -> sent.add(new Sent(group, command));
  private final HttpRoutes routes = new HttpRoutes();
  private final String routeKey;

  /**
   * @param routeKey the route, e.g. {@code "POST /hotels"}
   * @param endpoint builds the endpoint's handler from the fixture's intake
   */
  public CommandEndpointFixture(
      String routeKey,
      Instant now,
      Function<CommandIntake, Function<ApiRequest, ApiResponse>> endpoint) {
    this.routeKey = routeKey;
    this.intake =
        new CommandIntake(
            statuses, queue, Clock.fixed(now, ZoneOffset.UTC), HotelDomainCommand.TYPES);
    routes.on(routeKey, endpoint.apply(intake));
  }

  public ApiResponse post(Caller caller, String contentType, String body) {
    return post(Map.of(), caller, contentType, body);
  }

  public ApiResponse post(
      Map<String, String> path, Caller caller, String contentType, String body) {
    Map<String, String> headers = new HashMap<>();
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return routes.handle(
        new ApiRequest(
            routeKey,
            headers,
            path,
            Map.of(),
            body.getBytes(StandardCharsets.UTF_8),
            caller,
            "req-1"));
  }

  /** Asserts a 202 with a command id, its Location and a PENDING status, and returns the body. */
  public Map<String, Object> accepted(ApiResponse r) {
    assertEquals(202, r.status(), r.body());
    Map<String, Object> body = Json.parseObject(r.body());
    String commandId = (String) body.get("commandId");
    assertTrue(ApiRequest.ID.matcher(commandId).matches());
    assertEquals("/commands/" + commandId, r.headers().get("Location"));
    assertEquals(CommandStatus.State.PENDING, statuses.find(commandId).orElseThrow().status());
    return body;
  }

  /** Asserts exactly one message was sent, on {@code group}, and returns its envelope. */
  public CommandEnvelope onlyMessage(String group) {
    assertEquals(1, sent.size());
    assertEquals(group, sent.get(0).group());
    return sent.get(0).envelope();
  }

  /** The command of an envelope, decoded as the command handler will decode it. */
  public static DomainCommand command(CommandEnvelope envelope) {
    return HotelDomainCommand.TYPES.decode(envelope.type(), envelope.version(), envelope.payload());
  }

  /** Asserts a validation 400 and returns the names of its failing fields. */
  @SuppressWarnings("unchecked")
  public static Set<String> fieldsOf(ApiResponse r) {
    assertEquals(400, r.status(), r.body());
    assertEquals("application/problem+json", r.headers().get("Content-Type"));
    List<Object> errors = (List<Object>) Json.parseObject(r.body()).get("errors");
    Set<String> fields = new HashSet<>();
    errors.forEach(e -> fields.add((String) ((Map<String, Object>) e).get("field")));
    return fields;
  }
}
