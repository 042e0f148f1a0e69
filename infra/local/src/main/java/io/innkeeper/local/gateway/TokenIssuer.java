package io.innkeeper.local.gateway;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Issues and verifies the bearer tokens of the local runtime, standing in for a Cognito user pool
 * and API Gateway's JWT authorizer.
 *
 * <p>Tokens are RS256 compact JWS access tokens shaped like Cognito's: {@code sub}, {@code
 * cognito:groups}, {@code iss}, {@code client_id}, {@code token_use}, {@code iat}, {@code exp},
 * {@code jti}. Each instance makes a fresh RSA-2048 key pair, so tokens never outlive the process
 * that signed them and a token of one instance is worthless to another.
 *
 * <p>{@link #verify} renders the claims the way the JWT authorizer hands them to a Lambda function
 * in {@code requestContext.authorizer.jwt.claims}: every value a string, numbers in plain digits,
 * arrays bracketed and space-separated ({@code "[admin guest]"}).
 */
public final class TokenIssuer {

  /** The {@code iss} claim of every token this class signs and the only one it accepts. */
  public static final String ISSUER = "innkeeper-local";

  /** The {@code client_id} claim: the app client the authorizer's audience list names. */
  public static final String CLIENT_ID = "innkeeper-local-client";

  /**
   * Tolerance on {@code exp} and {@code nbf}. A token minted with a ttl of {@code -CLOCK_SKEW} or
   * less is already expired.
   */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_-]+$");
  private static final String ALGORITHM = "RS256";
  private static final String JCA_ALGORITHM = "SHA256withRSA";

  // Far above any token this class signs; keeps verification of garbage cheap.
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  private final KeyPair keys;
  private final String keyId;
  private final Clock clock;

  /** Makes a fresh RSA-2048 key pair. */
  public TokenIssuer() {
    this(Clock.systemUTC());
  }

  TokenIssuer(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.keys = generator.generateKeyPair();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded());
      this.keyId = B64.encodeToString(digest).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
  }

  /**
   * Signs an access token.
   *
   * @param sub the caller's id, {@code ^[A-Za-z0-9_-]{1,64}$}
   * @param groups Cognito groups, each {@code ^[A-Za-z0-9_-]{1,64}$} ({@code null} for none); the
   *     {@code cognito:groups} claim is left out when there are none, as Cognito does
   * @param ttl lifetime from now; zero or negative ttls are allowed so tests can make expired
   *     tokens (see {@link #CLOCK_SKEW})
   * @return the compact JWS
   * @throws IllegalArgumentException on an invalid {@code sub} or group
   */
  public String mint(String sub, List<String> groups, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (sub == null || !NAME.matcher(sub).matches()) {
      throw new IllegalArgumentException("sub must match " + NAME.pattern());
    }
    List<String> groupList = groups == null ? List.of() : List.copyOf(groups);
    for (String group : groupList) {
      if (!NAME.matcher(group).matches()) {
        throw new IllegalArgumentException("every group must match " + NAME.pattern());
      }
    }
    long issuedAt = clock.instant().getEpochSecond();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("kid", keyId);
    header.put("alg", ALGORITHM);
    header.put("typ", "JWT");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("sub", sub);
    if (!groupList.isEmpty()) {
      payload.put("cognito:groups", groupList);
    }
    payload.put("iss", ISSUER);
    payload.put("client_id", CLIENT_ID);
    payload.put("token_use", "access");
    payload.put("auth_time", issuedAt);
    payload.put("iat", issuedAt);
    payload.put("exp", issuedAt + ttl.getSeconds());
    payload.put("jti", UUID.randomUUID().toString());
    payload.put("username", sub);
    return sign(header, payload);
  }

  /** The verification key; tests use it as the HMAC secret of the HS256 key-confusion attack. */
  PublicKey publicKey() {
    return keys.getPublic();
  }

  /** Signs any header and payload with this instance's key; lets tests forge near-valid tokens. */
  String sign(Map<String, Object> header, Map<String, Object> payload) {
    String signingInput =
        encode(GatewayJson.write(header)) + "." + encode(GatewayJson.write(payload));
    try {
      Signature signer = Signature.getInstance(JCA_ALGORITHM);
      signer.initSign(keys.getPrivate());
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }

  /**
   * Verifies a token: RS256 only, signed by this instance, issued by {@link #ISSUER} for {@link
   * #CLIENT_ID}, within {@code nbf}/{@code exp} (give or take {@link #CLOCK_SKEW}).
   *
   * @param token a compact JWS, or anything at all
   * @return the claims as API Gateway's JWT authorizer renders them, in token order; empty for any
   *     token that is not valid (never an exception)
   */
  public Optional<Map<String, String>> verify(String token) {
    return Optional.ofNullable(check(token).claims());
  }

  /**
   * What the JWT authorizer makes of a token: its claims, or why it is refused, in the words API
   * Gateway puts in the {@code error_description} of its {@code www-authenticate} header. AWS
   * documents one of them ("the token does not have a valid audience"); the others are written the
   * same way.
   *
   * @param claims the claims as {@link #verify} renders them, or {@code null} when refused
   * @param refusal why the token was refused, or {@code null} when it was accepted
   */
  public record Verification(Map<String, String> claims, String refusal) {}

  /** The audience refusal, as AWS's troubleshooting guide for JWT authorizers shows it. */
  public static final String INVALID_AUDIENCE = "the token does not have a valid audience";

  public static final String EXPIRED = "the token has expired";
  public static final String INVALID = "the token is not valid";

  /** Verifies {@code token} and says why it is refused; never throws. */
  public Verification check(String token) {
    try {
      return checkOrRefuse(token);
    } catch (RuntimeException e) {
      // Whatever an attacker manages to provoke in parsing, the answer stays "not valid".
      return new Verification(null, INVALID);
    }
  }

  private Verification checkOrRefuse(String token) {
    Verification invalid = new Verification(null, INVALID);
    if (token == null || token.length() > MAX_TOKEN_CHARS) {
      return invalid;
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return invalid;
    }
    for (String part : parts) {
      if (!SEGMENT.matcher(part).matches()) {
        return invalid;
      }
    }
    Optional<Map<String, Object>> header = decodeObject(parts[0]);
    // Only the exact algorithm is trusted: "none", HS256 (signed with the public key as a secret)
    // and look-alikes such as "rs256" are the classic JWT forgeries.
    if (header.isEmpty()
        || !ALGORITHM.equals(header.get().get("alg"))
        || header.get().containsKey("crit")) {
      return invalid;
    }
    if (!signatureValid(parts)) {
      return invalid;
    }
    Optional<Map<String, Object>> payload = decodeObject(parts[1]);
    if (payload.isEmpty()) {
      return invalid;
    }
    Map<String, Object> claims = payload.get();
    if (!ISSUER.equals(claims.get("iss"))) {
      return invalid;
    }
    if (!audienceMatches(claims)) {
      return new Verification(null, INVALID_AUDIENCE);
    }
    if (!timely(claims)) {
      return new Verification(null, EXPIRED);
    }
    Map<String, String> rendered = new LinkedHashMap<>();
    claims.forEach(
        (name, value) -> {
          if (value != null) {
            rendered.put(name, render(value));
          }
        });
    return new Verification(Collections.unmodifiableMap(rendered), null);
  }

  private boolean signatureValid(String[] parts) {
    try {
      byte[] signature = B64_DECODER.decode(parts[2]);
      Signature verifier = Signature.getInstance(JCA_ALGORITHM);
      verifier.initVerify(keys.getPublic());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  // API Gateway's authorizer accepts a token whose aud or client_id names a configured audience.
  private static boolean audienceMatches(Map<String, Object> claims) {
    Object aud = claims.get("aud");
    boolean audMatches =
        CLIENT_ID.equals(aud) || (aud instanceof List<?> list && list.contains(CLIENT_ID));
    return audMatches || CLIENT_ID.equals(claims.get("client_id"));
  }

  private boolean timely(Map<String, Object> claims) {
    long nowMillis = clock.millis();
    long skewMillis = CLOCK_SKEW.toMillis();
    Optional<Long> exp = epochSeconds(claims.get("exp"));
    if (exp.isEmpty() || nowMillis >= Math.multiplyExact(exp.get(), 1000L) + skewMillis) {
      return false;
    }
    if (claims.containsKey("nbf")) {
      Optional<Long> nbf = epochSeconds(claims.get("nbf"));
      return nbf.isPresent() && nowMillis >= Math.multiplyExact(nbf.get(), 1000L) - skewMillis;
    }
    return true;
  }

  private static Optional<Long> epochSeconds(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return Optional.of(((Number) value).longValue());
    }
    return Optional.empty();
  }

  private static Optional<Map<String, Object>> decodeObject(String segment) {
    byte[] bytes;
    try {
      bytes = B64_DECODER.decode(segment);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return GatewayJson.parseObject(new String(bytes, StandardCharsets.UTF_8));
  }

  private static String encode(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Renders a claim value as the JWT authorizer does. It is written in Go, whose {@code %v} gives
   * arrays as {@code [a b]} and objects as {@code map[k:v]}; numbers arrive as plain digits.
   */
  static String render(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof BigDecimal d) {
      return d.stripTrailingZeros().scale() <= 0
          ? d.toBigInteger().toString()
          : d.stripTrailingZeros().toPlainString();
    }
    if (value instanceof Double || value instanceof Float) {
      return render(new BigDecimal(value.toString()));
    }
    if (value instanceof Number || value instanceof BigInteger || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(render(item)));
      return "[" + String.join(" ", items) + "]";
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, String> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), render(v)));
      return sorted.entrySet().stream()
          .map(e -> e.getKey() + ":" + e.getValue())
          .collect(Collectors.joining(" ", "map[", "]"));
    }
    return value.toString();
  }
}
