package io.innkeeper.core.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What the first request with an {@code Idempotency-Key} left behind, so a repeat can be answered
 * the same way: the request's fingerprint, the command it started (with its queue group, so a
 * command still PENDING can be sent again) and the exact 202 body it was answered with.
 *
 * @param callerId the {@code sub} of the caller; a key is scoped to its caller
 * @param fingerprint see {@link #fingerprint}
 * @param response the 202 body as sent, JSON
 * @param expiresAt when the record may be forgotten (at least 24 h after {@code createdAt})
 */
public record IdempotencyRecord(
    String callerId,
    String key,
    String fingerprint,
    String commandId,
    String groupId,
    CommandEnvelope envelope,
    String response,
    Instant createdAt,
    Instant expiresAt) {

  /** SHA-256 over the route key and the exact body bytes, hex. */
  public static String fingerprint(String routeKey, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(routeKey.getBytes(StandardCharsets.UTF_8));
      // A separator no route key contains, so route and body cannot run into each other.
      sha.update((byte) 0);
      sha.update(body);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether the record is past its retention (TTL deletes lazily, so it may still be stored). */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
