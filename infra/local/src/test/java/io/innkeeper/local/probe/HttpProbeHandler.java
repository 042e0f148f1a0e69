package io.innkeeper.local.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;

/**
 * An HTTP API function that does what its query says: {@code sleepMillis=N} sleeps first, {@code
 * answerBytes=N} answers a body of N bytes; otherwise 200 {@code {"ok":true}}.
 */
public final class HttpProbeHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    Map<String, String> query =
        event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    if (query.containsKey("sleepMillis")) {
      try {
        Thread.sleep(Long.parseLong(query.get("sleepMillis")));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String body =
        query.containsKey("answerBytes")
            ? "a".repeat(Integer.parseInt(query.get("answerBytes")))
            : "{\"ok\":true}";
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(200)
        .withHeaders(Map.of("Content-Type", "application/json"))
        .withBody(body)
        .build();
  }
}
