package io.innkeeper.cdk;

import io.innkeeper.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Tags;
import software.constructs.Node;

/**
 * The CDK app: one {@link InnkeeperStack} built from {@link Topology#innkeeper()} (the topology of
 * the domain on the classpath, see {@link io.innkeeper.core.domain.Domains}), with the deployment
 * settings taken from the CDK context ({@code cdk.json} or {@code -c key=value}).
 *
 * <p>Context keys: {@value #FUNCTIONS_JAR} (default {@value #DEFAULT_FUNCTIONS_JAR}, relative to
 * the directory the app runs in, i.e. the one holding {@code cdk.json}), {@value #API_RATE_LIMIT},
 * {@value #API_BURST_LIMIT} and {@value #RESERVED_CONCURRENCY} ({@code false} by default, see
 * {@link ReservedConcurrency}).
 */
public final class InnkeeperApp {

  /** The construct id, and so the default CloudFormation name, of the stack. */
  public static final String STACK_ID = "Innkeeper";

  /** Context key: path of the functions jar. */
  public static final String FUNCTIONS_JAR = "functionsJar";

  /** Where {@code mvn package} leaves the functions jar, seen from {@code infra/cdk}. */
  public static final String DEFAULT_FUNCTIONS_JAR =
      "../../functions/target/innkeeper-functions.jar";

  /** Context key: steady-state request rate of the HTTP API. */
  public static final String API_RATE_LIMIT = "apiRateLimit";

  /** Context key: request burst of the HTTP API. */
  public static final String API_BURST_LIMIT = "apiBurstLimit";

  /** Context key: whether to reserve concurrency ({@link ReservedConcurrency}); off by default. */
  public static final String RESERVED_CONCURRENCY = "reservedConcurrency";

  private InnkeeperApp() {}

  /** Synthesizes the app into the directory the CDK CLI asks for. */
  public static void main(String[] args) {
    App app = new App();
    create(app);
    app.synth();
  }

  /** Adds Innkeeper's stack to {@code app}, configured from the app's context. */
  public static InnkeeperStack create(App app) {
    InnkeeperStack stack = new InnkeeperStack(app, STACK_ID, propsFromContext(app.getNode()));
    Tags.of(stack).add("app", "innkeeper");
    return stack;
  }

  static InnkeeperStackProps propsFromContext(Node node) {
    Path jar = Path.of(stringContext(node, FUNCTIONS_JAR, DEFAULT_FUNCTIONS_JAR));
    if (!Files.isRegularFile(jar)) {
      // The CDK's own "Cannot find asset" does not say how to get the jar.
      throw new IllegalStateException(
          "Functions jar not found at "
              + jar.toAbsolutePath().normalize()
              + ": build it first (mvn -B -q package -DskipTests at the repository root) or set"
              + " the '"
              + FUNCTIONS_JAR
              + "' context key");
    }
    var builder = InnkeeperStackProps.builder().functionsJar(jar);
    Number rate = numberContext(node, API_RATE_LIMIT);
    if (rate != null) {
      builder.apiRateLimit(rate.doubleValue());
    }
    Number burst = numberContext(node, API_BURST_LIMIT);
    if (burst != null) {
      builder.apiBurstLimit(burst.intValue());
    }
    builder.reserveConcurrency(booleanContext(node, RESERVED_CONCURRENCY));
    return builder.build();
  }

  private static String stringContext(Node node, String key, String fallback) {
    Object value = node.tryGetContext(key);
    return value == null ? fallback : value.toString();
  }

  // cdk.json gives booleans, `-c key=value` gives strings: accept both, and nothing else.
  private static boolean booleanContext(Node node, String key) {
    Object value = node.tryGetContext(key);
    if (value == null || Boolean.FALSE.equals(value) || "false".equals(value)) {
      return false;
    }
    if (Boolean.TRUE.equals(value) || "true".equals(value)) {
      return true;
    }
    throw new IllegalArgumentException(
        "Context key '" + key + "' must be true or false, got '" + value + "'");
  }

  // cdk.json gives numbers, `-c key=value` gives strings: accept both.
  private static Number numberContext(Node node, String key) {
    Object value = node.tryGetContext(key);
    if (value == null || value instanceof Number) {
      return (Number) value;
    }
    try {
      return Double.valueOf(value.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Context key '" + key + "' must be a number, got '" + value + "'", e);
    }
  }
}
