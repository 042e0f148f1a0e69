package io.innkeeper.local.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /_local/tokens}: the local runtime's stand-in for signing in to Cognito. Takes {@code
 * {"sub", "groups"?, "ttlSeconds"?}} and answers {@code {"token"}}; any bad input is a 400 that
 * lists every failing field. A negative {@code ttlSeconds} (down to {@code -86400}) mints a token
 * that expired that long ago (beyond {@link TokenIssuer#CLOCK_SKEW}), so that clients and tests can
 * see how the API refuses one; an expired token grants nothing, so this gives no one more than a
 * valid token would.
 */
final class TokenEndpoint {

  static final String PATH = "/_local/tokens";

  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Set<String> FIELDS = Set.of("sub", "groups", "ttlSeconds");
  private static final int MAX_GROUPS = 100;
  private static final long MAX_TTL_SECONDS = 86_400;
  private static final long DEFAULT_TTL_SECONDS = 3_600;

  private final TokenIssuer tokens;

  TokenEndpoint(TokenIssuer tokens) {
    this.tokens = tokens;
  }

  Reply handle(byte[] body) {
    Optional<Map<String, Object>> parsed = utf8(body).flatMap(GatewayJson::parseObject);
    if (parsed.isEmpty()) {
      return Reply.problem(
          400,
          "The body must be a JSON object.",
          List.of(error("body", "must be a JSON object")),
          List.of());
    }
    Map<String, Object> request = parsed.get();
    List<Map<String, String>> errors = new ArrayList<>();
    for (String field : request.keySet()) {
      if (!FIELDS.contains(field)) {
        errors.add(error(field, "unknown field"));
      }
    }
    Object sub = request.get("sub");
    if (sub == null) {
      errors.add(error("sub", "is required"));
    } else if (!(sub instanceof String s) || !NAME.matcher(s).matches()) {
      errors.add(error("sub", "must match " + NAME.pattern()));
    }
    List<String> groups = new ArrayList<>();
    Object groupsValue = request.get("groups");
    if (groupsValue != null) {
      if (!(groupsValue instanceof List<?> list) || list.size() > MAX_GROUPS) {
        errors.add(error("groups", "must be a list of at most " + MAX_GROUPS + " group names"));
      } else {
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i) instanceof String g && NAME.matcher(g).matches()) {
            groups.add(g);
          } else {
            errors.add(error("groups[" + i + "]", "must match " + NAME.pattern()));
          }
        }
      }
    }
    long ttlSeconds = DEFAULT_TTL_SECONDS;
    Object ttlValue = request.get("ttlSeconds");
    if (ttlValue != null) {
      if ((ttlValue instanceof Integer || ttlValue instanceof Long)
          && ((Number) ttlValue).longValue() != 0
          && Math.abs(((Number) ttlValue).longValue()) <= MAX_TTL_SECONDS) {
        ttlSeconds = ((Number) ttlValue).longValue();
      } else {
        errors.add(
            error(
                "ttlSeconds",
                "must be an integer from 1 to "
                    + MAX_TTL_SECONDS
                    + ", or from -"
                    + MAX_TTL_SECONDS
                    + " to -1 for an expired token"));
      }
    }
    if (!errors.isEmpty()) {
      return Reply.problem(400, "The token request is invalid.", errors, List.of());
    }
    Duration ttl = Duration.ofSeconds(ttlSeconds);
    // Past the verifier's tolerance too, so that "expired" holds from the first second.
    String token =
        tokens.mint(
            (String) sub, groups, ttl.isNegative() ? ttl.minus(TokenIssuer.CLOCK_SKEW) : ttl);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("token", token);
    return Reply.json(200, answer);
  }

  private static Optional<String> utf8(byte[] body) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> error(String field, String message) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put("field", field);
    error.put("message", message);
    return error;
  }
}
