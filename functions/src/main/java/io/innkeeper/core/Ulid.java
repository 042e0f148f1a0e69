package io.innkeeper.core;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * ULIDs: 26 Crockford base-32 characters, time-ordered by their first 48 bits, with 80 random bits.
 * They fit the API's id pattern and sort by creation time.
 */
public final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ulid() {}

  public static String next(Instant now) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    return encode(now.toEpochMilli(), random);
  }

  static String encode(long millis, byte[] random) {
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    // 80 random bits as 16 base-32 characters, most significant first.
    long hi =
        ((random[0] & 0xFFL) << 32)
            | ((random[1] & 0xFFL) << 24)
            | ((random[2] & 0xFFL) << 16)
            | ((random[3] & 0xFFL) << 8)
            | (random[4] & 0xFFL);
    long lo =
        ((random[5] & 0xFFL) << 32)
            | ((random[6] & 0xFFL) << 24)
            | ((random[7] & 0xFFL) << 16)
            | ((random[8] & 0xFFL) << 8)
            | (random[9] & 0xFFL);
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    return new String(out);
  }
}
