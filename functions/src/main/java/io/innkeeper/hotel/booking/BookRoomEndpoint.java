package io.innkeeper.hotel.booking;

import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.JsonBody;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.ReservationCommand.BookRoom;
import io.innkeeper.hotel.hotels.RegisterHotelEndpoint;
import io.innkeeper.hotel.inventory.Inventory;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /reservations} (any caller, who becomes the guest): validates, assigns the
 * reservation id and submits BookRoom on the room type's inventory group.
 */
public final class BookRoomEndpoint {
  /** The contract (docs/api.md): a room type code. */

  /** The contract (docs/api.md): a stay lasts at most 30 nights. */
  static final int MAX_NIGHTS = 30;

  public static final int MAX_GUESTS = 10;

  private final CommandIntake intake;

  public BookRoomEndpoint(CommandIntake intake) {
    this.intake = intake;
  }

  public ApiResponse handle(ApiRequest request) {
    String guestId = request.caller().id();
    Map<String, Object> body = JsonBody.object(request);
    LocalDate today = LocalDate.ofInstant(intake.now(), ZoneOffset.UTC);
    String reservationId = intake.newId();
    BookRoom command = parse(body, reservationId, guestId, today);
    // Same group as the room type's allotments: the booking and any allotment change on those
    // nights are decided one after the other, never against a stale count.
    return intake.submit(
        request,
        command,
        Inventory.group(command.hotelId(), command.roomType()),
        Json.obj("reservationId", reservationId));
  }

  /** Validates the body; answers 400 listing every failing field. */
  static BookRoom parse(
      Map<String, Object> body, String reservationId, String guestId, LocalDate today) {
    BodyReader r = new BodyReader();
    r.onlyFields(body, "", Set.of("hotelId", "roomType", "checkIn", "checkOut", "guests"));
    String hotelId = r.matching(body, "", "hotelId", ApiRequest.ID);
    String roomType = r.matching(body, "", "roomType", RegisterHotelEndpoint.ROOM_CODE);
    BodyReader.Nights stay = stay(r, body, today);
    Integer guests = r.integer(body, "", "guests", 1, MAX_GUESTS);
    r.throwIfInvalid();
    return new BookRoom(
        reservationId, guestId, hotelId, roomType, stay.start(), stay.end(), guests);
  }

  /**
   * Reads {@code checkIn} and {@code checkOut} with a booking's rules (check-in not before today, 1
   * to 30 nights), collecting failures in {@code r}; the search uses the same rules.
   */
  public static BodyReader.Nights stay(BodyReader r, Map<String, Object> in, LocalDate today) {
    BodyReader.Nights stay = r.nights(in, "checkIn", "checkOut", MAX_NIGHTS);
    if (stay.start() != null && stay.start().isBefore(today)) {
      r.fail("checkIn", "must not be before today (" + today + ", UTC)");
    }
    return stay;
  }
}
