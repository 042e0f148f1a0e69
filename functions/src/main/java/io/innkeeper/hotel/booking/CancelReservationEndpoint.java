package io.innkeeper.hotel.booking;

import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.http.JsonBody;
import io.innkeeper.events.reservation.ReservationCommand.CancelReservation;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /reservations/{reservationId}/cancel} (any caller): validates and submits
 * CancelReservation on the reservation's group. Whether the caller may cancel is decided by the
 * handler against the write model ({@code NOT_OWNER}); the intake-time owner check against the read
 * model comes with the read side.
 */
public final class CancelReservationEndpoint {
  /** API.md: a cancellation reason has at most 500 characters. */
  static final int MAX_REASON = 500;

  private final CommandIntake intake;

  public CancelReservationEndpoint(CommandIntake intake) {
    this.intake = intake;
  }

  public ApiResponse handle(ApiRequest request) {
    Caller caller = request.caller();
    // An empty body reads as {} here, which API.md allows for a cancellation without a reason.
    Map<String, Object> body = JsonBody.object(request);
    CancelReservation command = parse(request, body, caller);
    // The reservation's own stream is its group: commands on one reservation run one at a time.
    return intake.submit(
        request, command, ReservationAggregate.streamId(command.reservationId()), Map.of());
  }

  /** Validates the path and body; answers 400 listing every failing field. */
  static CancelReservation parse(ApiRequest request, Map<String, Object> body, Caller caller) {
    BodyReader r = new BodyReader();
    String reservationId = r.pathId(request, "reservationId");
    r.onlyFields(body, "", Set.of("reason"));
    String reason = r.optionalString(body, "", "reason", MAX_REASON);
    r.throwIfInvalid();
    return new CancelReservation(reservationId, caller.id(), caller.isAdmin(), reason);
  }
}
