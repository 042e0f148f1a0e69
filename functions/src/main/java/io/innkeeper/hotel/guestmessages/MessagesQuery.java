package io.innkeeper.hotel.guestmessages;

import io.innkeeper.core.http.ApiRequest;
import io.innkeeper.core.http.ApiResponse;
import io.innkeeper.core.http.BodyReader;
import io.innkeeper.core.http.Caller;
import io.innkeeper.core.query.ConsistencyGate.Freshness;
import io.innkeeper.core.query.Cursors;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowStore.RowQuery;
import io.innkeeper.events.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /me/messages?limit&cursor}: the caller's notices, newest first, one page per request
 * with a signed cursor (another caller's cursor is a 400). Only ever the caller's own feed.
 */
final class MessagesQuery {
  private final RowStore store;
  private final String table;
  private final Cursors cursors;

  MessagesQuery(RowStore store, String table, Cursors cursors) {
    this.store = store;
    this.table = table;
    this.cursors = cursors;
  }

  ApiResponse mine(ApiRequest request, Freshness freshness) {
    Caller caller = request.caller();
    Map<String, Object> params = request.queryParameters();
    BodyReader r = new BodyReader();
    Integer limit =
        r.integerParam(params, "limit", 1, Cursors.MAX_PAGE_SIZE, Cursors.DEFAULT_PAGE_SIZE);
    String scope = "me/messages\u0000" + caller.id();
    // A bad cursor is collected with the other parameters, so one 400 lists them together.
    String after = cursors.position(request, scope, r);
    r.throwIfInvalid();
    boolean consistent = freshness.await();
    var page =
        store.query(
            new RowQuery(
                table,
                GuestMessages.guestPk(caller.id()),
                "msg#",
                "msg#~",
                true,
                limit + 1,
                after,
                consistent));
    List<Row> rows = page.rows();
    boolean more = rows.size() > limit;
    List<Object> items = new ArrayList<>();
    for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
      items.add(toApi(row.attributes()));
    }
    Map<String, Object> body = Json.obj("items", items);
    if (more) {
      body.put("nextCursor", cursors.encode(scope, rows.get(limit - 1).key().sk()));
    }
    return ApiResponse.json(200, body);
  }

  static Map<String, Object> toApi(Map<String, Object> row) {
    return Json.obj(
        "messageId", row.get("messageId"),
        "kind", row.get("kind"),
        "reservationId", row.get("reservationId"),
        "hotelId", row.get("hotelId"),
        "roomType", row.get("roomType"),
        "checkIn", row.get("checkIn"),
        "checkOut", row.get("checkOut"),
        "guests", row.get("guests"),
        "totalPrice",
            row.get("totalAmount") == null
                ? null
                : Json.obj("amount", row.get("totalAmount"), "currency", row.get("totalCurrency")),
        "reason", row.get("reason"),
        "text", row.get("text"),
        "at", row.get("at"));
  }
}
