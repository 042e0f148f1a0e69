package io.innkeeper.cdk;

import io.innkeeper.topology.Topology.RouteBinding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.CfnUserPoolGroup;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The HTTP API: a Cognito user pool whose tokens the JWT authorizer checks, one route per topology
 * route to its function's alias, and a throttled {@code $default} stage.
 */
public final class InnkeeperApi extends Construct {

  /** The Cognito group whose members the handlers treat as admins ({@code cognito:groups}). */
  public static final String ADMIN_GROUP = "admin";

  private final UserPool userPool;
  private final UserPoolClient userPoolClient;
  private final HttpApi httpApi;
  private final HttpStage stage;
  private final LogGroup accessLogs;

  /**
   * Properties of an {@link InnkeeperApi}.
   *
   * @param routes every topology route with the function that serves it
   * @param functions deployed functions by topology id
   * @param rateLimit steady-state requests per second of the stage
   * @param burstLimit request burst of the stage
   * @param logRetention how long the stage's access log is kept
   */
  public record Props(
      List<RouteBinding> routes,
      Map<String, InnkeeperFunction> functions,
      double rateLimit,
      int burstLimit,
      RetentionDays logRetention) {
    public Props {
      routes = List.copyOf(routes);
      functions = Map.copyOf(functions);
      Objects.requireNonNull(logRetention, "logRetention");
    }
  }

  /** Builds the user pool, the API and its routes under {@code scope}. */
  public InnkeeperApi(Construct scope, String id, Props props) {
    super(scope, id);
    this.userPool = createUserPool();
    this.userPoolClient = createClient(userPool);
    CfnUserPoolGroup.Builder.create(this, "AdminGroup")
        .userPoolId(userPool.getUserPoolId())
        .groupName(ADMIN_GROUP)
        .description("Innkeeper administrators: the routes for admins, and anyone's commands")
        .build();

    // No default stage: the one added below carries throttling, which the default cannot. The
    // stage's throttle is its default route settings, which API Gateway applies to each route on
    // its own (the local gateway keeps a bucket per route too), under the account's limit.
    this.httpApi =
        HttpApi.Builder.create(this, "HttpApi")
            .apiName(Stack.of(this).getStackName() + "-http-api")
            .description("Innkeeper HTTP API")
            .createDefaultStage(false)
            .build();
    this.accessLogs =
        LogGroup.Builder.create(this, "AccessLogs")
            .retention(props.logRetention())
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    this.stage =
        httpApi.addStage(
            "DefaultStage",
            HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(
                    ThrottleSettings.builder()
                        .rateLimit(props.rateLimit())
                        .burstLimit(props.burstLimit())
                        .build())
                .accessLogSettings(
                    new IAccessLogSettings() {
                      @Override
                      public IAccessLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                      }

                      @Override
                      public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
                      }
                    })
                .build());

    var jwt =
        new HttpUserPoolAuthorizer(
            "CognitoAuthorizer",
            userPool,
            HttpUserPoolAuthorizerProps.builder().userPoolClients(List.of(userPoolClient)).build());
    var none = new HttpNoneAuthorizer();
    // One integration per function, shared by its routes.
    Map<String, HttpLambdaIntegration> integrations = new LinkedHashMap<>();
    for (RouteBinding binding : props.routes()) {
      String functionId = binding.function().id();
      InnkeeperFunction fn =
          Objects.requireNonNull(
              props.functions().get(functionId), () -> "function not deployed: " + functionId);
      HttpLambdaIntegration integration =
          integrations.computeIfAbsent(
              functionId,
              key -> new HttpLambdaIntegration(Names.pascal(key) + "Integration", fn.alias()));
      IHttpRouteAuthorizer authorizer = binding.route().authenticated() ? jwt : none;
      List<HttpRoute> added =
          httpApi.addRoutes(
              AddRoutesOptions.builder()
                  .path(binding.route().path())
                  .methods(List.of(HttpMethod.valueOf(binding.route().method())))
                  .integration(integration)
                  .authorizer(authorizer)
                  .build());
      if (!binding.route().authenticated()) {
        added.forEach(
            route ->
                Nag.acknowledge(
                    route,
                    "APIG4",
                    "the contract (docs/api.md) makes "
                        + binding.route().routeKey()
                        + " public: it is read-only, for anyone to browse, and the stage is"
                        + " throttled"));
      }
    }
  }

  /**
   * One JSON line per request: enough to trace a caller's request into the function logs (request
   * id) and to see who was refused and why, without tokens, bodies or query strings.
   */
  static final String ACCESS_LOG_FORMAT =
      "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
          + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\","
          + "\"status\":\"$context.status\",\"responseLength\":\"$context.responseLength\","
          + "\"integrationLatency\":\"$context.integrationLatency\","
          + "\"integrationError\":\"$context.integrationErrorMessage\","
          + "\"authorizerError\":\"$context.authorizer.error\"}";

  private UserPool createUserPool() {
    UserPool pool =
        UserPool.Builder.create(this, "UserPool")
            // Accounts are created by an operator (admin-create-user), never by the public.
            .selfSignUpEnabled(false)
            .signInAliases(SignInAliases.builder().username(true).email(true).build())
            .accountRecovery(AccountRecovery.EMAIL_ONLY)
            .featurePlan(FeaturePlan.ESSENTIALS)
            // Authenticator apps only: SMS codes need an SNS role and spend, and fall to SIM swaps.
            // Optional, not required: see the COG2 acknowledgment below.
            .mfa(Mfa.OPTIONAL)
            .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
            .passwordPolicy(
                PasswordPolicy.builder()
                    .minLength(12)
                    .requireLowercase(true)
                    .requireUppercase(true)
                    .requireDigits(true)
                    .requireSymbols(true)
                    .tempPasswordValidity(Duration.days(3))
                    .build())
            .build();
    Nag.acknowledge(
        pool,
        "COG2",
        "MFA is optional (TOTP only) rather than required: the documented sign-in (README) is"
            + " USER_PASSWORD_AUTH from a terminal, which required MFA would turn into a TOTP"
            + " enrolment for every user, scripted API clients included. Accounts exist only by"
            + " admin-create-user, and an operator can require TOTP per user"
            + " (admin-set-user-mfa-preference), e.g. for admins.");
    Nag.acknowledge(
        pool,
        "COG8",
        "Essentials, not Plus: Plus's threat protection scores sign-ins of a public user base;"
            + " here sign-up is closed, every account is created by an operator, passwords are"
            + " 12+ characters of all classes, and the API stage is throttled. Plus is billed per"
            + " active user; moving to it is a change of the pool's tier, not a new pool.");
    return pool;
  }

  private UserPoolClient createClient(UserPool pool) {
    return pool.addClient(
        "ApiClient",
        UserPoolClientOptions.builder()
            // A public client (CLI, curl, SPA) cannot keep a secret.
            .generateSecret(false)
            .authFlows(AuthFlow.builder().userPassword(true).userSrp(true).build())
            // No hosted UI or OAuth redirects: tokens come from InitiateAuth.
            .disableOAuth(true)
            .preventUserExistenceErrors(true)
            .accessTokenValidity(Duration.hours(1))
            .idTokenValidity(Duration.hours(1))
            .refreshTokenValidity(Duration.days(30))
            .build());
  }

  /** The user pool the authorizer trusts. */
  public UserPool userPool() {
    return userPool;
  }

  /** The public app client. */
  public UserPoolClient userPoolClient() {
    return userPoolClient;
  }

  /** Where the stage writes one line per request. */
  public LogGroup accessLogs() {
    return accessLogs;
  }

  /** The HTTP API. */
  public HttpApi httpApi() {
    return httpApi;
  }

  /** The throttled {@code $default} stage; its URL is the API's base URL. */
  public HttpStage stage() {
    return stage;
  }
}
