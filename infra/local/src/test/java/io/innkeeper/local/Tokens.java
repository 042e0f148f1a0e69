package io.innkeeper.local;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bearer tokens the ITs send to one runtime, minted once per subject and groups: an RS256
 * signature costs milliseconds of CPU, the ITs ask for these tokens thousands of times, and each
 * lives 12 h, longer than any run.
 */
final class Tokens {
  private final LocalRuntime runtime;
  private final Map<String, String> minted = new ConcurrentHashMap<>();

  Tokens(LocalRuntime runtime) {
    this.runtime = runtime;
  }

  /** An admin's token. */
  String admin() {
    return token("it-admin", List.of("admin"));
  }

  /** A guest's token: {@code sub} in no group. */
  String guest(String sub) {
    return token(sub, List.of());
  }

  private String token(String sub, List<String> groups) {
    return minted.computeIfAbsent(sub + " " + groups, key -> runtime.mintToken(sub, groups));
  }
}
