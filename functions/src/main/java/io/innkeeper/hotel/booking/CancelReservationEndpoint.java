package io.innkeeper.hotel.booking;

import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.http.JsonBody;
import io.innkeeper.core.http.Problem;
import io.innkeeper.events.hotel.ReservationCommand.CancelReservation;
import io.innkeeper.hotel.inventory.Inventory;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code POST /reservations/{reservationId}/cancel} (the guest or an admin): validates and submits
 * CancelReservation. Who may cancel is checked twice: here against the reservations read model (a
 * reservation it shows as someone else's is a 403, and nothing is enqueued), and by the handler
 * against the write model ({@code NOT_OWNER}), which also covers a reservation not projected yet.
 */
public final class CancelReservationEndpoint {
  /** The contract (docs/api.md): a cancellation reason has at most 500 characters. */
  static final int MAX_REASON = 500;

  private final CommandIntake intake;
  private final Function<String, Optional<ReservationQueries.Visible>> reservations;

  /**
   * @param reservations what the read model shows of a reservation (read-only, may lag)
   */
  public CancelReservationEndpoint(
      CommandIntake intake, Function<String, Optional<ReservationQueries.Visible>> reservations) {
    this.intake = intake;
    this.reservations = reservations;
  }

  public ApiResponse handle(ApiRequest request) {
    Caller caller = request.caller();
    // An empty body reads as {} here, which the contract (docs/api.md) allows for a cancellation
    // without a reason.
    Map<String, Object> body = JsonBody.object(request);
    CancelReservation command = parse(request, body, caller);
    Optional<ReservationQueries.Visible> visible = reservations.apply(command.reservationId());
    if (visible.isPresent() && !caller.isAdmin() && !visible.get().guestId().equals(caller.id())) {
      throw Problem.forbidden("Only the guest who booked it or an admin may cancel it.");
    }
    // A cancel gives nights back to a room type's inventory, so it joins that inventory's group
    // and is decided in line with the bookings it frees rooms for. A reservation the read model
    // does not show yet has its own group; a cancel there may race a booking on the inventory,
    // and the handler's conditional write resolves that.
    String group =
        visible
            .map(v -> Inventory.group(v.hotelId(), v.roomType()))
            .orElse(ReservationAggregate.streamId(command.reservationId()));
    return intake.submit(request, command, group, Map.of());
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
