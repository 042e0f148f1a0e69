package io.innkeeper.local;

import io.innkeeper.local.emulators.AwsEndpoints;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * One Innkeeper per test JVM: started on first use on a free port, without demo data, and stopped
 * when the JVM exits. Starting it costs seconds; every end-to-end *IT shares it.
 *
 * <p>It runs on the backend {@value #BACKEND_PROPERTY} names: {@code embedded} (the default:
 * DynamoDB Local and ElasticMQ in this JVM) or {@code localstack} (a LocalStack container, see
 * {@link LocalStackBackend}). Where LocalStack cannot run, {@link #get()} aborts the calling test
 * with the reason, so the test counts as skipped.
 */
final class SharedRuntime {

  static final String BACKEND_PROPERTY = "innkeeper.it.backend";

  /** What the AWS APIs run on. */
  enum Backend {
    EMBEDDED,
    LOCALSTACK;

    /** The backend {@code value} names; blank or {@code null} is the embedded one. */
    static Backend parse(String value) {
      if (value == null || value.isBlank()) {
        return EMBEDDED;
      }
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            BACKEND_PROPERTY + "=" + value + " is not a backend; use embedded or localstack", e);
      }
    }

    static Backend selected() {
      return parse(System.getProperty(BACKEND_PROPERTY));
    }
  }

  private static LocalRuntime runtime;
  private static Tokens tokens;
  private static RuntimeException localStackFailure;

  private SharedRuntime() {}

  static synchronized LocalRuntime get() {
    if (runtime == null) {
      runtime =
          switch (Backend.selected()) {
            case EMBEDDED -> startEmbedded(true);
            case LOCALSTACK -> startOnLocalStack();
          };
    }
    return runtime;
  }

  private static LocalOptions options() {
    return LocalOptions.defaults().withPort(0).withSeed(false);
  }

  /** A runtime on the embedded emulators, closed when the JVM exits if {@code untilExit}. */
  private static LocalRuntime startEmbedded(boolean untilExit) {
    try {
      LocalRuntime started = LocalRuntime.start(options());
      if (untilExit) {
        Runtime.getRuntime().addShutdownHook(new Thread(started::close));
      }
      return started;
    } catch (Exception e) {
      throw new IllegalStateException("the embedded runtime did not start", e);
    }
  }

  private static LocalRuntime startOnLocalStack() {
    LocalStackBackend.skipReason().ifPresent(Assumptions::abort);
    if (localStackFailure != null) {
      // Starting a container takes a while: one failed start fails every later test at once.
      throw new IllegalStateException(
          "the runtime on LocalStack did not start (earlier in this JVM)", localStackFailure);
    }
    LocalStackBackend.Running localStack = null;
    try {
      localStack = LocalStackBackend.start();
      LocalRuntime started =
          LocalRuntime.start(options().withExternal(AwsEndpoints.all(localStack.endpoint())));
      LocalStackBackend.Running container = localStack;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    container.close();
                  }));
      return started;
    } catch (Exception e) {
      if (localStack != null) {
        localStack.close();
      }
      localStackFailure =
          new IllegalStateException(
              "the runtime on LocalStack (" + LocalStackBackend.image() + ") did not start", e);
      throw localStackFailure;
    }
  }

  /**
   * A runtime of the calling class's own, which it {@link #release releases}, for a test whose work
   * would grow with every earlier IT's data in the shared one (a replay of every event, say); on
   * LocalStack, where a runtime costs a container, the shared one.
   */
  static LocalRuntime own() {
    return Backend.selected() == Backend.LOCALSTACK ? get() : startEmbedded(false);
  }

  /** Closes a runtime {@link #own} gave, unless it is the shared one. */
  static synchronized void release(LocalRuntime own) {
    if (own != null && own != runtime) {
      own.close();
    }
  }

  private static synchronized Tokens tokens() {
    if (tokens == null) {
      tokens = new Tokens(get());
    }
    return tokens;
  }

  static String adminToken() {
    return tokens().admin();
  }

  static String guestToken(String sub) {
    return tokens().guest(sub);
  }
}
