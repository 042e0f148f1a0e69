package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.Topology.RouteBinding;
import java.util.List;
import java.util.Map;
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

  private String onlyId(String type) {
    var found = synth.resources(type);
    assertEquals(1, found.size(), "exactly one " + type);
    return found.keySet().iterator().next();
  }
}
