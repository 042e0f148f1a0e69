package io.innkeeper.hotel.guestmessages;

import io.innkeeper.core.bus.Subscriber;
import io.innkeeper.core.domain.QueryEndpoint;
import io.innkeeper.core.domain.Route;
import io.innkeeper.core.domain.SubscriberService;
import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.Json;
import io.innkeeper.events.hotel.published.HotelPublishedEvent;
import io.innkeeper.events.hotel.published.HotelPublishedEvent.AllotmentSetV1;
import io.innkeeper.events.hotel.published.HotelPublishedEvent.HotelRegisteredV1;
import io.innkeeper.events.hotel.published.HotelPublishedEvent.ReservationCancelledV1;
import io.innkeeper.events.hotel.published.HotelPublishedEvent.ReservationPlacedV1;
import io.innkeeper.events.published.CloudEvent;
import io.innkeeper.events.published.PublishedEvent;
import java.util.List;
import java.util.Map;

/**
 * The guest-messages service: a per-guest feed of confirmation and cancellation notices, kept from
 * the event bus. It subscribes to two published types only (its subscription's filter policy), and
 * knows nothing of the hotel's internal events or read models: it is the product's own proof that a
 * service can live on the published language alone.
 *
 * <p>Its table ({@value #TABLE}) holds, besides the marks the runtime keeps per aggregate:
 *
 * <ul>
 *   <li>{@code booking#<reservationId>} / {@code guest}: whose reservation it is, learnt from the
 *       placed event (the cancelled event names no guest, and always comes after it);
 *   <li>{@code guest#<guestId>} / {@code msg#<epoch millis, 15 digits>#<eventId>}: one notice, so a
 *       descending query reads the feed newest first and a repeated event writes the same row.
 * </ul>
 */
public final class GuestMessages implements Subscriber {
  /** The service's id: its queue, functions, metrics. */
  public static final String SERVICE = "guest-messages";

  /** The service's table. */
  public static final String TABLE = "guest-feed";

  /** The published types it follows. */
  public static final List<String> TYPES =
      List.of(HotelPublishedEvent.RESERVATION_PLACED, HotelPublishedEvent.RESERVATION_CANCELLED);

  static final String CONFIRMED = "BOOKING_CONFIRMED";
  static final String CANCELLED = "BOOKING_CANCELLED";

  private final String table;

  public GuestMessages(String table) {
    this.table = table;
  }

  /** The service as the domain declares it. */
  public static SubscriberService service() {
    return new SubscriberService(
        SERVICE,
        TYPES,
        List.of(TABLE),
        tables -> new GuestMessages(tables.name(TABLE)),
        List.of(
            new QueryEndpoint(
                Route.authenticated("GET", "/me/messages"),
                q -> new MessagesQuery(q.store(), q.tables().name(TABLE), q.cursors())::mine)));
  }

  static String guestPk(String guestId) {
    return "guest#" + guestId;
  }

  static String messageSk(CloudEvent event) {
    return "msg#" + String.format("%015d", event.time().toEpochMilli()) + "#" + event.id();
  }

  private RowKey booking(String reservationId) {
    return new RowKey(table, "booking#" + reservationId, "guest");
  }

  @Override
  public List<RowKey> reads(CloudEvent event, PublishedEvent data) {
    if (!(data instanceof HotelPublishedEvent hotel)) {
      return List.of();
    }
    return switch (hotel) {
      case ReservationPlacedV1 p -> List.of(booking(p.reservationId()));
      case ReservationCancelledV1 c -> List.of(booking(c.reservationId()));
      case HotelRegisteredV1 h -> List.of();
      case AllotmentSetV1 a -> List.of();
    };
  }

  @Override
  public List<RowChange> apply(CloudEvent event, PublishedEvent data, Rows current) {
    if (!(data instanceof HotelPublishedEvent hotel)) {
      return List.of();
    }
    return switch (hotel) {
      case ReservationPlacedV1 p ->
          List.of(
              new RowChange(
                  booking(p.reservationId()),
                  Map.of("guestId", p.guestId(), "hotelId", p.hotelId())),
              notice(
                  event,
                  p.guestId(),
                  Json.obj(
                      "kind", CONFIRMED,
                      "reservationId", p.reservationId(),
                      "hotelId", p.hotelId(),
                      "roomType", p.roomType(),
                      "checkIn", p.checkIn().toString(),
                      "checkOut", p.checkOut().toString(),
                      "guests", (long) p.guests(),
                      "totalAmount", p.totalPrice().amount().toPlainString(),
                      "totalCurrency", p.totalPrice().currency(),
                      "text",
                          "Your booking of a "
                              + p.roomType()
                              + " room from "
                              + p.checkIn()
                              + " to "
                              + p.checkOut()
                              + " is confirmed ("
                              + p.totalPrice().amount().toPlainString()
                              + " "
                              + p.totalPrice().currency()
                              + "). Reservation "
                              + p.reservationId()
                              + ".")));
      case ReservationCancelledV1 c -> {
        Object guest = current.attributes(booking(c.reservationId())).get("guestId");
        if (!(guest instanceof String guestId)) {
          // Its placed event never reached this service (it subscribed later and was not
          // backfilled): there is no guest to tell.
          yield List.of();
        }
        yield List.of(
            notice(
                event,
                guestId,
                Json.obj(
                    "kind", CANCELLED,
                    "reservationId", c.reservationId(),
                    "hotelId", c.hotelId(),
                    "roomType", c.roomType(),
                    "checkIn", c.checkIn().toString(),
                    "checkOut", c.checkOut().toString(),
                    "reason", c.reason(),
                    "text",
                        "Your booking of a "
                            + c.roomType()
                            + " room from "
                            + c.checkIn()
                            + " to "
                            + c.checkOut()
                            + " is cancelled. Reservation "
                            + c.reservationId()
                            + ".")));
      }
      case HotelRegisteredV1 h -> List.of();
      case AllotmentSetV1 a -> List.of();
    };
  }

  private RowChange notice(CloudEvent event, String guestId, Map<String, Object> fields) {
    Map<String, Object> row = new java.util.LinkedHashMap<>(fields);
    row.put("messageId", event.id());
    row.put("at", event.time().toString());
    return new RowChange(new RowKey(table, guestPk(guestId), messageSk(event)), row);
  }
}
