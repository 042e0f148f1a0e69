package io.innkeeper.local.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {

  // Serves every test that needs neither clock control nor a second issuer.
  private static final TokenIssuer ISSUER = new TokenIssuer();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  @Test
  void roundTripRendersClaimsAsTheJwtAuthorizerDoes() {
    String token = ISSUER.mint("alice", List.of("admin", "guest"), Duration.ofHours(1));

    Map<String, String> claims = ISSUER.verify(token).orElseThrow();

    assertEquals("alice", claims.get("sub"));
    assertEquals("[admin guest]", claims.get("cognito:groups"));
    assertEquals(TokenIssuer.ISSUER, claims.get("iss"));
    assertEquals(TokenIssuer.CLIENT_ID, claims.get("client_id"));
    assertEquals("access", claims.get("token_use"));
    long iat = Long.parseLong(claims.get("iat"));
    assertEquals(iat + 3600, Long.parseLong(claims.get("exp")));
    assertTrue(Math.abs(Instant.now().getEpochSecond() - iat) < 60);
    assertTrue(claims.get("jti").matches("[0-9a-f-]{36}"));
  }

  @Test
  void headerIsRs256WithKeyId() {
    String token = ISSUER.mint("alice", List.of(), Duration.ofMinutes(5));
    String header = decode(token.split("\\.")[0]);

    assertTrue(header.contains("\"alg\":\"RS256\""), header);
    assertTrue(header.contains("\"kid\":"), header);
  }

  @Test
  void groupsClaimIsLeftOutWithoutGroupsAsCognitoDoes() {
    assertFalse(
        ISSUER
            .verify(ISSUER.mint("bob", List.of(), Duration.ofMinutes(5)))
            .orElseThrow()
            .containsKey("cognito:groups"));
    assertFalse(
        ISSUER
            .verify(ISSUER.mint("bob", null, Duration.ofMinutes(5)))
            .orElseThrow()
            .containsKey("cognito:groups"));
  }

  @Test
  void tokensAreUnique() {
    assertNotEquals(
        ISSUER.mint("alice", List.of(), Duration.ofMinutes(5)),
        ISSUER.mint("alice", List.of(), Duration.ofMinutes(5)));
  }

  @Test
  void mintRefusesInvalidNames() {
    assertThrows(
        IllegalArgumentException.class, () -> ISSUER.mint("al ice", List.of(), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> ISSUER.mint("", List.of(), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> ISSUER.mint(null, List.of(), Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> ISSUER.mint("alice", List.of("admin", "x y"), Duration.ZERO));
  }

  @Test
  void expiresAfterTtlPlusClockSkew() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    TokenIssuer issuer = new TokenIssuer(clock);
    String token = issuer.mint("alice", List.of("admin"), Duration.ofSeconds(60));

    clock.set(Instant.parse("2030-01-01T00:01:04Z"));
    assertTrue(issuer.verify(token).isPresent(), "inside the clock skew");

    // The issuer remembers that the signature was good, not that the token was: time still counts.
    clock.set(Instant.parse("2030-01-01T00:01:05Z"));
    assertEquals(Optional.empty(), issuer.verify(token));
    assertEquals(TokenIssuer.EXPIRED, issuer.check(token).refusal());
  }

  @Test
  void negativeTtlMakesAnExpiredToken() {
    String token = ISSUER.mint("alice", List.of(), Duration.ofSeconds(-60));

    assertEquals(Optional.empty(), ISSUER.verify(token));
  }

  @Test
  void notBeforeIsHonoured() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    TokenIssuer issuer = new TokenIssuer(clock);
    Map<String, Object> payload = validPayload(clock.instant());
    payload.put("nbf", clock.instant().getEpochSecond() + 60);
    String token = issuer.sign(rs256Header(issuer), payload);

    assertEquals(Optional.empty(), issuer.verify(token));
    clock.set(clock.instant().plusSeconds(56));
    assertTrue(issuer.verify(token).isPresent());
  }

  @Test
  void tamperedPayloadIsRejected() {
    String[] parts = ISSUER.mint("mallory", List.of("guest"), Duration.ofHours(1)).split("\\.");
    String payload = decode(parts[1]).replace("\"guest\"", "\"admin\"");
    String forged = parts[0] + "." + B64.encodeToString(bytes(payload)) + "." + parts[2];

    assertEquals(Optional.empty(), ISSUER.verify(forged));
  }

  @Test
  void tamperedSignatureIsRejected() {
    String token = ISSUER.mint("alice", List.of(), Duration.ofHours(1));
    String[] parts = token.split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[10] ^= 1;

    assertEquals(
        Optional.empty(),
        ISSUER.verify(parts[0] + "." + parts[1] + "." + B64.encodeToString(signature)));
  }

  @Test
  void tokenOfAnotherIssuerInstanceIsRejected() {
    TokenIssuer other = new TokenIssuer();
    String token = other.mint("alice", List.of("admin"), Duration.ofHours(1));

    // Same key pair, so only the kid tells the two issuers apart.
    assertTrue(other.verify(token).isPresent());
    assertEquals(Optional.empty(), ISSUER.verify(token));
  }

  @Test
  void issuersShareTheJvmsKeyPairUnderKidsOfTheirOwn() {
    TokenIssuer other = new TokenIssuer();

    assertEquals(ISSUER.publicKey(), other.publicKey());
    assertNotEquals(ISSUER.keyId(), other.keyId());
  }

  @Test
  void anotherIssuersTokenRelabelledWithThisIssuersKidIsRejected() {
    TokenIssuer other = new TokenIssuer();
    String token = other.mint("alice", List.of("admin"), Duration.ofHours(1));

    // Relabelled with its own kid, the token is unchanged: the rewrite itself breaks nothing.
    assertTrue(other.verify(relabel(token, other.keyId(), other.keyId())).isPresent());
    // The signature covers the header, so the kid cannot be swapped for this issuer's, although
    // the key that signed it is the very key this issuer verifies with.
    String relabelled = relabel(token, other.keyId(), ISSUER.keyId());
    assertTrue(decode(relabelled.split("\\.")[0]).contains(ISSUER.keyId()));
    assertEquals(Optional.empty(), ISSUER.verify(relabelled));
  }

  @Test
  void algNoneIsRejected() {
    String[] parts = ISSUER.mint("alice", List.of("admin"), Duration.ofHours(1)).split("\\.");
    String none = B64.encodeToString(bytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"));

    assertEquals(Optional.empty(), ISSUER.verify(none + "." + parts[1] + "."));
    assertEquals(Optional.empty(), ISSUER.verify(none + "." + parts[1] + "." + parts[2]));
  }

  @Test
  void hs256SignedWithThePublicKeyIsRejected() throws Exception {
    String[] parts = ISSUER.mint("alice", List.of("admin"), Duration.ofHours(1)).split("\\.");
    String header = B64.encodeToString(bytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
    // The classic confusion attack: the verifier's public key used as an HMAC secret.
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(ISSUER.publicKey().getEncoded(), "HmacSHA256"));
    String signature = B64.encodeToString(mac.doFinal(bytes(header + "." + parts[1])));

    assertEquals(Optional.empty(), ISSUER.verify(header + "." + parts[1] + "." + signature));
  }

  @Test
  void onlyTheExactAlgorithmNameIsAccepted() {
    Map<String, Object> header = rs256Header(ISSUER);
    header.put("alg", "rs256");

    assertEquals(Optional.empty(), ISSUER.verify(ISSUER.sign(header, validPayload(Instant.now()))));
    assertTrue(
        ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), validPayload(Instant.now()))).isPresent());
  }

  @Test
  void signedTokensWithWrongIssuerAudienceOrExpiryAreRejected() {
    Map<String, Object> wrongIssuer = validPayload(Instant.now());
    wrongIssuer.put("iss", "https://cognito-idp.eu-west-1.amazonaws.com/other");
    Map<String, Object> wrongAudience = validPayload(Instant.now());
    wrongAudience.put("client_id", "someone-else");
    Map<String, Object> noExpiry = validPayload(Instant.now());
    noExpiry.remove("exp");
    Map<String, Object> textExpiry = validPayload(Instant.now());
    textExpiry.put("exp", "99999999999");
    Map<String, Object> critical = rs256Header(ISSUER);
    critical.put("crit", List.of("b64"));

    assertEquals(Optional.empty(), ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), wrongIssuer)));
    assertEquals(Optional.empty(), ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), wrongAudience)));
    assertEquals(Optional.empty(), ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), noExpiry)));
    assertEquals(Optional.empty(), ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), textExpiry)));
    assertEquals(
        Optional.empty(), ISSUER.verify(ISSUER.sign(critical, validPayload(Instant.now()))));
  }

  @Test
  void audClaimIsAcceptedInsteadOfClientId() {
    Map<String, Object> payload = validPayload(Instant.now());
    payload.remove("client_id");
    payload.put("aud", List.of("other", TokenIssuer.CLIENT_ID));

    assertEquals(
        "[other " + TokenIssuer.CLIENT_ID + "]",
        ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), payload)).orElseThrow().get("aud"));
  }

  @Test
  void audIsCheckedInsteadOfClientIdWheneverItIsThereAsApiGatewayDoes() {
    Map<String, Object> foreignAud = validPayload(Instant.now());
    foreignAud.put("aud", "another-app");
    Map<String, Object> singleAud = validPayload(Instant.now());
    singleAud.remove("client_id");
    singleAud.put("aud", TokenIssuer.CLIENT_ID);

    // client_id names this app, but aud wins and names another.
    assertEquals(Optional.empty(), ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), foreignAud)));
    // A single aud is rendered as it was signed, not as a one-element list.
    assertEquals(
        TokenIssuer.CLIENT_ID,
        ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), singleAud)).orElseThrow().get("aud"));
  }

  @Test
  void theHeaderMustNameThisIssuersKey() {
    Map<String, Object> noKid = rs256Header(ISSUER);
    noKid.remove("kid");
    Map<String, Object> otherKid = rs256Header(ISSUER);
    otherKid.put("kid", new TokenIssuer().keyId());
    Map<String, Object> payload = validPayload(Instant.now());

    assertTrue(ISSUER.verify(ISSUER.sign(rs256Header(ISSUER), payload)).isPresent());
    assertEquals(Optional.empty(), ISSUER.verify(ISSUER.sign(noKid, payload)));
    assertEquals(Optional.empty(), ISSUER.verify(ISSUER.sign(otherKid, payload)));
  }

  @Test
  void issuedInTheFutureBeyondTheClockSkewIsRejected() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    TokenIssuer issuer = new TokenIssuer(clock);
    Map<String, Object> payload = validPayload(clock.instant());
    payload.put("iat", clock.instant().getEpochSecond() + 10);
    String token = issuer.sign(rs256Header(issuer), payload);

    assertEquals(Optional.empty(), issuer.verify(token));
    clock.set(clock.instant().plusSeconds(6));
    assertTrue(issuer.verify(token).isPresent(), "inside the clock skew");
  }

  @Test
  void garbageIsInvalidNeverAnException() {
    String valid = ISSUER.mint("alice", List.of(), Duration.ofHours(1));
    String[] parts = valid.split("\\.");
    char[] huge = new char[100_000];
    Arrays.fill(huge, 'a');
    List<String> garbage =
        Arrays.asList(
            null,
            "",
            " ",
            ".",
            "..",
            "...",
            "a.b.c",
            "a.b",
            "%%%.$$$.###",
            "Bearer " + valid,
            valid + ".",
            valid + "." + parts[2],
            " " + valid,
            valid + "=",
            parts[0] + "==." + parts[1] + "." + parts[2],
            B64.encodeToString(bytes("[]")) + "." + parts[1] + "." + parts[2],
            B64.encodeToString(bytes("{\"alg\":1}")) + "." + parts[1] + "." + parts[2],
            B64.encodeToString(bytes("not json")) + "." + parts[1] + "." + parts[2],
            B64.encodeToString(bytes("{\"alg\":\"RS256\"")) + "." + parts[1] + "." + parts[2],
            B64.encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe}) + "." + parts[1] + ".x",
            parts[0] + "." + parts[1] + ".AAAA",
            parts[0] + "." + parts[1] + "." + parts[1],
            new String(huge),
            new String(huge, 0, 20_000) + "." + "b." + "c",
            "\u0000.\u0000.\u0000",
            "é.é.é");

    for (String token : garbage) {
      assertEquals(Optional.empty(), ISSUER.verify(token), "for " + abbreviate(token));
    }
  }

  @Test
  void rendersClaimValuesLikeApiGateway() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("z", 1);
    nested.put("a", List.of("x", "y"));

    assertEquals("[admin guest]", TokenIssuer.render(List.of("admin", "guest")));
    assertEquals("[]", TokenIssuer.render(List.of()));
    assertEquals("1700000000", TokenIssuer.render(1700000000L));
    assertEquals("1700000000", TokenIssuer.render(new BigDecimal("1.7E9")));
    assertEquals("1.5", TokenIssuer.render(1.5d));
    assertEquals("true", TokenIssuer.render(true));
    assertEquals("map[a:[x y] z:1]", TokenIssuer.render(nested));
  }

  /** An RS256 header naming {@code issuer}'s key, as API Gateway requires. */
  private static Map<String, Object> rs256Header(TokenIssuer issuer) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("kid", issuer.keyId());
    return header;
  }

  /** {@code token} with its header's {@code kid} rewritten, its payload and signature kept. */
  private static String relabel(String token, String fromKid, String toKid) {
    String[] parts = token.split("\\.");
    String header = decode(parts[0]);
    assertTrue(header.contains("\"kid\":\"" + fromKid + "\""), header);
    String rewritten = header.replace("\"kid\":\"" + fromKid + "\"", "\"kid\":\"" + toKid + "\"");
    return B64.encodeToString(bytes(rewritten)) + "." + parts[1] + "." + parts[2];
  }

  private static Map<String, Object> validPayload(Instant now) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("sub", "alice");
    payload.put("iss", TokenIssuer.ISSUER);
    payload.put("client_id", TokenIssuer.CLIENT_ID);
    payload.put("token_use", "access");
    payload.put("iat", now.getEpochSecond());
    payload.put("exp", now.getEpochSecond() + 3600);
    return payload;
  }

  private static String decode(String segment) {
    return new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String token) {
    return token == null || token.length() < 80 ? token : token.substring(0, 80) + "...";
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
