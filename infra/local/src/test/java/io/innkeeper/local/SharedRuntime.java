package io.innkeeper.local;

import java.util.List;

/**
 * One embedded Innkeeper per test JVM: started on first use on a free port, without demo data, and
 * stopped when the JVM exits. Starting it costs seconds; every *IT shares it.
 */
final class SharedRuntime {
  private static LocalRuntime runtime;

  private SharedRuntime() {}

  static synchronized LocalRuntime get() {
    if (runtime == null) {
      try {
        LocalRuntime started =
            LocalRuntime.start(LocalOptions.defaults().withPort(0).withSeed(false));
        Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        runtime = started;
      } catch (Exception e) {
        throw new IllegalStateException("the embedded runtime did not start", e);
      }
    }
    return runtime;
  }

  static String adminToken() {
    return get().mintToken("it-admin", List.of("admin"));
  }

  static String guestToken(String sub) {
    return get().mintToken(sub, List.of());
  }
}
