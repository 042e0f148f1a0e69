package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.Topology.RouteBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HttpApiTest {

  private final Synth synth = Synth.innkeeper();

  @Test
  void everyTopologyRouteExistsOnceWithTheRightAuthorization() {
    List<RouteBinding> routes = synth.stack.topology().routes();
    Map<String, JsonNode> byKey =
        synth.resources("AWS::ApiGatewayV2::Route").values().stream()
            .map(r -> r.path("Properties"))
            .collect(Collectors.toMap(p -> p.path("RouteKey").asText(), p -> p));
    assertEquals(routes.size(), byKey.size(), "one route per topology route");
    String authorizer = onlyId("AWS::ApiGatewayV2::Authorizer");
    for (RouteBinding binding : routes) {
      String key = binding.route().routeKey();
      JsonNode route = byKey.get(key);
      assertTrue(route != null, "route " + key);
      if (binding.route().authenticated()) {
        assertEquals("JWT", route.path("AuthorizationType").asText(), key);
        assertEquals(authorizer, route.path("AuthorizerId").path("Ref").asText(), key);
      } else {
        assertEquals("NONE", route.path("AuthorizationType").asText(), key);
        assertFalse(route.has("AuthorizerId"), key);
      }
    }
  }

  @Test
  void everyRouteInvokesTheLiveAliasOfItsFunction() {
    Map<String, JsonNode> byKey =
        synth.resources("AWS::ApiGatewayV2::Route").values().stream()
            .map(r -> r.path("Properties"))
            .collect(Collectors.toMap(p -> p.path("RouteKey").asText(), p -> p));
    for (RouteBinding binding : synth.stack.topology().routes()) {
      JsonNode target = byKey.get(binding.route().routeKey()).path("Target");
      String integration = Synth.referencedIds(target).get(0);
      JsonNode props = synth.resource(integration).path("Properties");
      assertEquals("AWS_PROXY", props.path("IntegrationType").asText());
      assertEquals("2.0", props.path("PayloadFormatVersion").asText());
      String alias = synth.logicalId(synth.stack.functions().get(binding.function().id()).alias());
      assertEquals(alias, props.path("IntegrationUri").path("Ref").asText());
    }
  }

  @Test
  void theAuthorizerTrustsTheUserPoolAndItsClient() {
    JsonNode authorizer =
        synth.resource(onlyId("AWS::ApiGatewayV2::Authorizer")).path("Properties");
    assertEquals("JWT", authorizer.path("AuthorizerType").asText());
    assertEquals(
        "[\"$request.header.Authorization\"]", authorizer.path("IdentitySource").toString());
    JsonNode jwt = authorizer.path("JwtConfiguration");
    String pool = synth.logicalId(synth.stack.api().userPool());
    String client = synth.logicalId(synth.stack.api().userPoolClient());
    assertEquals(List.of(pool), Synth.referencedIds(jwt.path("Issuer")));
    assertEquals(List.of(client), Synth.referencedIds(jwt.path("Audience")));
  }

  @Test
  void theDefaultStageIsThrottled() {
    JsonNode stage = synth.resource(onlyId("AWS::ApiGatewayV2::Stage")).path("Properties");
    assertEquals("$default", stage.path("StageName").asText());
    assertTrue(stage.path("AutoDeploy").asBoolean());
    JsonNode settings = stage.path("DefaultRouteSettings");
    assertEquals(
        ((Number) Synth.cdkJsonContext().get(InnkeeperApp.API_RATE_LIMIT)).doubleValue(),
        settings.path("ThrottlingRateLimit").asDouble());
    assertEquals(
        ((Number) Synth.cdkJsonContext().get(InnkeeperApp.API_BURST_LIMIT)).intValue(),
        settings.path("ThrottlingBurstLimit").asInt());
  }

  @Test
  void usersAreCreatedByOperatorsAndSignInFromTheCommandLine() {
    JsonNode pool = synth.properties(synth.stack.api().userPool());
    assertTrue(pool.path("AdminCreateUserConfig").path("AllowAdminCreateUserOnly").asBoolean());
    JsonNode password = pool.path("Policies").path("PasswordPolicy");
    assertTrue(password.path("MinimumLength").asInt() >= 12);
    for (String required :
        List.of("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")) {
      assertTrue(password.path(required).asBoolean(), required);
    }
    JsonNode client = synth.properties(synth.stack.api().userPoolClient());
    assertFalse(client.path("GenerateSecret").asBoolean(), "public client");
    String flows = client.path("ExplicitAuthFlows").toString();
    assertTrue(flows.contains("ALLOW_USER_PASSWORD_AUTH"), flows);
    assertTrue(flows.contains("ALLOW_USER_SRP_AUTH"), flows);
    assertFalse(client.path("AllowedOAuthFlowsUserPoolClient").asBoolean(), "no hosted UI");

    JsonNode group = synth.resource(onlyId("AWS::Cognito::UserPoolGroup")).path("Properties");
    assertEquals(InnkeeperApi.ADMIN_GROUP, group.path("GroupName").asText());
    assertEquals(
        synth.logicalId(synth.stack.api().userPool()),
        group.path("UserPoolId").path("Ref").asText());
  }

  /**
   * The contract (docs/api.md): "Public routes (no token needed): GET /hotels, GET
   * /hotels/{hotelId}, GET /availability".
   */
  private static final Set<String> API_MD_PUBLIC_ROUTES =
      Set.of("GET /hotels", "GET /hotels/{hotelId}", "GET /availability");

  @Test
  void nothingIsReachableBeyondTheTopologyRoutes() {
    Set<String> expected =
        synth.stack.topology().routes().stream()
            .map(b -> b.route().routeKey())
            .collect(Collectors.toSet());
    List<JsonNode> routes =
        synth.resources("AWS::ApiGatewayV2::Route").values().stream()
            .map(r -> r.path("Properties"))
            .toList();
    Set<String> deployed =
        routes.stream().map(r -> r.path("RouteKey").asText()).collect(Collectors.toSet());
    assertEquals(expected, deployed, "the routes are exactly the topology's");
    assertEquals(routes.size(), deployed.size(), "no route twice");
    assertFalse(deployed.contains("$default"), "no catch-all route");
    String api = onlyId("AWS::ApiGatewayV2::Api");
    for (JsonNode route : routes) {
      assertEquals(api, route.path("ApiId").path("Ref").asText());
      String key = route.path("RouteKey").asText();
      if (API_MD_PUBLIC_ROUTES.contains(key)) {
        assertEquals("NONE", route.path("AuthorizationType").asText(), key + " is public");
      } else {
        assertEquals("JWT", route.path("AuthorizationType").asText(), key + " needs a token");
        assertEquals(
            onlyId("AWS::ApiGatewayV2::Authorizer"),
            route.path("AuthorizerId").path("Ref").asText(),
            key);
      }
    }
    for (String type :
        List.of(
            "AWS::Lambda::Url",
            "AWS::ApiGateway::RestApi",
            "AWS::ApiGatewayV2::DomainName",
            "AWS::ApiGatewayV2::ApiMapping",
            "AWS::Lambda::LayerVersionPermission")) {
      assertEquals(Map.of(), synth.resources(type), "no " + type);
    }
  }

  /**
   * Only API Gateway may invoke, only this API, one permission per route, and only the live alias
   * of the function serving that route: queue and stream consumers need no resource policy.
   */
  @Test
  void onlyThisApiMayInvokeAndOnlyTheFunctionsServingItsRoutes() {
    String api = onlyId("AWS::ApiGatewayV2::Api");
    Set<String> apiAliases =
        synth.stack.topology().routes().stream()
            .map(b -> synth.logicalId(synth.stack.functions().get(b.function().id()).alias()))
            .collect(Collectors.toSet());
    Map<String, JsonNode> permissions = synth.resources("AWS::Lambda::Permission");
    assertEquals(synth.stack.topology().routes().size(), permissions.size(), "one per route");
    Set<String> invoked = new java.util.HashSet<>();
    permissions.forEach(
        (id, permission) -> {
          JsonNode props = permission.path("Properties");
          assertEquals("lambda:InvokeFunction", props.path("Action").asText(), id);
          assertEquals("apigateway.amazonaws.com", props.path("Principal").asText(), id);
          assertEquals(List.of(api), Synth.referencedIds(props.path("SourceArn")), id);
          assertTrue(props.path("SourceArn").toString().contains(":execute-api:"), id);
          invoked.add(props.path("FunctionName").path("Ref").asText());
        });
    assertEquals(apiAliases, invoked, "the API functions' aliases, and nothing else");
  }

  @Test
  void theStageWritesAnAccessLogThatIsKeptForAMonth() throws Exception {
    JsonNode logs =
        synth
            .resource(onlyId("AWS::ApiGatewayV2::Stage"))
            .path("Properties")
            .path("AccessLogSettings");
    String logGroup = synth.logicalId(synth.stack.api().accessLogs());
    assertEquals(List.of(logGroup), Synth.referencedIds(logs.path("DestinationArn")));
    assertEquals(30, synth.resource(logGroup).path("Properties").path("RetentionInDays").asInt());
    JsonNode format = Synth.JSON.readTree(logs.path("Format").asText());
    for (String field : List.of("requestId", "ip", "routeKey", "status", "authorizerError")) {
      assertTrue(format.has(field), "access log field " + field);
    }
    assertFalse(
        logs.path("Format").asText().contains("$request.header"), "no headers: never the token");
  }

  @Test
  void tokensAreShortLivedAndSignInRevealsNoUser() {
    JsonNode client = synth.properties(synth.stack.api().userPoolClient());
    JsonNode units = client.path("TokenValidityUnits");
    assertEquals("minutes", units.path("AccessToken").asText());
    assertEquals("minutes", units.path("IdToken").asText());
    assertEquals("minutes", units.path("RefreshToken").asText());
    assertTrue(client.path("AccessTokenValidity").asInt() <= 60, "access token at most 1 h");
    assertTrue(client.path("IdTokenValidity").asInt() <= 60, "id token at most 1 h");
    assertTrue(client.path("RefreshTokenValidity").asInt() <= 30 * 24 * 60, "refresh at most 30 d");
    assertTrue(client.path("AccessTokenValidity").asInt() > 0, "set explicitly");
    assertEquals("ENABLED", client.path("PreventUserExistenceErrors").asText());
  }

  @Test
  void mfaIsOfferedWithAuthenticatorAppsOnly() {
    JsonNode pool = synth.properties(synth.stack.api().userPool());
    assertEquals("OPTIONAL", pool.path("MfaConfiguration").asText());
    assertEquals("[\"SOFTWARE_TOKEN_MFA\"]", pool.path("EnabledMfas").toString(), "no SMS");
    assertFalse(pool.has("SmsConfiguration"), "no SMS role");
  }

  private String onlyId(String type) {
    var found = synth.resources(type);
    assertEquals(1, found.size(), "exactly one " + type);
    return found.keySet().iterator().next();
  }
}
