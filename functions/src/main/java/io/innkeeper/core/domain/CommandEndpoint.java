package io.innkeeper.core.domain;

import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.readmodel.RowStore;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A command route and how command-api serves it.
 *
 * @param route the route, as the API gateway routes it
 * @param reads the query tables the endpoint reads (read-only, eventually consistent), e.g. the
 *     reservations for the owner check on a cancel; command-api is granted read access to these and
 *     nothing else of the read side
 * @param handler builds the route's handler once per function instance
 */
public record CommandEndpoint(
    Route route, Set<String> reads, Function<Context, Function<ApiRequest, ApiResponse>> handler) {

  public CommandEndpoint {
    Objects.requireNonNull(route);
    reads = Set.copyOf(reads);
    Objects.requireNonNull(handler);
  }

  /** An endpoint that reads nothing of the read side. */
  public static CommandEndpoint of(
      Route route, Function<Context, Function<ApiRequest, ApiResponse>> handler) {
    return new CommandEndpoint(route, Set.of(), handler);
  }

  /**
   * What a command endpoint is given.
   *
   * @param intake validates nothing, records and enqueues a command the endpoint built
   * @param readModels the query tables, read-only: a write throws
   * @param tables the physical names of exactly the tables the command endpoints declared they read
   */
  public record Context(CommandIntake intake, RowStore readModels, Tables tables) {}
}
