package io.innkeeper.hotel.hotels;

import io.innkeeper.core.command.CommandIntake;
import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.JsonBody;
import io.innkeeper.core.http.Problem;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.RoomType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code POST /hotels} (admins): validates, assigns the hotel id, submits RegisterHotel. */
public final class RegisterHotelEndpoint {
  /**
   * A room type code, as the contract (docs/api.md) defines it; every endpoint that takes one uses
   * this.
   */
  public static final Pattern ROOM_CODE = Pattern.compile("^[A-Z0-9_]{1,16}$");

  private final CommandIntake intake;

  public RegisterHotelEndpoint(CommandIntake intake) {
    this.intake = intake;
  }

  public ApiResponse handle(ApiRequest request) {
    if (!request.caller().isAdmin()) {
      throw Problem.forbidden("Only admins may register hotels.");
    }
    Map<String, Object> body = JsonBody.object(request);
    String hotelId = intake.newId();
    RegisterHotel command = parse(body, hotelId);
    return intake.submit(
        request, command, HotelAggregate.streamId(hotelId), Json.obj("hotelId", hotelId));
  }

  /** Validates the body; answers 400 listing every failing field. */
  static RegisterHotel parse(Map<String, Object> body, String hotelId) {
    BodyReader r = new BodyReader();
    r.onlyFields(body, "", Set.of("name", "city", "roomTypes"));
    String name = r.string(body, "", "name", 1, 200);
    String city = r.string(body, "", "city", 1, 100);
    List<Map<String, Object>> rawTypes = r.objects(body, "", "roomTypes", 1, 50);
    List<RoomType> roomTypes = new ArrayList<>();
    if (rawTypes != null) {
      Set<String> codes = new HashSet<>();
      for (int i = 0; i < rawTypes.size(); i++) {
        Map<String, Object> t = rawTypes.get(i);
        if (t == null) {
          continue;
        }
        String prefix = "roomTypes[" + i + "].";
        r.onlyFields(t, prefix, Set.of("code", "name", "maxGuests"));
        String code = r.matching(t, prefix, "code", ROOM_CODE);
        String typeName = r.string(t, prefix, "name", 1, 100);
        Integer maxGuests = r.integer(t, prefix, "maxGuests", 1, 10);
        if (code != null && !codes.add(code)) {
          r.fail(prefix + "code", "duplicates another room type's code");
        }
        if (code != null && typeName != null && maxGuests != null) {
          roomTypes.add(new RoomType(code, typeName, maxGuests));
        }
      }
    }
    r.throwIfInvalid();
    return new RegisterHotel(hotelId, name, city, roomTypes);
  }
}
