package io.innkeeper.local.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Issues and verifies the bearer tokens of the local runtime, standing in for a Cognito user pool
 * and API Gateway's JWT authorizer. Signing, parsing and verification are nimbus-jose-jwt's.
 *
 * <p>Tokens are RS256 compact JWS access tokens shaped like Cognito's: {@code sub}, {@code
 * cognito:groups}, {@code iss}, {@code client_id}, {@code token_use}, {@code iat}, {@code exp},
 * {@code jti}, with the key's id ({@code kid}) in the header. The RSA-2048 key pair is made once
 * per JVM and shared by every instance: generating it is the costly part of a runtime start (a
 * second or so on a JVM without C2), and a test JVM starts several runtimes. Each instance names
 * the key with its own random {@code kid} and accepts only that one, so a token of another instance
 * (another runtime, even in the same JVM) is still refused: its {@code kid} is unknown here, and it
 * cannot be rewritten to this instance's without breaking the signature, which covers the header.
 * Tokens never outlive the process that signed them.
 *
 * <p>{@link #verify} checks what API Gateway's JWT authorizer checks: the header names this
 * instance's key ({@code kid}) and RS256 exactly; the signature; {@code iss}; {@code aud}, or
 * {@code client_id} when there is no {@code aud}; {@code exp} (required), {@code nbf} and {@code
 * iat} against the clock, give or take {@link #CLOCK_SKEW}. Like the authorizer it does not look at
 * {@code token_use}: nothing in a JWT tells access tokens from ID tokens apart, and a Cognito ID
 * token carries the app client in {@code aud}. It renders the claims the way the authorizer hands
 * them to a Lambda function in {@code requestContext.authorizer.jwt.claims}: every value a string,
 * numbers in plain digits, arrays bracketed and space-separated ({@code "[admin guest]"}).
 */
public final class TokenIssuer {

  /** The {@code iss} claim of every token this class signs and the only one it accepts. */
  public static final String ISSUER = "innkeeper-local";

  /** The {@code client_id} claim: the app client the authorizer's audience list names. */
  public static final String CLIENT_ID = "innkeeper-local-client";

  /**
   * Tolerance on {@code exp}, {@code nbf} and {@code iat}. A token minted with a ttl of {@code
   * -CLOCK_SKEW} or less is already expired.
   */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  // Three unpadded base64url segments and nothing else: whitespace, padding, a fourth segment or a
  // JWE's five are refused before any decoding.
  private static final Pattern COMPACT_JWS =
      Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");

  // Far above any token this class signs; keeps verification of garbage cheap.
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  // Tokens whose header and signature this instance checked, with their claims. A client sends the
  // same token with every request, and the RSA check cost more than the rest of a request's way
  // through the gateway on a JVM without C2; the claims (time, audience) are checked every time.
  // Only tokens this instance signed get in, so the bound is only a backstop.
  private static final int VERIFIED_MAX = 4096;

  private final RSAKey key;
  private final RSASSASigner signer;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final AuthorizerClaims claimsRules;
  private final Map<String, Signed> verified = new ConcurrentHashMap<>();
  private final Clock clock;

  /** Signs with the JVM's key under a fresh random {@code kid}. */
  public TokenIssuer() {
    this(Clock.systemUTC());
  }

  TokenIssuer(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    // A thumbprint kid would be the same for every instance now that they share the key pair; a
    // random one keeps each instance's tokens its own.
    this.key = new RSAKey.Builder(SharedKeyPair.KEY).keyID(UUID.randomUUID().toString()).build();
    try {
      this.signer = new RSASSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
    processor = new DefaultJWTProcessor<>();
    // Only RS256, and only this instance's key, found by the header's kid: "none", HS256 signed
    // with the public key as a secret, look-alikes such as "rs256" and a missing or foreign kid all
    // find no key.
    processor.setJWSKeySelector(new ThisKeyOnly(key));
    claimsRules = new AuthorizerClaims(clock);
    processor.setJWTClaimsSetVerifier(claimsRules);
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
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub);
    if (!groupList.isEmpty()) {
      claims.claim("cognito:groups", groupList);
    }
    claims
        .issuer(ISSUER)
        .claim("client_id", CLIENT_ID)
        .claim("token_use", "access")
        .claim("auth_time", issuedAt)
        .issueTime(new Date(issuedAt * 1000))
        .expirationTime(new Date((issuedAt + ttl.getSeconds()) * 1000))
        .jwtID(UUID.randomUUID().toString())
        .claim("username", sub);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }

  /** The verification key; tests use it as the HMAC secret of the HS256 key-confusion attack. */
  PublicKey publicKey() {
    try {
      return key.toPublicKey();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code kid} this instance signs with and looks for. */
  String keyId() {
    return key.getKeyID();
  }

  /**
   * Signs any header and payload JSON with this instance's key (an RS256 signature whatever the
   * header says); lets tests forge near-valid tokens.
   */
  String sign(Map<String, Object> header, Map<String, Object> payload) {
    String signingInput =
        Base64URL.encode(GatewayJson.write(header))
            + "."
            + Base64URL.encode(GatewayJson.write(payload));
    try {
      return signingInput
          + "."
          + signer.sign(
              new JWSHeader(JWSAlgorithm.RS256), signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }

  /**
   * Verifies a token as API Gateway's JWT authorizer would (see the class comment).
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
    if (token == null
        || token.length() > MAX_TOKEN_CHARS
        || !COMPACT_JWS.matcher(token).matches()) {
      return new Verification(null, INVALID);
    }
    try {
      Signed known = verified.get(token);
      if (known != null) {
        claimsRules.verify(known.claims(), null);
        return new Verification(known.rendered(), null);
      }
      JWT jwt = JWTParser.parse(token);
      JWTClaimsSet claims = processor.process(jwt, null);
      // Rendered from the payload as it was signed, not from nimbus's typed claims (which turn
      // exp into a Date and a single aud into a list).
      Map<String, String> rendered = new LinkedHashMap<>();
      ((SignedJWT) jwt)
          .getPayload()
          .toJSONObject()
          .forEach(
              (name, value) -> {
                if (value != null) {
                  rendered.put(name, render(value));
                }
              });
      Signed accepted = new Signed(claims, Collections.unmodifiableMap(rendered));
      if (verified.size() >= VERIFIED_MAX) {
        verified.clear();
      }
      verified.put(token, accepted);
      return new Verification(accepted.rendered(), null);
    } catch (Refused r) {
      return new Verification(null, r.getMessage());
    } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
      // Whatever an attacker manages to provoke in parsing, the answer stays "not valid".
      return new Verification(null, INVALID);
    }
  }

  /** A token whose header and signature were checked: its claims, typed and rendered. */
  private record Signed(JWTClaimsSet claims, Map<String, String> rendered) {}

  /**
   * The JVM's one RSA-2048 key pair, without a {@code kid}: made when the first instance is, not at
   * class loading, and once however many threads ask (the class initialisation lock sees to it).
   */
  private static final class SharedKeyPair {
    static final RSAKey KEY = generate();

    private static RSAKey generate() {
      try {
        return new RSAKeyGenerator(2048).generate();
      } catch (JOSEException e) {
        throw new IllegalStateException("RSA is not available in this JVM", e);
      }
    }
  }

  /** A refusal whose reason the authorizer names in its {@code www-authenticate} header. */
  private static final class Refused extends BadJWTException {
    private static final long serialVersionUID = 1L;

    Refused(String reason) {
      super(reason);
    }
  }

  /** RS256 with this instance's key, named by the header's {@code kid}, and no extensions. */
  private static final class ThisKeyOnly extends JWSVerificationKeySelector<SecurityContext> {
    ThisKeyOnly(RSAKey key) {
      super(JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context)
        throws KeySourceException {
      // nimbus would try every key of the set for a header without a kid; API Gateway requires
      // one. A crit header names extensions that must be understood (RFC 7515), and none is here.
      if (header.getKeyID() == null || header.getCriticalParams() != null) {
        return List.of();
      }
      return super.selectJWSKeys(header, context);
    }
  }

  /**
   * The authorizer's claim rules on top of nimbus's {@code exp}/{@code nbf} checks: {@code iss}
   * exact, {@code exp} required, {@code iat} not in the future, and the audience rule.
   */
  private static final class AuthorizerClaims extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final Clock clock;

    AuthorizerClaims(Clock clock) {
      super(
          new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of(JWTClaimNames.EXPIRATION_TIME));
      setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
      this.clock = clock;
    }

    @Override
    protected Date currentTime() {
      return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
      if (!ISSUER.equals(claims.getIssuer())) {
        throw new BadJWTException("not issued by " + ISSUER);
      }
      // API Gateway reads client_id only when there is no aud.
      boolean audienceMatches =
          claims.getClaim(JWTClaimNames.AUDIENCE) != null
              ? claims.getAudience().contains(CLIENT_ID)
              : CLIENT_ID.equals(claims.getClaim("client_id"));
      if (!audienceMatches) {
        throw new Refused(INVALID_AUDIENCE);
      }
      try {
        super.verify(claims, context);
      } catch (BadJWTException e) {
        // What is left to fail is time: exp missing or past, nbf not reached.
        throw new Refused(EXPIRED);
      }
      Date issuedAt = claims.getIssueTime();
      if (issuedAt != null && !issuedAt.toInstant().isBefore(clock.instant().plus(CLOCK_SKEW))) {
        throw new BadJWTException("issued in the future");
      }
    }
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
