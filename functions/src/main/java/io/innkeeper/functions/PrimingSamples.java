package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.innkeeper.core.command.CommandEnvelope;
import java.util.Map;

/**
 * The synthetic inputs the handlers prime with. Every id in them is {@link
 * io.innkeeper.core.Priming#ABSENT_ID}, so every read they cause misses.
 */
final class PrimingSamples {
  private PrimingSamples() {}

  /** A request as API Gateway hands it over, from an authenticated non-admin caller. */
  static APIGatewayV2HTTPEvent request(
      String routeKey, Map<String, String> path, Map<String, String> headers, String body) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(routeKey)
        .withHeaders(headers)
        .withPathParameters(path)
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId(ABSENT_ID)
                .withAuthorizer(
                    APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(
                            APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                                .builder()
                                .withClaims(Map.of("sub", ABSENT_ID))
                                .build())
                        .build())
                .build())
        .build();
  }

  /**
   * Fails the priming step when a synthetic request got another answer than the harmless one it was
   * designed for: a sign the route drifted, and that the request no longer primes what it should
   * (or, for a command route, might not be harmless any more).
   */
  static void expect(int status, APIGatewayV2HTTPResponse response) {
    if (response.getStatusCode() != status) {
      throw new IllegalStateException(
          "answered " + response.getStatusCode() + ", not " + status + ": " + response.getBody());
    }
  }

  /** A queued RegisterHotel as command-api enqueues it (the SQS message body). */
  static CommandEnvelope registerHotel() {
    return CommandEnvelope.fromJson(
        """
        {"commandId":"%1$s","type":"RegisterHotel","version":1,"callerId":"%1$s",
         "callerAdmin":true,"acceptedAt":"2026-01-01T00:00:00Z","requestId":"%1$s",
         "payload":{"hotelId":"%1$s","name":"Priming","city":"Zurich",
           "roomTypes":[{"code":"DBL","name":"Double room","maxGuests":2}]}}
        """
            .formatted(ABSENT_ID));
  }

  /** A queued BookRoom; its hotel is unknown, so the decision is a rejection. */
  static CommandEnvelope bookRoom() {
    return CommandEnvelope.fromJson(
        """
        {"commandId":"%1$s","type":"BookRoom","version":1,"callerId":"%1$s",
         "callerAdmin":false,"acceptedAt":"2026-01-01T00:00:00Z","requestId":"%1$s",
         "payload":{"reservationId":"%1$s","guestId":"%1$s","hotelId":"%1$s","roomType":"DBL",
           "checkIn":"2026-01-02","checkOut":"2026-01-04","guests":2}}
        """
            .formatted(ABSENT_ID));
  }

  /**
   * HotelRegistered at schema version 1, as the events table streams it: decoding it runs the
   * v1-to-v2 upcaster, which real streams still carry for hotels registered before v2.
   */
  static Map<String, AttributeValue> hotelRegisteredV1() {
    return eventImage(
        "hotel#" + ABSENT_ID,
        "HotelRegistered",
        1,
        """
        {"hotelId":"%1$s","name":"Priming","city":"Zurich",
         "roomTypes":[{"code":"DBL","name":"Double room","maxGuests":2}],
         "registeredAt":"2026-01-01T00:00:00Z"}
        """
            .formatted(ABSENT_ID));
  }

  /** ReservationPlaced, which feeds the reservations, availability and occupancy projections. */
  static Map<String, AttributeValue> reservationPlaced() {
    return eventImage(
        "reservation#" + ABSENT_ID,
        "ReservationPlaced",
        1,
        """
        {"reservationId":"%1$s","guestId":"%1$s","hotelId":"%1$s","roomType":"DBL",
         "checkIn":"2026-01-02","checkOut":"2026-01-04","guests":2,
         "totalPrice":{"amount":"240.00","currency":"EUR"},"bookedAt":"2026-01-01T00:00:00Z"}
        """
            .formatted(ABSENT_ID));
  }

  /** An event item (the stream's new image) as the events table stores it. */
  private static Map<String, AttributeValue> eventImage(
      String streamId, String type, int schemaVersion, String data) {
    return Map.of(
        "pk", new AttributeValue().withS(streamId),
        "sk", new AttributeValue().withN("1"),
        "kind", new AttributeValue().withS("event"),
        "type", new AttributeValue().withS(type),
        "schemaVersion", new AttributeValue().withN(Integer.toString(schemaVersion)),
        "data", new AttributeValue().withS(data),
        "commandId", new AttributeValue().withS(ABSENT_ID),
        "occurredAt", new AttributeValue().withS("2026-01-01T00:00:00Z"));
  }
}
