package io.innkeeper.core.domain;

import java.util.List;
import java.util.Map;

/**
 * The synthetic inputs a domain gives each function to prime with before a SnapStart snapshot
 * ({@link io.innkeeper.core.Priming}). Every id in them should be {@link
 * io.innkeeper.core.Priming#ABSENT_ID}, so every read they cause misses; and none may change
 * anything: command requests must be refused by validation, commands and events run over read-only
 * stores that stop them at their first write.
 *
 * @param commandApi requests to command-api, each refused before anything is recorded
 * @param commands queued commands, decided by the command handler up to its first write
 * @param events stored events, projected up to the commit
 * @param queryApi requests to query-api
 */
public record PrimingSamples(
    List<Request> commandApi, List<Command> commands, List<Event> events, List<Request> queryApi) {

  public PrimingSamples {
    commandApi = List.copyOf(commandApi);
    commands = List.copyOf(commands);
    events = List.copyOf(events);
    queryApi = List.copyOf(queryApi);
  }

  /**
   * A request as API Gateway hands it over, from an authenticated non-admin caller.
   *
   * @param expectedStatus the harmless answer it was designed for; another one fails the step, a
   *     sign that the route drifted and the request no longer primes what it should
   */
  public record Request(
      String routeKey,
      Map<String, String> pathParameters,
      Map<String, String> headers,
      String body,
      int expectedStatus) {
    public Request {
      pathParameters = Map.copyOf(pathParameters);
      headers = Map.copyOf(headers);
    }

    /** The step's name, e.g. {@code POST /reservations: 400}. */
    public String name() {
      return routeKey + ": " + expectedStatus;
    }
  }

  /**
   * A command as command-api puts it on the queue.
   *
   * @param type its stable type name
   * @param payload its JSON, as the command registry writes it
   */
  public record Command(String type, int version, boolean callerAdmin, String payload) {}

  /**
   * An event as the events table streams it.
   *
   * @param schemaVersion an old version primes its upcasters too
   */
  public record Event(String streamId, String type, int schemaVersion, String data) {}
}
