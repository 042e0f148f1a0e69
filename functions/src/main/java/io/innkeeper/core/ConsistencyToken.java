package io.innkeeper.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the point a client wants to read at: "stream S at version V or later". Handed out with a
 * SUCCEEDED command; a query given it waits until its read model reflects that version.
 */
public record ConsistencyToken(String streamId, long version) {
  private static final String PREFIX = "ct1.";
  private static final Pattern STREAM = Pattern.compile("^[a-z]+#[A-Za-z0-9_#-]{1,160}$");

  public String encode() {
    String raw = streamId + "@" + version;
    return PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses a token; empty when it is not one this system issued. */
  public static Optional<ConsistencyToken> parse(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 300) {
      return Optional.empty();
    }
    try {
      String raw =
          new String(
              Base64.getUrlDecoder().decode(token.substring(PREFIX.length())),
              StandardCharsets.UTF_8);
      int at = raw.lastIndexOf('@');
      if (at < 0) {
        return Optional.empty();
      }
      String stream = raw.substring(0, at);
      long version = Long.parseLong(raw.substring(at + 1));
      if (!STREAM.matcher(stream).matches() || version < 1) {
        return Optional.empty();
      }
      return Optional.of(new ConsistencyToken(stream, version));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
