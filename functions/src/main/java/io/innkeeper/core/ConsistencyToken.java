package io.innkeeper.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the point a client wants to read at: "stream S at version V or later". Handed out with a
 * SUCCEEDED command; a query given it waits until its read model reflects that version.
 *
 * <p>It also names the command that produced it ({@code commandId}, absent in tokens issued before
 * it was added), so the query that waited on it logs the command's id and one search follows the
 * command from its request to the read that depended on it. The token is not a secret: it names
 * what its holder already knows.
 *
 * @param commandId the command that produced the version, or {@code null}
 */
public record ConsistencyToken(String streamId, long version, String commandId) {
  private static final String PREFIX = "ct1.";
  private static final Pattern STREAM = Pattern.compile("^[a-z]+#[A-Za-z0-9_#-]{1,160}$");
  private static final Pattern COMMAND_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  /** A token that names no command. */
  public ConsistencyToken(String streamId, long version) {
    this(streamId, version, null);
  }

  public String encode() {
    String raw = streamId + "@" + version + (commandId == null ? "" : "@" + commandId);
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
      // stream@version, or stream@version@commandId; neither a stream nor an id holds an '@'.
      String[] parts = raw.split("@", -1);
      if (parts.length < 2 || parts.length > 3) {
        return Optional.empty();
      }
      String stream = parts[0];
      long version = Long.parseLong(parts[1]);
      String commandId = parts.length == 3 ? parts[2] : null;
      if (!STREAM.matcher(stream).matches()
          || version < 1
          || (commandId != null && !COMMAND_ID.matcher(commandId).matches())) {
        return Optional.empty();
      }
      return Optional.of(new ConsistencyToken(stream, version, commandId));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
