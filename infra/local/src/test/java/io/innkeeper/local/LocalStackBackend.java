package io.innkeeper.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The LocalStack backend of the end-to-end ITs ({@code -Dinnkeeper.it.backend=localstack}): a
 * Testcontainers LocalStack container whose DynamoDB, DynamoDB Streams and SQS replace the embedded
 * servers. Everything else (handlers, pollers, gateway) still runs in the test JVM.
 *
 * <p>Without a Docker engine, or without the auth token the chosen image needs, the ITs are skipped
 * with the reason printed once: {@link #skipReason()}.
 *
 * <p>The failsafe execution {@code localstack} of this module runs them in every {@code mvn
 * verify}; alone, with the upstream modules installed:
 *
 * <pre>
 * export LOCALSTACK_AUTH_TOKEN=...   # only for an image that needs one, see needsAuthToken
 * mvn -B -pl infra/local test-compile failsafe:integration-test@localstack failsafe:verify@localstack
 * </pre>
 *
 * <p>{@code -Dinnkeeper.localstack.image=localstack/localstack:2026.03.0} picks another image.
 */
final class LocalStackBackend {

  /** System property: the LocalStack image, e.g. a calendar-versioned one with a token. */
  static final String IMAGE_PROPERTY = "innkeeper.localstack.image";

  /**
   * The last semantically versioned LocalStack release. From 2026.03.0 on (calendar versions, and
   * {@code latest}) the image refuses to start without an auth token; this one runs without.
   * Pinned, so that a new LocalStack never changes a test run on its own.
   */
  static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";

  /** Environment variable handed to the container as it is (never printed). */
  static final String AUTH_TOKEN = "LOCALSTACK_AUTH_TOKEN";

  static final String SKIPPED = "LocalStack ITs skipped: ";

  private static final Pattern SEMVER_TAG = Pattern.compile("(\\d+)(\\.\\d+){0,2}");
  private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");

  /** Testcontainers logs a four-line ERROR when it finds no Docker; the skip line says it once. */
  private static final String DISCOVERY_LOGGER =
      "org.slf4j.simpleLogger.log.org.testcontainers.dockerclient.DockerClientProviderStrategy";

  private static Optional<String> decided;

  private LocalStackBackend() {}

  static String image() {
    String image = System.getProperty(IMAGE_PROPERTY);
    return image == null || image.isBlank() ? DEFAULT_IMAGE : image.trim();
  }

  /**
   * Why the LocalStack ITs cannot run in this JVM, or empty when they can. Decided once (the Docker
   * probe takes well under a second when there is no engine) and printed the first time, so the
   * reason shows in the build output as well as in the test reports.
   */
  static synchronized Optional<String> skipReason() {
    if (decided == null) {
      decided = skipReason(image(), System.getenv(AUTH_TOKEN), LocalStackBackend::dockerMissing);
      decided.ifPresent(reason -> System.out.println("[innkeeper] " + reason));
    }
    return decided;
  }

  /**
   * @param dockerMissing what is missing when there is no usable Docker engine, or empty
   */
  static Optional<String> skipReason(
      String image, String authToken, Supplier<Optional<String>> dockerMissing) {
    Optional<String> docker = dockerMissing.get();
    if (docker.isPresent()) {
      return Optional.of(SKIPPED + "no Docker engine found (Testcontainers: " + docker.get() + ")");
    }
    if (needsAuthToken(image) && (authToken == null || authToken.isBlank())) {
      return Optional.of(SKIPPED + image + " needs " + AUTH_TOKEN + ", which is not set");
    }
    return Optional.empty();
  }

  /**
   * Whether {@code image} refuses to start without an auth token: LocalStack Pro always, and {@code
   * localstack/localstack} from the 2026 calendar versions on (and so {@code latest}, or a digest,
   * which may be one). Tags up to 4.x run without.
   */
  static boolean needsAuthToken(String image) {
    if (image.contains("@")) {
      return true;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    String repository = colon > slash ? image.substring(0, colon) : image;
    String tag = colon > slash ? image.substring(colon + 1) : "latest";
    if (repository.endsWith("localstack-pro")) {
      return true;
    }
    var semver = SEMVER_TAG.matcher(tag);
    return !(semver.matches() && Integer.parseInt(semver.group(1)) <= 4);
  }

  /** Asks Testcontainers; says what it looked at when there is no engine. */
  static Optional<String> dockerMissing() {
    if (System.getProperty(DISCOVERY_LOGGER) == null) {
      System.setProperty(DISCOVERY_LOGGER, "off");
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return Optional.empty();
    }
    String host = System.getenv("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      return Optional.of("DOCKER_HOST=" + host + " does not answer");
    }
    return Optional.of(
        Files.exists(DOCKER_SOCKET)
            ? "DOCKER_HOST unset, " + DOCKER_SOCKET + " does not answer"
            : "DOCKER_HOST unset, no " + DOCKER_SOCKET);
  }

  /** A started LocalStack container; {@link #close()} stops and removes it. */
  static final class Running implements AutoCloseable {
    private final LocalStackContainer container;

    private Running(LocalStackContainer container) {
      this.container = container;
    }

    /** The edge endpoint: every API on one port, mapped to this host. */
    URI endpoint() {
      return container.getEndpoint();
    }

    @Override
    public void close() {
      container.stop();
    }
  }

  /** Starts LocalStack with only the services Innkeeper uses, loaded before it reports ready. */
  @SuppressWarnings("resource") // closed by Running, or on a failed start
  static Running start() {
    LocalStackContainer container =
        new LocalStackContainer(
                DockerImageName.parse(image()).asCompatibleSubstituteFor("localstack/localstack"))
            .withServices("dynamodb", "dynamodbstreams", "sqs")
            // Load the three services (DynamoDB Local is a JVM in the container) before "Ready.",
            // so the first test does not pay for it inside an SDK timeout.
            .withEnv("EAGER_SERVICE_LOADING", "1")
            .withStartupTimeout(Duration.ofMinutes(3));
    String token = System.getenv(AUTH_TOKEN);
    if (token != null && !token.isBlank()) {
      container.withEnv(AUTH_TOKEN, token);
    }
    try {
      container.start();
    } catch (RuntimeException e) {
      container.stop();
      throw e;
    }
    return new Running(container);
  }
}
