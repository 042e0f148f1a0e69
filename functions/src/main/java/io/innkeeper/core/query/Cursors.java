package io.innkeeper.core.query;

import io.innkeeper.core.http.FieldError;
import io.innkeeper.core.http.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident page cursors. A cursor is the position (the last sort key returned) and an
 * HMAC over it and its scope (the query and the caller), so a cursor cannot be edited, forged
 * without the key, or replayed against someone else's list.
 */
public final class Cursors {
  /** The contract (docs/api.md): a list's page size when the request names none. */
  public static final int DEFAULT_PAGE_SIZE = 20;

  /** The contract (docs/api.md): the largest page a request may ask for. */
  public static final int MAX_PAGE_SIZE = 100;

  private static final int MAX_LENGTH = 512;
  private static final int MAC_BYTES = 16;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;

  /**
   * @param key the deployment's cursor key (at least 16 bytes); every instance serving the API must
   *     share it
   */
  public Cursors(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("a cursor key needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /**
   * A cursor for {@code position} in the list named by {@code scope}.
   *
   * @throws IllegalArgumentException if the cursor would be longer than {@link #decode} accepts (a
   *     position that long is a programming error, and handing out a cursor that is then refused
   *     would strand the client)
   */
  public String encode(String scope, String position) {
    byte[] raw = position.getBytes(StandardCharsets.UTF_8);
    String cursor = ENCODER.encodeToString(raw) + "." + ENCODER.encodeToString(mac(scope, raw));
    if (cursor.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a position of " + raw.length + " bytes is too long");
    }
    return cursor;
  }

  /**
   * The position in a cursor this API issued for {@code scope}.
   *
   * @throws Problem 400 when the cursor was not issued for this scope or was changed
   */
  public String decode(String scope, String cursor) {
    int dot = cursor.indexOf('.');
    if (cursor.length() > MAX_LENGTH || dot < 0) {
      throw invalid();
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
      byte[] given = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
      // The decoder ignores the unused low bits of a last character and accepts '=' padding, so
      // several spellings decode to the same bytes; only the one encode() writes is a cursor, or an
      // edited cursor would still pass the MAC.
      if (!cursor.equals(ENCODER.encodeToString(raw) + "." + ENCODER.encodeToString(given))
          || !MessageDigest.isEqual(given, mac(scope, raw))) {
        throw invalid();
      }
      return new String(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  /**
   * The position in the request's {@code cursor} parameter, or {@code null} without one. A cursor
   * this API did not issue for {@code scope} is recorded as a failing field of {@code reader}, so
   * one 400 lists it with the request's other bad parameters, and {@code null} is returned.
   */
  public String position(
      io.innkeeper.core.http.ApiRequest request,
      String scope,
      io.innkeeper.core.http.BodyReader reader) {
    var cursor = request.query("cursor");
    if (cursor.isEmpty()) {
      return null;
    }
    try {
      return decode(scope, cursor.get());
    } catch (Problem p) {
      p.errors().forEach(e -> reader.fail(e.field(), e.message()));
      return null;
    }
  }

  private byte[] mac(String scope, byte[] position) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      // The scope's length goes first, so no (scope, position) pair reads as another: with a bare
      // separator, a caller id holding that separator could shift bytes between the two.
      byte[] scoped = scope.getBytes(StandardCharsets.UTF_8);
      mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(scoped.length).array());
      mac.update(scoped);
      return Arrays.copyOf(mac.doFinal(position), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static Problem invalid() {
    return Problem.validation(
        List.of(new FieldError("cursor", "is not a cursor this API handed out for this list")));
  }
}
