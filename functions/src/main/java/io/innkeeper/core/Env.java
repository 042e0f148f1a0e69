package io.innkeeper.core;

import java.util.Optional;

/**
 * A function's configuration. On Lambda it is the environment; the local runtime runs every
 * function in one JVM, which cannot set its own environment, so it passes the same names as system
 * properties.
 */
public final class Env {
  private Env() {}

  public static Optional<String> get(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      value = System.getProperty(name);
    }
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  public static String require(String name) {
    return get(name)
        .orElseThrow(
            () -> new IllegalStateException("environment variable " + name + " is not set"));
  }

  public static int integer(String name, int defaultValue) {
    return get(name).map(Integer::parseInt).orElse(defaultValue);
  }
}
