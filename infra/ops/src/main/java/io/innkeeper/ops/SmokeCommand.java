package io.innkeeper.ops;

import io.innkeeper.client.HttpApi;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.core.domain.fixture.SmokeCheck;
import io.innkeeper.events.Json;
import io.innkeeper.topology.OutputNames;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;

/**
 * {@code smoke (--outputs FILE | --api URL)}: checks that a deployment works end to end, as a
 * client sees it. Against a deployed stack (the outputs file {@code cdk deploy --outputs-file}
 * wrote) it creates a throwaway user in the stack's Cognito user pool, an admin, and signs it in;
 * against the local runtime it mints tokens at {@code POST /_local/tokens}. Then it takes the
 * domain's steps ({@link SmokeCheck}, from the domain's fixtures) over the HTTP API, and at the end
 * their clean-up and deletes the throwaway user.
 *
 * <p>Each step waits for the command's outcome ({@code Prefer: wait}, then polling), prints one
 * line, and must go exactly as {@code docs/openapi.yaml} says; the first one that does not ends the
 * run with exit code 1, after the clean-up.
 */
@Command(
    name = "smoke",
    header = "Checks a deployment end to end, as a client.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Checks a deployment end to end, as a client: takes the steps the domain declares (its"
          + " smoke fixture: commands, reads with their consistency tokens, checks of the answers)"
          + " over the HTTP API. Prints one line per step; exits 1 at the first step that does not"
          + " go as docs/openapi.yaml says (after cleaning up).",
      "",
      "Against a deployed stack (--outputs) a throwaway admin user is created in the stack's"
          + " Cognito user pool for the run and deleted after it; against the local runtime"
          + " (--api) tokens come from its POST /_local/tokens.",
      ""
    })
public final class SmokeCommand extends Cli.Command {

  @Option(
      names = "--api",
      paramLabel = "URL",
      converter = Cli.Url.class,
      description = "the local runtime's API (printed at start-up)")
  URI api;

  @Mixin StackOptions stack;

  /** Runs the subcommand; returns the exit code (0 when every step passed). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Cli.run(new SmokeCommand(), args, out, err);
  }

  @Override
  protected int run() throws Exception {
    if ((api == null) == (stack.outputs() == null)) {
      throw usage(
          "Say what to check: --outputs FILE (a deployed stack) or --api URL (the local runtime),"
              + " not both.");
    }
    Identity identity;
    URI target;
    if (stack.outputs() != null) {
      Map<String, String> outputs;
      try {
        outputs = outputs(stack.outputs(), stack.stack());
      } catch (IOException | IllegalArgumentException e) {
        throw usage("cannot use " + stack.outputs() + ": " + e.getMessage());
      }
      target = URI.create(outputs.get(OutputNames.API_URL));
      identity =
          CognitoIdentity.create(
              outputs.get(OutputNames.USER_POOL_ID),
              outputs.get(OutputNames.USER_POOL_CLIENT_ID),
              stack.region(),
              out);
    } else {
      target = api;
      identity = new LocalIdentity(api);
    }
    try (identity) {
      return new Smoke(target, identity, out).run(Domains.load().fixtures().smoke())
          ? Cli.EXIT_OK
          : Cli.EXIT_FAILED;
    }
  }

  /** The stack's outputs the smoke needs, from the outputs file. */
  static Map<String, String> outputs(Path file, String stack) throws IOException {
    Map<String, Object> root = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
    if (!(root.get(stack) instanceof Map<?, ?> outputs)) {
      throw new IllegalArgumentException(
          "it has no outputs of stack " + stack + " (it has " + root.keySet() + ")");
    }
    Map<String, String> needed = new LinkedHashMap<>();
    for (String name :
        List.of(OutputNames.API_URL, OutputNames.USER_POOL_ID, OutputNames.USER_POOL_CLIENT_ID)) {
      if (!(outputs.get(name) instanceof String value) || value.isBlank()) {
        throw new IllegalArgumentException("stack " + stack + " has no output " + name);
      }
      needed.put(name, value);
    }
    return needed;
  }

  /** Who the smoke acts as: an admin and a guest. */
  interface Identity extends AutoCloseable {
    /** The admin's id (its token's subject). */
    String adminId();

    String adminToken();

    String guestToken();

    /** The guest's id, as the API reports it in {@code guestId}. */
    String guestId();

    /** Removes what the identity created; never throws. */
    @Override
    void close();
  }

  /** The local runtime's tokens: an admin and a guest of the run's own. */
  static final class LocalIdentity implements Identity {
    private final String adminId;
    private final String admin;
    private final String guest;
    private final String guestId;

    LocalIdentity(URI api) throws IOException, InterruptedException {
      String run = UUID.randomUUID().toString().substring(0, 8);
      this.adminId = "smoke-admin-" + run;
      this.admin = mint(api, adminId, true);
      this.guestId = "smoke-guest-" + run;
      this.guest = mint(api, guestId, false);
    }

    private static String mint(URI api, String sub, boolean admin)
        throws IOException, InterruptedException {
      String body =
          Json.write(Json.obj("sub", sub, "groups", admin ? List.of("admin") : List.of()));
      HttpApi.Response r;
      try {
        r =
            new HttpApi(api)
                .exchange(
                    "POST",
                    "_local/tokens",
                    null,
                    Map.of("Content-Type", "application/json"),
                    body);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      if (r.status() != 200) {
        throw new IllegalStateException(
            "the local runtime did not mint a token: " + r.status() + " " + r.body());
      }
      return (String) Json.parseObject(r.body()).get("token");
    }

    @Override
    public String adminId() {
      return adminId;
    }

    @Override
    public String adminToken() {
      return admin;
    }

    @Override
    public String guestToken() {
      return guest;
    }

    @Override
    public String guestId() {
      return guestId;
    }

    @Override
    public void close() {
      // Local tokens expire on their own; nothing was created.
    }
  }

  /**
   * A throwaway user in the stack's Cognito user pool, in the admin group, signed in with {@code
   * USER_PASSWORD_AUTH} (the flow the app client allows): its ID token is both the admin and the
   * guest. Deleted on close.
   */
  static final class CognitoIdentity implements Identity {
    private final CognitoIdentityProviderClient cognito;
    private final String userPoolId;
    private final String username;
    private final String token;
    private final String sub;
    private final PrintStream out;

    private CognitoIdentity(
        CognitoIdentityProviderClient cognito,
        String userPoolId,
        String username,
        String token,
        String sub,
        PrintStream out) {
      this.cognito = cognito;
      this.userPoolId = userPoolId;
      this.username = username;
      this.token = token;
      this.sub = sub;
      this.out = out;
    }

    static CognitoIdentity create(
        String userPoolId, String clientId, String region, PrintStream out) {
      var b = CognitoIdentityProviderClient.builder().httpClient(UrlConnectionHttpClient.create());
      if (region != null) {
        b.region(Region.of(region));
      }
      CognitoIdentityProviderClient cognito = b.build();
      String username = "innkeeper-smoke-" + UUID.randomUUID().toString().substring(0, 8);
      String password = password();
      boolean created = false;
      try {
        cognito.adminCreateUser(
            r ->
                r.userPoolId(userPoolId)
                    .username(username)
                    .messageAction(MessageActionType.SUPPRESS));
        created = true;
        cognito.adminSetUserPassword(
            r -> r.userPoolId(userPoolId).username(username).password(password).permanent(true));
        cognito.adminAddUserToGroup(
            r -> r.userPoolId(userPoolId).username(username).groupName("admin"));
        var auth =
            cognito
                .initiateAuth(
                    r ->
                        r.clientId(clientId)
                            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .authParameters(Map.of("USERNAME", username, "PASSWORD", password)))
                .authenticationResult();
        String sub =
            cognito
                .adminGetUser(r -> r.userPoolId(userPoolId).username(username))
                .userAttributes()
                .stream()
                .filter(a -> a.name().equals("sub"))
                .findFirst()
                .orElseThrow()
                .value();
        out.println("smoke: throwaway admin user " + username + " created in " + userPoolId);
        return new CognitoIdentity(cognito, userPoolId, username, auth.idToken(), sub, out);
      } catch (RuntimeException e) {
        if (created) {
          cognito.adminDeleteUser(r -> r.userPoolId(userPoolId).username(username));
        }
        cognito.close();
        throw e;
      }
    }

    /** 24 characters of every class the pool's password policy asks for. */
    private static String password() {
      SecureRandom random = new SecureRandom();
      String[] classes = {
        "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%+-=?"
      };
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 24; i++) {
        String chars = classes[i % classes.length];
        b.append(chars.charAt(random.nextInt(chars.length())));
      }
      return b.toString();
    }

    @Override
    public String adminId() {
      return sub;
    }

    @Override
    public String adminToken() {
      return token;
    }

    @Override
    public String guestToken() {
      return token;
    }

    @Override
    public String guestId() {
      return sub;
    }

    @Override
    public void close() {
      try {
        cognito.adminDeleteUser(r -> r.userPoolId(userPoolId).username(username));
        out.println("smoke: throwaway user " + username + " deleted");
      } catch (RuntimeException e) {
        out.println(
            "smoke: could not delete the throwaway user "
                + username
                + "; delete it by hand: aws cognito-idp admin-delete-user --user-pool-id "
                + userPoolId
                + " --username "
                + username);
      } finally {
        cognito.close();
      }
    }
  }

  /** The HTTP side: one client, requests as a careful client sends them. */
  static final class Http {
    private Http() {}

    /** {@code path} (without a leading slash) against the API's base URL, with or without one. */
    static URI resolve(URI api, String path) {
      return HttpApi.resolve(api, path);
    }
  }

  /** One run of the domain's steps ({@link SmokeCheck}): numbered, timed, printed, cleaned up. */
  static final class Smoke implements SmokeCheck.Steps {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 5;

    private final URI api;
    private final HttpApi client;
    private final Identity identity;
    private final Api.Caller admin;
    private final Api.Caller guest;
    private final PrintStream out;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Deque<Map.Entry<String, Runnable>> atTheEnd = new ArrayDeque<>();
    private int step;

    Smoke(URI api, Identity identity, PrintStream out) {
      this.api = api;
      this.client = new HttpApi(api).retrying(ATTEMPTS, new HttpApi.Listener() {});
      this.identity = identity;
      this.admin = Api.Caller.admin(identity.adminId());
      this.guest = Api.Caller.guest(identity.guestId());
      this.out = out;
    }

    /** Takes the check's steps, then its clean-up; returns whether every step passed. */
    boolean run(SmokeCheck check) {
      out.printf("smoke: %s, %s%n", api, check.title());
      try {
        check.run(this);
        return true;
      } catch (SmokeCheck.Failed e) {
        out.println("smoke: FAILED at step " + step + ": " + e.getMessage());
        return false;
      } catch (RuntimeException e) {
        out.println("smoke: FAILED at step " + step + ": " + e);
        return false;
      } finally {
        while (!atTheEnd.isEmpty()) {
          Map.Entry<String, Runnable> cleanUp = atTheEnd.pop();
          try {
            cleanUp.getValue().run();
          } catch (RuntimeException e) {
            out.println("smoke: could not " + cleanUp.getKey() + ": " + e.getMessage());
          }
        }
      }
    }

    @Override
    public Api.Caller admin() {
      return admin;
    }

    @Override
    public Api.Caller guest() {
      return guest;
    }

    @Override
    public void atTheEnd(String what, Runnable cleanUp) {
      atTheEnd.push(Map.entry(what, cleanUp));
    }

    @Override
    public void note(String line) {
      out.println("smoke: " + line);
    }

    private String token(Api.Caller caller) {
      if (caller == null) {
        return null;
      }
      if (caller.equals(admin)) {
        return identity.adminToken();
      }
      if (caller.equals(guest)) {
        return identity.guestToken();
      }
      throw new IllegalArgumentException("smoke acts only as admin() or guest(), not " + caller);
    }

    /**
     * Sends a command with an {@code Idempotency-Key} (the same one again after a 429, a 5xx or no
     * answer) and waits for its outcome; it must be SUCCEEDED. Returns the status with the ids the
     * command created.
     */
    @Override
    public Map<String, Object> command(String what, String path, Api.Caller caller, Object body) {
      step++;
      long started = System.nanoTime();
      String token = token(caller);
      HttpApi.Response r =
          send(
              "POST",
              path,
              token,
              Map.of(
                  "Content-Type",
                  "application/json",
                  "Idempotency-Key",
                  "smoke-" + run + "-" + step,
                  "Prefer",
                  "wait=10"),
              Json.write(body));
      Map<String, Object> answer = Json.parseObject(r.body());
      if (r.status() == 202) {
        answer = settle(SmokeCheck.field(answer, "commandId"), token, answer);
      } else if (r.status() != 200) {
        throw new SmokeCheck.Failed(what + ": " + r.status() + " " + r.body());
      }
      if (!"SUCCEEDED".equals(answer.get("status"))) {
        throw new SmokeCheck.Failed(what + ": " + Json.write(answer));
      }
      report(what, started, answer.get("type") + " SUCCEEDED");
      return answer;
    }

    /** Polls the command's status until it leaves PENDING; keeps the 202's ids. */
    private Map<String, Object> settle(
        String commandId, String token, Map<String, Object> accepted) {
      long deadline = System.nanoTime() + SETTLE.toNanos();
      while (true) {
        HttpApi.Response r = send("GET", "commands/" + commandId, token, Map.of(), null);
        if (r.status() == 200) {
          Map<String, Object> status = Json.parseObject(r.body());
          if (!"PENDING".equals(status.get("status"))) {
            accepted.forEach(status::putIfAbsent);
            return status;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new SmokeCheck.Failed(
              "command " + commandId + " still not settled after " + SETTLE);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SmokeCheck.Failed("interrupted waiting for command " + commandId);
        }
      }
    }

    /** A query, read with {@code consistencyToken} when given; must answer 200. */
    @Override
    public Map<String, Object> query(
        String what, String path, Api.Caller caller, String consistencyToken) {
      step++;
      long started = System.nanoTime();
      HttpApi.Response r =
          send(
              "GET",
              path,
              token(caller),
              consistencyToken == null ? Map.of() : Map.of("X-Consistency-Token", consistencyToken),
              null);
      if (r.status() != 200) {
        throw new SmokeCheck.Failed(what + ": " + r.status() + " " + r.body());
      }
      report(what, started, "200");
      return Json.parseObject(r.body());
    }

    /** Sends, and again after a 429, a 5xx or no answer (a command keeps its key). */
    private HttpApi.Response send(
        String method, String path, String token, Map<String, String> headers, String body) {
      return client.send(method, path, token, headers, body);
    }

    private void report(String what, long startedNanos, String outcome) {
      out.printf(
          "smoke: %d. %-40s %s in %d ms%n",
          step, what, outcome, (System.nanoTime() - startedNanos) / 1_000_000);
    }
  }
}
