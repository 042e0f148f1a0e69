package io.innkeeper.local.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.innkeeper.local.lambda.FunctionInvoker;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import io.innkeeper.topology.Trigger.HttpRoute;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpGatewayTest {

  private static final TokenIssuer TOKENS = new TokenIssuer();
  private static final String OK =
      "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\"},"
          + "\"body\":\"{\\\"ok\\\":true}\",\"isBase64Encoded\":false}";

  private static PojoSerializer<APIGatewayV2HTTPEvent> events;

  private final FakeInvoker invoker = new FakeInvoker();
  private HttpGateway gateway;
  private HttpClient client;

  @BeforeAll
  static void serializer() {
    events =
        LambdaEventSerializers.serializerFor(
            APIGatewayV2HTTPEvent.class, HttpGatewayTest.class.getClassLoader());
  }

  @BeforeEach
  void start() throws IOException {
    gateway = new HttpGateway(topology(), invoker, TOKENS, "127.0.0.1", 0);
    gateway.start();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void publicRouteGetsPathAndQueryParametersAndNoAuthorizer() throws Exception {
    HttpResponse<String> response =
        send(get("/hotels/h%20x%2Fy+z?city=Berlin&city=S%C3%A3o+Paulo&flag&empty=").build());

    assertEquals(200, response.statusCode());
    Invocation invocation = invoker.only();
    assertEquals("query-api", invocation.functionId());
    APIGatewayV2HTTPEvent event = events.fromJson(invocation.eventJson());
    assertEquals("2.0", event.getVersion());
    assertEquals("GET /hotels/{hotelId}", event.getRouteKey());
    assertEquals("/hotels/h%20x%2Fy+z", event.getRawPath());
    assertEquals("city=Berlin&city=S%C3%A3o+Paulo&flag&empty=", event.getRawQueryString());
    assertEquals(Map.of("hotelId", "h x/y+z"), event.getPathParameters());
    assertEquals(
        Map.of("city", "Berlin,São Paulo", "flag", "", "empty", ""),
        event.getQueryStringParameters());
    assertNull(event.getBody());
    assertFalse(event.getIsBase64Encoded());
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    assertNull(context.getAuthorizer());
    assertEquals("GET /hotels/{hotelId}", context.getRouteKey());
    assertEquals("$default", context.getStage());
    assertEquals("GET", context.getHttp().getMethod());
    assertEquals("/hotels/h%20x%2Fy+z", context.getHttp().getPath());
    assertEquals("HTTP/1.1", context.getHttp().getProtocol());
    assertEquals("127.0.0.1", context.getHttp().getSourceIp());
    assertEquals(
        response.headers().firstValue("apigw-requestid").orElseThrow(), context.getRequestId());
    assertTrue(Math.abs(System.currentTimeMillis() - context.getTimeEpoch()) < 60_000);
    assertTrue(
        context.getTime().matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000"));
    assertNotNull(context.getAccountId());
    assertNotNull(context.getApiId());
    assertEquals("127.0.0.1:" + gateway.port(), context.getDomainName());
  }

  @Test
  void eventWithoutQueryOrPathParametersLeavesThemOut() throws Exception {
    send(get("/hotels").build());

    APIGatewayV2HTTPEvent event = events.fromJson(invoker.only().eventJson());
    assertEquals("", event.getRawQueryString());
    assertNull(event.getQueryStringParameters());
    assertNull(event.getPathParameters());
    Map<String, Object> raw = GatewayJson.parseObject(invoker.only().eventJson()).orElseThrow();
    assertFalse(raw.containsKey("queryStringParameters"));
    assertFalse(raw.containsKey("pathParameters"));
    assertFalse(raw.containsKey("body"));
  }

  @Test
  void headersAreLowerCasedRepeatedOnesJoinedAndCookiesSplitOut() throws Exception {
    send(
        get("/hotels")
            .header("X-Trace-Thing", "one")
            .header("X-Trace-Thing", "two")
            .header("User-Agent", "gateway-test/1.0")
            .header("Cookie", "a=1; b=2")
            .build());

    APIGatewayV2HTTPEvent event = events.fromJson(invoker.only().eventJson());
    Map<String, String> headers = event.getHeaders();
    assertEquals("one,two", headers.get("x-trace-thing"));
    assertEquals("gateway-test/1.0", headers.get("user-agent"));
    assertEquals("127.0.0.1:" + gateway.port(), headers.get("host"));
    assertFalse(headers.containsKey("cookie"));
    assertEquals(List.of("a=1", "b=2"), event.getCookies());
    assertEquals("gateway-test/1.0", event.getRequestContext().getHttp().getUserAgent());
    for (String name : headers.keySet()) {
      assertEquals(name.toLowerCase(java.util.Locale.ROOT), name);
    }
  }

  @Test
  void hopByHopHeadersStayAtTheGateway() throws Exception {
    String answer =
        raw(
            "GET /hotels HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Upgrade: h2c\r\nTE: trailers\r\nX-Kept: yes\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
    Map<String, String> headers = events.fromJson(invoker.only().eventJson()).getHeaders();
    assertEquals("yes", headers.get("x-kept"));
    assertEquals("127.0.0.1", headers.get("x-forwarded-for"));
    assertFalse(headers.containsKey("connection"));
    assertFalse(headers.containsKey("upgrade"));
    assertFalse(headers.containsKey("te"));
  }

  @Test
  void authenticatedRouteReceivesClaimsAsTheJwtAuthorizerRendersThem() throws Exception {
    String token = TOKENS.mint("alice", List.of("admin", "guest"), Duration.ofHours(1));
    String body = "{\"name\":\"Hotel Ærø\",\"city\":\"Berlin\"}";

    HttpResponse<String> response =
        send(
            post("/hotels", body)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .build());

    assertEquals(200, response.statusCode());
    Invocation invocation = invoker.only();
    assertEquals("command-api", invocation.functionId());
    APIGatewayV2HTTPEvent event = events.fromJson(invocation.eventJson());
    assertEquals("POST /hotels", event.getRouteKey());
    assertEquals(body, event.getBody());
    assertFalse(event.getIsBase64Encoded());
    assertEquals("application/json", event.getHeaders().get("content-type"));
    assertEquals("Bearer " + token, event.getHeaders().get("authorization"));
    Map<String, String> claims = event.getRequestContext().getAuthorizer().getJwt().getClaims();
    assertEquals("alice", claims.get("sub"));
    assertEquals("[admin guest]", claims.get("cognito:groups"));
    assertEquals(TokenIssuer.ISSUER, claims.get("iss"));
    assertEquals("access", claims.get("token_use"));
    assertTrue(claims.get("exp").matches("\\d+"));
    assertNull(event.getRequestContext().getAuthorizer().getJwt().getScopes());
    assertTrue(
        invocation.eventJson().contains("\"scopes\":null"),
        "API Gateway sends scopes as an explicit null");
  }

  @Test
  void publicRouteIgnoresATokenAsApiGatewaySkipsTheAuthorizer() throws Exception {
    String token = TOKENS.mint("alice", List.of("admin"), Duration.ofHours(1));

    assertEquals(
        200, send(get("/hotels").header("Authorization", "Bearer " + token).build()).statusCode());
    assertEquals(
        200, send(get("/hotels").header("Authorization", "Bearer garbage").build()).statusCode());

    for (Invocation invocation : invoker.invocations) {
      assertNull(events.fromJson(invocation.eventJson()).getRequestContext().getAuthorizer());
    }
  }

  @Test
  void missingOrInvalidTokenIs401AndTheFunctionIsNotInvoked() throws Exception {
    List<HttpRequest> requests = new ArrayList<>();
    requests.add(post("/hotels", "{}").build());
    requests.add(post("/hotels", "{}").header("Authorization", "Bearer").build());
    requests.add(post("/hotels", "{}").header("Authorization", "Bearer not.a.token").build());
    requests.add(
        post("/hotels", "{}")
            .header(
                "Authorization",
                "Bearer " + new TokenIssuer().mint("alice", List.of("admin"), Duration.ofHours(1)))
            .build());
    requests.add(
        post("/hotels", "{}")
            .header(
                "Authorization",
                "Bearer " + TOKENS.mint("alice", List.of("admin"), Duration.ofSeconds(-60)))
            .build());
    requests.add(
        post("/hotels", "{}")
            .header(
                "Authorization",
                "Basic " + TOKENS.mint("alice", List.of("admin"), Duration.ofHours(1)))
            .build());
    requests.add(get("/commands/c1").build());
    // What the authorizer says of each: no token (a bare challenge), or why it refused one.
    List<String> challenges =
        List.of(
            "Bearer",
            "Bearer",
            refused(TokenIssuer.INVALID),
            refused(TokenIssuer.INVALID),
            refused(TokenIssuer.EXPIRED),
            "Bearer",
            "Bearer");

    for (int i = 0; i < requests.size(); i++) {
      HttpResponse<String> response = send(requests.get(i));
      assertAws(response, 401, "Unauthorized");
      assertEquals(
          challenges.get(i),
          response.headers().firstValue("www-authenticate").orElseThrow(),
          requests.get(i).headers().map().toString());
    }
    assertTrue(invoker.invocations.isEmpty());
  }

  private static String refused(String description) {
    return "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + description + "\"";
  }

  @Test
  void schemeOfBearerIsCaseInsensitive() throws Exception {
    String token = TOKENS.mint("bob", List.of(), Duration.ofHours(1));

    HttpResponse<String> response =
        send(get("/commands/c-1").header("Authorization", "bearer " + token).build());

    assertEquals(200, response.statusCode());
    APIGatewayV2HTTPEvent event = events.fromJson(invoker.only().eventJson());
    assertEquals(Map.of("commandId", "c-1"), event.getPathParameters());
    assertEquals("bob", event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub"));
    assertFalse(
        event
            .getRequestContext()
            .getAuthorizer()
            .getJwt()
            .getClaims()
            .containsKey("cognito:groups"));
  }

  @Test
  void unknownPathIs404AsApiGatewayAnswersIt() throws Exception {
    for (String path : List.of("/nope", "/hotels/", "/hotels/h1/extra", "/", "/hotels//")) {
      HttpResponse<String> response = send(get(path).build());
      assertAws(response, 404, "Not Found");
      assertTrue(response.headers().firstValue("apigw-requestid").isPresent());
    }
    assertTrue(invoker.invocations.isEmpty());
  }

  @Test
  void knownPathWithWrongMethodIsTheSame404AsAnUnknownRoute() throws Exception {
    HttpResponse<String> response =
        send(request("/hotels").method("DELETE", BodyPublishers.noBody()).build());

    // An HTTP API matches method and path together: no route, no 405 and no Allow.
    assertAws(response, 404, "Not Found");
    assertFalse(response.headers().firstValue("Allow").isPresent());

    HttpResponse<String> put =
        send(request("/hotels/h1").PUT(BodyPublishers.ofString("{}")).build());
    assertAws(put, 404, "Not Found");
    assertTrue(invoker.invocations.isEmpty());
  }

  @Test
  void literalSegmentsWinOverParameters() throws Exception {
    FunctionSpec special = function("special", new HttpRoute("GET", "/hotels/special", false));
    List<FunctionSpec> functions = new ArrayList<>(topology().functions());
    functions.add(special);
    try (HttpGateway specific =
        new HttpGateway(
            new Topology(List.of(), List.of(), functions), invoker, TOKENS, "127.0.0.1", 0)) {
      specific.start();
      send(
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + specific.port() + "/hotels/special"))
              .build());
    }

    assertEquals("special", invoker.only().functionId());
  }

  @Test
  void malformedPercentEncodingIs400() throws Exception {
    // java.net.URI refuses to build these, so they go over a plain socket. The JDK server itself
    // refuses such request lines (its own 400 page) before the gateway sees them.
    for (String target : List.of("/hotels/h%zz", "/hotels?city=%E", "/hotels?%G0=x")) {
      String answer =
          raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    }
    assertTrue(invoker.invocations.isEmpty());
  }

  @Test
  void responseStatusHeadersCookiesAndBodyPassThrough() throws Exception {
    invoker.responder =
        (id, event) ->
            "{\"statusCode\":202,"
                + "\"headers\":{\"Content-Type\":\"application/json\",\"Location\":\"/commands/c1\"},"
                + "\"multiValueHeaders\":{\"X-Many\":[\"1\",\"2\"]},"
                + "\"cookies\":[\"session=abc; HttpOnly\",\"theme=dark\"],"
                + "\"body\":\"{\\\"commandId\\\":\\\"c1\\\"}\",\"isBase64Encoded\":false}";
    String token = TOKENS.mint("alice", List.of("admin"), Duration.ofHours(1));

    HttpResponse<String> response =
        send(post("/hotels", "{}").header("Authorization", "Bearer " + token).build());

    assertEquals(202, response.statusCode());
    assertEquals("{\"commandId\":\"c1\"}", response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("/commands/c1", response.headers().firstValue("Location").orElseThrow());
    assertEquals(List.of("1", "2"), response.headers().allValues("X-Many"));
    assertEquals(
        List.of("session=abc; HttpOnly", "theme=dark"), response.headers().allValues("Set-Cookie"));
  }

  @Test
  void responseOfTheLambdaSerializerShapeIsUnderstood() throws Exception {
    // What aws-lambda-java-serialization writes for an APIGatewayV2HTTPResponse: nulls included.
    invoker.responder =
        (id, event) ->
            "{\"statusCode\":404,\"headers\":{\"Content-Type\":\"application/problem+json\"},"
                + "\"multiValueHeaders\":null,\"cookies\":null,"
                + "\"body\":\"{\\\"status\\\":404}\",\"isBase64Encoded\":false}";

    HttpResponse<String> response = send(get("/hotels/unknown").build());

    assertEquals(404, response.statusCode());
    assertEquals("{\"status\":404}", response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void base64ResponseBodyIsDecoded() throws Exception {
    byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
    invoker.responder =
        (id, event) ->
            "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/octet-stream\"},"
                + "\"body\":\""
                + Base64.getEncoder().encodeToString(bytes)
                + "\",\"isBase64Encoded\":true}";

    HttpResponse<byte[]> response = client.send(get("/hotels").build(), BodyHandlers.ofByteArray());

    assertEquals(200, response.statusCode());
    assertArrayEquals(bytes, response.body());
  }

  @Test
  void simpleResponseFormBecomes200Json() throws Exception {
    invoker.responder = (id, event) -> "{\"items\":[]}";

    HttpResponse<String> response = send(get("/hotels").build());

    assertEquals(200, response.statusCode());
    assertEquals("{\"items\":[]}", response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void emptyBodyResponseHasNoContent() throws Exception {
    invoker.responder = (id, event) -> "{\"statusCode\":204}";

    HttpResponse<String> response = send(get("/hotels").build());

    assertEquals(204, response.statusCode());
    assertEquals("", response.body());
  }

  @Test
  void functionErrorIs500WithoutInternals() throws Exception {
    invoker.responder =
        (id, event) -> {
          throw new FunctionInvoker.FunctionError(
              "io.innkeeper.functions.SecretHandler blew up",
              new IllegalStateException("table innkeeper-events unreachable"));
        };

    HttpResponse<String> response = send(get("/hotels").build());

    assertAws(response, 500, "Internal Server Error");
    assertFalse(response.body().contains("innkeeper"), response.body());
    assertFalse(response.body().contains("Exception"), response.body());
    assertFalse(response.body().contains("Secret"), response.body());
    assertTrue(response.headers().firstValue("apigw-requestid").isPresent());
  }

  @Test
  void malformedFunctionResponsesAre500() throws Exception {
    List<String> malformed =
        java.util.Arrays.asList(
            null,
            "",
            "not json",
            "[1,2]",
            "\"text\"",
            "null",
            "{\"statusCode\":\"200\"}",
            "{\"statusCode\":99}",
            "{\"statusCode\":700}",
            "{\"statusCode\":200,\"headers\":[\"x\"]}",
            "{\"statusCode\":200,\"headers\":{\"X-Evil\":\"a\\r\\nSet-Cookie: b=c\"}}",
            "{\"statusCode\":200,\"headers\":{\"Bad Name\":\"a\"}}",
            "{\"statusCode\":200,\"body\":{\"nested\":true}}",
            "{\"statusCode\":200,\"body\":\"!!!\",\"isBase64Encoded\":true}",
            "{\"statusCode\":200} trailing",
            "{\"statusCode\":200,\"statusCode\":201}");
    for (String answer : malformed) {
      invoker.responder = (id, event) -> answer;
      HttpResponse<String> response = send(get("/hotels").build());
      assertAws(response, 500, "Internal Server Error");
      assertFalse(response.headers().firstValue("Set-Cookie").isPresent());
    }
  }

  @Test
  void binaryRequestBodyIsBase64Encoded() throws Exception {
    byte[] bytes = {(byte) 0xca, (byte) 0xfe, 0, (byte) 0xba, (byte) 0xbe};
    String token = TOKENS.mint("alice", List.of("admin"), Duration.ofHours(1));

    send(
        request("/hotels/h1/allotments")
            .POST(BodyPublishers.ofByteArray(bytes))
            .header("Content-Type", "application/octet-stream")
            .header("Authorization", "Bearer " + token)
            .build());

    APIGatewayV2HTTPEvent event = events.fromJson(invoker.only().eventJson());
    assertEquals("POST /hotels/{hotelId}/allotments", event.getRouteKey());
    assertEquals(Map.of("hotelId", "h1"), event.getPathParameters());
    assertTrue(event.getIsBase64Encoded());
    assertArrayEquals(bytes, Base64.getDecoder().decode(event.getBody()));
  }

  @Test
  void textBodyWithoutContentTypeStaysText() throws Exception {
    String token = TOKENS.mint("alice", List.of(), Duration.ofHours(1));

    send(
        post("/reservations/r1/cancel", "{\"reason\":\"plans changed\"}")
            .header("Authorization", "Bearer " + token)
            .build());

    APIGatewayV2HTTPEvent event = events.fromJson(invoker.only().eventJson());
    assertEquals("{\"reason\":\"plans changed\"}", event.getBody());
    assertFalse(event.getIsBase64Encoded());
  }

  @Test
  void everyRequestGetsItsOwnRequestId() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> response = send(get("/hotels").build());
      String id = response.headers().firstValue("apigw-requestid").orElseThrow();
      assertEquals(
          id,
          events
              .fromJson(invoker.invocations.get(i).eventJson())
              .getRequestContext()
              .getRequestId());
      ids.add(id);
    }
    assertEquals(5, ids.size());
  }

  @Test
  void requestsAreServedInParallel() throws Exception {
    int parallel = 6;
    CountDownLatch allInside = new CountDownLatch(parallel);
    invoker.responder =
        (id, event) -> {
          allInside.countDown();
          try {
            // Only returns if every request reached the function at the same time.
            if (!allInside.await(20, TimeUnit.SECONDS)) {
              throw new FunctionInvoker.FunctionError("not parallel", null);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionInvoker.FunctionError("interrupted", e);
          }
          return OK;
        };

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < parallel; i++) {
      responses.add(client.sendAsync(get("/hotels").build(), BodyHandlers.ofString()));
    }

    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode());
    }
  }

  @Test
  void localTokensEndpointIssuesUsableTokens() throws Exception {
    HttpResponse<String> response =
        send(
            post("/_local/tokens", "{\"sub\":\"alice\",\"groups\":[\"admin\"],\"ttlSeconds\":120}")
                .header("Content-Type", "application/json")
                .build());

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    String token = (String) GatewayJson.parseObject(response.body()).orElseThrow().get("token");
    Map<String, String> claims = TOKENS.verify(token).orElseThrow();
    assertEquals("alice", claims.get("sub"));
    assertEquals("[admin]", claims.get("cognito:groups"));
    assertEquals(120, Long.parseLong(claims.get("exp")) - Long.parseLong(claims.get("iat")));
    assertTrue(invoker.invocations.isEmpty());

    HttpResponse<String> authorized =
        send(post("/hotels", "{}").header("Authorization", "Bearer " + token).build());
    assertEquals(200, authorized.statusCode());
  }

  @Test
  void localTokensEndpointDefaultsToOneHourWithoutGroups() throws Exception {
    HttpResponse<String> response = send(post("/_local/tokens", "{\"sub\":\"bob\"}").build());

    assertEquals(200, response.statusCode());
    Map<String, String> claims =
        TOKENS
            .verify((String) GatewayJson.parseObject(response.body()).orElseThrow().get("token"))
            .orElseThrow();
    assertEquals(3600, Long.parseLong(claims.get("exp")) - Long.parseLong(claims.get("iat")));
    assertFalse(claims.containsKey("cognito:groups"));
  }

  @Test
  void localTokensEndpointRejectsBadInputListingEveryField() throws Exception {
    Map<String, List<String>> cases =
        Map.of(
            "not json", List.of("body"),
            "[]", List.of("body"),
            "{}", List.of("sub"),
            "{\"sub\":\"a b\"}", List.of("sub"),
            "{\"sub\":42}", List.of("sub"),
            "{\"sub\":\"alice\",\"groups\":\"admin\"}", List.of("groups"),
            "{\"sub\":\"alice\",\"groups\":[\"admin\",\"no way\",7]}",
                List.of("groups[1]", "groups[2]"),
            "{\"sub\":\"alice\",\"ttlSeconds\":0}", List.of("ttlSeconds"),
            "{\"sub\":\"alice\",\"ttlSeconds\":86401}", List.of("ttlSeconds"),
            "{\"sub\":\"\",\"ttlSeconds\":\"60\",\"admin\":true}",
                List.of("admin", "sub", "ttlSeconds"));

    for (Map.Entry<String, List<String>> entry : cases.entrySet()) {
      HttpResponse<String> response = send(post("/_local/tokens", entry.getKey()).build());
      Map<String, Object> problem = assertProblem(response, 400, "Bad Request");
      List<String> fields = new ArrayList<>();
      for (Object error : (List<?>) problem.get("errors")) {
        fields.add((String) ((Map<?, ?>) error).get("field"));
        assertNotNull(((Map<?, ?>) error).get("message"));
      }
      fields.sort(null);
      assertEquals(entry.getValue(), fields, entry.getKey());
    }
  }

  @Test
  void localTokensEndpointMintsExpiredTokensForNegativeTtls() throws Exception {
    for (String ttl : List.of("-1", "-86400")) {
      HttpResponse<String> response =
          send(post("/_local/tokens", "{\"sub\":\"eve\",\"ttlSeconds\":" + ttl + "}").build());
      assertEquals(200, response.statusCode(), response.body());
      String token = (String) GatewayJson.parseObject(response.body()).orElseThrow().get("token");

      // Expired beyond the clock-skew tolerance from the first second, not in a few seconds.
      assertTrue(TOKENS.verify(token).isEmpty(), ttl);
      HttpResponse<String> refused =
          send(post("/hotels", "{}").header("Authorization", "Bearer " + token).build());
      assertAws(refused, 401, "Unauthorized");
      assertEquals(
          refused(TokenIssuer.EXPIRED),
          refused.headers().firstValue("www-authenticate").orElseThrow());
    }
    assertTrue(invoker.invocations.isEmpty());
    HttpResponse<String> tooOld =
        send(post("/_local/tokens", "{\"sub\":\"eve\",\"ttlSeconds\":-86401}").build());
    assertProblem(tooOld, 400, "Bad Request");
  }

  @Test
  void localTokensEndpointOnlyTakesPost() throws Exception {
    HttpResponse<String> response = send(get("/_local/tokens").build());

    assertProblem(response, 405, "Method Not Allowed");
    assertEquals("POST", response.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void declaredBodyOverTenMegabytesIs413() throws Exception {
    String answer =
        raw(
            "POST /hotels HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + (HttpGateway.MAX_BODY_BYTES + 1)
                + "\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    assertTrue(
        answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: text; charset=utf-8"),
        answer);
    assertTrue(answer.endsWith("\r\n\r\nHTTP content length exceeded 10485760 bytes."), answer);
    assertTrue(invoker.invocations.isEmpty());
  }

  @Test
  void chunkedBodyOverTenMegabytesIs413() throws Exception {
    byte[] body = new byte[HttpGateway.MAX_BODY_BYTES + 1];
    HttpRequest request =
        request("/hotels")
            .header("Authorization", "Bearer " + TOKENS.mint("a", List.of(), Duration.ofHours(1)))
            .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    HttpResponse<String> response = send(request);

    assertEquals(413, response.statusCode());
    assertEquals("HTTP content length exceeded 10485760 bytes.", response.body());
    assertTrue(invoker.invocations.isEmpty());
  }

  @Test
  void bodyOfExactlyTenMegabytesIsPassedOn() throws Exception {
    byte[] body = new byte[HttpGateway.MAX_BODY_BYTES];
    java.util.Arrays.fill(body, (byte) 'a');
    String token = TOKENS.mint("a", List.of(), Duration.ofHours(1));

    HttpResponse<String> response =
        send(
            request("/hotels")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofByteArray(body))
                .build());

    assertEquals(200, response.statusCode());
    assertEquals(
        HttpGateway.MAX_BODY_BYTES, events.fromJson(invoker.only().eventJson()).getBody().length());
  }

  @Test
  void oversizedHeadersAre431() throws Exception {
    String answer =
        raw(
            "GET /hotels HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "x".repeat(HttpGateway.MAX_REQUEST_HEAD_BYTES)
                + "\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
    assertTrue(invoker.invocations.isEmpty());
  }

  @Test
  void closeIsIdempotentAndStopsListening() throws Exception {
    int port = gateway.port();
    gateway.close();
    gateway.close();

    assertThrows(IllegalStateException.class, gateway::port);
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
  }

  @Test
  void duplicateRoutesAreRefused() {
    Topology duplicate =
        new Topology(
            List.of(),
            List.of(),
            List.of(
                function("a", new HttpRoute("GET", "/x", false)),
                function("b", new HttpRoute("GET", "/x", true))));

    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpGateway(duplicate, invoker, TOKENS, "127.0.0.1", 0));
  }

  @Test
  void aFunctionThatDoesNotAnswerWithinTheIntegrationTimeoutIs503() throws Exception {
    gateway.integrationTimeout(Duration.ofMillis(300));
    CountDownLatch released = new CountDownLatch(1);
    invoker.responder =
        (id, event) -> {
          try {
            released.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return OK;
        };
    long started = System.nanoTime();

    HttpResponse<String> response = send(get("/hotels").build());

    released.countDown();
    assertAws(response, 503, "Service Unavailable");
    assertTrue((System.nanoTime() - started) / 1_000_000 < 5000);
  }

  /**
   * An error the gateway makes itself, as API Gateway's HTTP API makes its own: {@code
   * {"message":"..."}} and no content type, with the request id.
   */
  static void assertAws(HttpResponse<String> response, int status, String message) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("{\"message\":\"" + message + "\"}", response.body());
    assertFalse(
        response.headers().firstValue("Content-Type").isPresent(),
        response.headers().map().toString());
    assertTrue(response.headers().firstValue("apigw-requestid").isPresent());
  }

  private Map<String, Object> assertProblem(
      HttpResponse<String> response, int status, String title) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
    Map<String, Object> problem = GatewayJson.parseObject(response.body()).orElseThrow();
    assertEquals(status, problem.get("status"));
    assertEquals(title, problem.get("title"));
    assertNotNull(problem.get("type"));
    return problem;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(30));
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private HttpRequest.Builder post(String path, String body) {
    return request(path).POST(BodyPublishers.ofString(body));
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, BodyHandlers.ofString());
  }

  // For requests java.net.http refuses to send: oversized heads, lying Content-Length.
  private String raw(String head) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static Topology topology() {
    return new Topology(
        List.of(),
        List.of(),
        List.of(
            function(
                "query-api",
                new HttpRoute("GET", "/hotels", false),
                new HttpRoute("GET", "/hotels/{hotelId}", false),
                new HttpRoute("GET", "/commands/{commandId}", true)),
            function(
                "command-api",
                new HttpRoute("POST", "/hotels", true),
                new HttpRoute("POST", "/hotels/{hotelId}/allotments", true),
                new HttpRoute("POST", "/reservations/{reservationId}/cancel", true))));
  }

  private static FunctionSpec function(String id, Trigger... triggers) {
    return new FunctionSpec(
        id, "io.innkeeper.functions.Fake", 512, 10, Map.of(), List.of(triggers), List.of());
  }

  private record Invocation(String functionId, String eventJson) {}

  private interface Responder {
    String respond(String functionId, String eventJson) throws FunctionInvoker.FunctionError;
  }

  private static final class FakeInvoker implements FunctionInvoker {
    final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    volatile Responder responder = (id, event) -> OK;

    @Override
    public String invoke(String functionId, String eventJson) throws FunctionError {
      invocations.add(new Invocation(functionId, eventJson));
      return responder.respond(functionId, eventJson);
    }

    Invocation only() {
      assertEquals(1, invocations.size(), "invocations");
      return invocations.get(0);
    }
  }
}
