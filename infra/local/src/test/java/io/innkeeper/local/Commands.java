package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.innkeeper.events.Json;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The commands the ITs send again and again, over HTTP as a client sends them: register a hotel,
 * set an allotment, book, cancel, and wait until a command has settled. Sending judges nothing but
 * what {@link #accepted} checks: each IT asserts what it expects of the answer and the outcome.
 */
final class Commands {
  /** One room type: DBL, a double room for up to two guests. */
  static final String DBL_ONLY = roomTypes(roomType("DBL", "Double room", 2));

  /** DBL and FAM, a family room for up to four guests. */
  static final String DBL_AND_FAM =
      roomTypes(roomType("DBL", "Double room", 2), roomType("FAM", "Family room", 4));

  private final Api api;
  private final Duration settle;
  private final Supplier<String> admin;

  /** Sends through {@code api}; waits up to {@code settle} for a command to leave PENDING. */
  Commands(Api api, Duration settle) {
    this(api, settle, SharedRuntime::adminToken);
  }

  /**
   * The same against a runtime other than the shared one, whose admin tokens {@code admin} gives.
   */
  Commands(Api api, Duration settle, Supplier<String> admin) {
    this.api = api;
    this.settle = settle;
    this.admin = admin;
  }

  static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** {@code prefix} plus a random suffix: cities, guests and keys of a test's own. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ---------------------------------------------------------------------------------------------
  // Request bodies

  /** One element of a hotel's {@code roomTypes}. */
  static String roomType(String code, String name, int maxGuests) {
    return "{\"code\":\"" + code + "\",\"name\":\"" + name + "\",\"maxGuests\":" + maxGuests + "}";
  }

  /** The {@code roomTypes} array of {@link #roomType} elements. */
  static String roomTypes(String... roomTypes) {
    return "[" + String.join(",", roomTypes) + "]";
  }

  /** A RegisterHotel body; {@code roomTypes} is a JSON array, e.g. {@link #DBL_ONLY}. */
  static String hotelBody(String name, String city, String roomTypes) {
    return "{\"name\":\"" + name + "\",\"city\":\"" + city + "\",\"roomTypes\":" + roomTypes + "}";
  }

  /** A SetAllotment body; the nightly rate {@code amount} is in EUR. */
  static String allotmentBody(
      String roomType, LocalDate from, LocalDate to, int rooms, String amount) {
    return Json.write(
        Json.obj(
            "roomType", roomType,
            "from", from.toString(),
            "to", to.toString(),
            "rooms", rooms,
            "nightlyRate", Json.obj("amount", amount, "currency", "EUR")));
  }

  static String bookingBody(
      String hotelId, String roomType, LocalDate checkIn, LocalDate checkOut, int guests) {
    return Json.write(
        Json.obj(
            "hotelId", hotelId,
            "roomType", roomType,
            "checkIn", checkIn.toString(),
            "checkOut", checkOut.toString(),
            "guests", guests));
  }

  // ---------------------------------------------------------------------------------------------
  // Sending: the answer as it comes

  /** {@code POST /hotels} as admin. */
  Api.Answer registerHotel(String name, String city, String roomTypes) {
    return api.postJson("/hotels", admin.get(), hotelBody(name, city, roomTypes));
  }

  /** {@code POST /hotels/{hotelId}/allotments} as admin. */
  Api.Answer setAllotment(
      String hotelId, String roomType, LocalDate from, LocalDate to, int rooms, String amount) {
    return api.postJson(
        "/hotels/" + hotelId + "/allotments",
        admin.get(),
        allotmentBody(roomType, from, to, rooms, amount));
  }

  /** {@code POST /reservations} as the caller {@code token}; the body is e.g. a bookingBody. */
  Api.Answer book(String token, String body) {
    return api.postJson("/reservations", token, body);
  }

  /** {@link #book(String, String)} with headers, e.g. {@code Prefer} or {@code Idempotency-Key}. */
  Api.Answer book(String token, String body, Map<String, String> headers) {
    return api.post("/reservations", token, "application/json", body, headers);
  }

  /** {@code POST /reservations/{reservationId}/cancel} as the caller {@code token}. */
  Api.Answer cancel(String token, String reservationId, String body) {
    return api.postJson("/reservations/" + reservationId + "/cancel", token, body);
  }

  /** {@link #cancel(String, String, String)} with headers, e.g. {@code Prefer}. */
  Api.Answer cancel(String token, String reservationId, String body, Map<String, String> headers) {
    return api.post(
        "/reservations/" + reservationId + "/cancel", token, "application/json", body, headers);
  }

  /** Asserts the command was accepted (202); returns its command id. */
  static String accepted(Api.Answer a) {
    assertEquals(202, a.status(), a.body());
    return (String) a.json().get("commandId");
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting

  /** The command's status once it has left PENDING, read as admin. */
  Map<String, Object> settled(String commandId) {
    return api.awaitSettled(commandId, admin.get(), settle).json();
  }

  /** The settled command status, from a 200 of {@code Prefer: wait} or by polling after a 202. */
  Map<String, Object> settled(Api.Answer sent, String token) {
    if (sent.status() == 200) {
      return sent.json();
    }
    assertEquals(202, sent.status(), sent.body());
    String commandId = (String) sent.json().get("commandId");
    assertNotNull(commandId, sent.body());
    return api.awaitSettled(commandId, token, settle).json();
  }
}
