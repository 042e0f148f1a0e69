package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.innkeeper.core.command.CommandEnvelope;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.events.Json;
import java.time.Instant;
import java.util.Map;

/**
 * The domain's priming samples ({@link PrimingSamples}) as the functions receive them: an API
 * Gateway event, a queued command envelope, a stream record's new image. Every id the handlers add
 * is {@link io.innkeeper.core.Priming#ABSENT_ID}, so every read they cause misses.
 */
final class PrimingEvents {
  private PrimingEvents() {}

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  /** A request as API Gateway hands it over, from an authenticated non-admin caller. */
  static APIGatewayV2HTTPEvent request(PrimingSamples.Request r) {
    return request(r.routeKey(), r.pathParameters(), r.headers(), r.body());
  }

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

  /** A queued command as command-api enqueues it (the SQS message body). */
  static CommandEnvelope command(PrimingSamples.Command c) {
    return new CommandEnvelope(
        ABSENT_ID,
        c.type(),
        c.version(),
        ABSENT_ID,
        c.callerAdmin(),
        AT,
        ABSENT_ID,
        Json.parseObject(c.payload()));
  }

  /** An event item (the stream's new image) as the events table stores it. */
  static Map<String, AttributeValue> eventImage(PrimingSamples.Event e) {
    return Map.of(
        "pk", new AttributeValue().withS(e.streamId()),
        "sk", new AttributeValue().withN("1"),
        "kind", new AttributeValue().withS("event"),
        "type", new AttributeValue().withS(e.type()),
        "schemaVersion", new AttributeValue().withN(Integer.toString(e.schemaVersion())),
        "data", new AttributeValue().withS(e.data()),
        "commandId", new AttributeValue().withS(ABSENT_ID),
        "occurredAt", new AttributeValue().withS(AT.toString()));
  }
}
