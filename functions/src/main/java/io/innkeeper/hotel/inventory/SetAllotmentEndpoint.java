package io.innkeeper.hotel.inventory;

import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.JsonBody;
import io.innkeeper.core.http.Problem;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.HotelCommand.SetAllotment;
import io.innkeeper.hotel.hotels.RegisterHotelEndpoint;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /hotels/{hotelId}/allotments} (admins): validates and submits SetAllotment on the
 * room type's inventory group, so it is serialized with every booking of that room type.
 */
public final class SetAllotmentEndpoint {
  /** The contract (docs/api.md): a room type code. */

  /** The contract (docs/api.md): an allotment covers at most 366 nights (a leap year). */
  static final int MAX_NIGHTS = 366;

  static final int MAX_ROOMS = 10_000;

  private final CommandIntake intake;

  public SetAllotmentEndpoint(CommandIntake intake) {
    this.intake = intake;
  }

  public ApiResponse handle(ApiRequest request) {
    if (!request.caller().isAdmin()) {
      throw Problem.forbidden("Only admins may set allotments.");
    }
    Map<String, Object> body = JsonBody.object(request);
    SetAllotment command = parse(request, body);
    return intake.submit(
        request, command, Inventory.group(command.hotelId(), command.roomType()), Map.of());
  }

  /** Validates the path and body; answers 400 listing every failing field. */
  static SetAllotment parse(ApiRequest request, Map<String, Object> body) {
    BodyReader r = new BodyReader();
    String hotelId = r.pathId(request, "hotelId");
    r.onlyFields(body, "", Set.of("roomType", "from", "to", "rooms", "nightlyRate"));
    String roomType = r.matching(body, "", "roomType", RegisterHotelEndpoint.ROOM_CODE);
    BodyReader.Nights nights = r.nights(body, "from", "to", MAX_NIGHTS);
    Integer rooms = r.integer(body, "", "rooms", 0, MAX_ROOMS);
    Money nightlyRate = r.money(body, "", "nightlyRate");
    r.throwIfInvalid();
    return new SetAllotment(hotelId, roomType, nights.start(), nights.end(), rooms, nightlyRate);
  }
}
