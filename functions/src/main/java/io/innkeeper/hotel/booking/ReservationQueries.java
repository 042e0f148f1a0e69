package io.innkeeper.hotel.booking;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.http.Problem;
import io.innkeeper.core.query.ConsistencyGate.Freshness;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowStore.RowQuery;
import io.innkeeper.events.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /reservations/{reservationId}} (the guest or an admin) and {@code GET
 * /me/reservations} (the caller's, newest check-in first, paginated by an opaque cursor), from the
 * reservations table.
 */
public final class ReservationQueries {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private final RowStore store;
  private final String table;
  private final Cursors cursors;

  public ReservationQueries(RowStore store, String table, Cursors cursors) {
    this.store = store;
    this.table = table;
    this.cursors = cursors;
  }

  /** A reservation as the read model shows it: who holds it and where; for the intake check. */
  public record Visible(String guestId, String hotelId, String roomType) {}

  /** The reservation if the read model shows it (eventually consistent; may lag a booking). */
  public Optional<Visible> find(String reservationId) {
    return row(reservationId, false)
        .map(
            row ->
                new Visible(
                    row.string("guestId").orElseThrow(),
                    row.string("hotelId").orElseThrow(),
                    row.string("roomType").orElseThrow()));
  }

  public ApiResponse get(ApiRequest request, Freshness freshness) {
    Caller caller = request.caller();
    String reservationId = request.pathId("reservationId");
    Row row =
        row(reservationId, freshness.await())
            .orElseThrow(() -> Problem.notFound("No reservation " + reservationId + "."));
    if (!caller.isAdmin() && !caller.id().equals(row.string("guestId").orElseThrow())) {
      throw Problem.forbidden("Only the guest who booked it or an admin may read it.");
    }
    return ApiResponse.json(200, toApi(reservationId, row.attributes()));
  }

  /** Always strongly consistent: this is the read a guest makes right after booking. */
  public ApiResponse mine(ApiRequest request, Freshness freshness) {
    Caller caller = request.caller();
    Map<String, Object> params = request.queryParameters();
    BodyReader r = new BodyReader();
    Integer limit = r.integerParam(params, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    String scope = "me/reservations\u0000" + caller.id();
    // A bad cursor is collected with the other parameters, so one 400 lists them together.
    String after = cursors.position(request, scope, r);
    r.throwIfInvalid();
    freshness.await();
    var page =
        store.query(
            new RowQuery(
                table,
                ReservationsProjection.guestPk(caller.id()),
                "0",
                "9~",
                true,
                limit + 1,
                after,
                true));
    List<Row> rows = page.rows();
    boolean more = rows.size() > limit;
    List<Object> items = new ArrayList<>();
    for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
      String sk = row.key().sk();
      items.add(toApi(sk.substring(sk.indexOf('#') + 1), row.attributes()));
    }
    Map<String, Object> body = Json.obj("items", items);
    if (more) {
      body.put("nextCursor", cursors.encode(scope, rows.get(limit - 1).key().sk()));
    }
    return ApiResponse.json(200, body);
  }

  private Optional<Row> row(String reservationId, boolean consistent) {
    return store
        .get(
            new RowKey(
                table, "reservation#" + reservationId, ReservationsProjection.RESERVATION_SK),
            consistent)
        // A cancellation can be projected before its booking; until then there is nothing to show.
        .filter(row -> row.attributes().containsKey("placed"));
  }

  static Map<String, Object> toApi(String reservationId, Map<String, Object> row) {
    Map<String, Object> doc =
        Json.obj(
            "reservationId", reservationId,
            "guestId", row.get("guestId"),
            "hotelId", row.get("hotelId"),
            "roomType", row.get("roomType"),
            "checkIn", row.get("checkIn"),
            "checkOut", row.get("checkOut"),
            "guests", row.get("guests"),
            "status", row.containsKey("cancelledAt") ? "CANCELLED" : "CONFIRMED",
            "totalPrice",
                Json.obj("amount", row.get("totalAmount"), "currency", row.get("totalCurrency")),
            "bookedAt", row.get("bookedAt"));
    if (row.containsKey("cancelledAt")) {
      doc.put("cancelledAt", row.get("cancelledAt"));
    }
    return doc;
  }
}
