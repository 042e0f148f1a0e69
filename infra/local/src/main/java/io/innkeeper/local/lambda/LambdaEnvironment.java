package io.innkeeper.local.lambda;

import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.Topology;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The functions' environment, published as JVM system properties: a JVM cannot set its own
 * environment variables, so handlers read {@code System.getenv(name)} and fall back to {@code
 * System.getProperty(name)}. All functions share one JVM, so two functions must not give one
 * variable different values.
 */
public final class LambdaEnvironment implements AutoCloseable {

  /** Endpoint overrides the functions apply to their SDK clients when set. */
  public static final String DYNAMODB_ENDPOINT = "INNKEEPER_DYNAMODB_ENDPOINT";

  public static final String SQS_ENDPOINT = "INNKEEPER_SQS_ENDPOINT";

  public static final String SNS_ENDPOINT = "INNKEEPER_SNS_ENDPOINT";

  private final Map<String, String> published;
  private final Map<String, String> previous = new LinkedHashMap<>();

  private LambdaEnvironment(Map<String, String> published) {
    this.published = published;
  }

  /**
   * Resolves every function's environment against the provisioned resources.
   *
   * @throws IllegalArgumentException if two functions set one variable to different values
   */
  public static Map<String, String> resolve(
      Topology topology, Function<String, String> tableName, Function<String, String> queueUrl) {
    return resolve(
        topology,
        tableName,
        queueUrl,
        id -> {
          throw new IllegalArgumentException("no topic " + id + " was provisioned");
        });
  }

  /** As above, with the ARNs of the provisioned topics. */
  public static Map<String, String> resolve(
      Topology topology,
      Function<String, String> tableName,
      Function<String, String> queueUrl,
      Function<String, String> topicArn) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> owners = new LinkedHashMap<>();
    Map<String, String> deploymentKeys = new LinkedHashMap<>();
    for (FunctionSpec function : topology.functions()) {
      function
          .environment()
          .forEach(
              (name, value) -> {
                String resolved;
                if (value instanceof EnvValue.TableName table) {
                  resolved = tableName.apply(table.tableId());
                } else if (value instanceof EnvValue.QueueUrl queue) {
                  resolved = queueUrl.apply(queue.queueId());
                } else if (value instanceof EnvValue.TopicArn topic) {
                  resolved = topicArn.apply(topic.topicId());
                } else if (value instanceof EnvValue.DeploymentKey key) {
                  resolved = deploymentKeys.computeIfAbsent(key.name(), k -> randomKey());
                } else if (value instanceof EnvValue.ServiceName) {
                  resolved = MetricCatalog.LOCAL_SERVICE_NAME;
                } else if (value instanceof EnvValue.Literal literal) {
                  resolved = literal.value();
                } else {
                  // A new kind must be resolved here too, or the function would start without it.
                  throw new IllegalArgumentException(
                      "function " + function.id() + ": cannot resolve " + name + " = " + value);
                }
                String earlier = values.putIfAbsent(name, resolved);
                if (earlier != null && !earlier.equals(resolved)) {
                  throw new IllegalArgumentException(
                      "functions "
                          + owners.get(name)
                          + " and "
                          + function.id()
                          + " give "
                          + name
                          + " different values, which one JVM cannot host");
                }
                owners.putIfAbsent(name, function.id());
              });
    }
    return values;
  }

  /** 32 random bytes, base64url: a fresh deployment key for each start of the runtime. */
  private static String randomKey() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Sets the functions' variables, the endpoint overrides and the SDK's region and credentials as
   * system properties; {@link #close()} puts the previous values back.
   */
  public static LambdaEnvironment publish(
      Map<String, String> functionEnvironment, URI dynamoDbEndpoint, URI sqsEndpoint) {
    return publish(functionEnvironment, dynamoDbEndpoint, sqsEndpoint, null);
  }

  /** As above, with the event bus's SNS endpoint ({@code null}: none). */
  public static LambdaEnvironment publish(
      Map<String, String> functionEnvironment,
      URI dynamoDbEndpoint,
      URI sqsEndpoint,
      URI snsEndpoint) {
    Map<String, String> all = new LinkedHashMap<>(functionEnvironment);
    all.put(DYNAMODB_ENDPOINT, dynamoDbEndpoint.toString());
    all.put(SQS_ENDPOINT, sqsEndpoint.toString());
    if (snsEndpoint != null) {
      all.put(SNS_ENDPOINT, snsEndpoint.toString());
    }
    all.put("aws.region", LocalAws.REGION);
    all.put("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
    all.put("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
    // DynamoDB Local's dependencies bring more SDK HTTP clients; a handler that does not choose one
    // would otherwise fail on "multiple HTTP implementations" here but not on Lambda.
    all.put(
        "software.amazon.awssdk.http.service.impl",
        "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
    LambdaEnvironment environment = new LambdaEnvironment(all);
    synchronized (System.class) {
      all.forEach(
          (name, value) -> {
            environment.previous.put(name, System.getProperty(name));
            System.setProperty(name, value);
          });
    }
    return environment;
  }

  /** What was published, by name. */
  public Map<String, String> values() {
    return Map.copyOf(published);
  }

  @Override
  public void close() {
    synchronized (System.class) {
      previous.forEach(
          (name, value) -> {
            // Only undo our own value: a later runtime in this JVM may have replaced it.
            if (published.get(name).equals(System.getProperty(name))) {
              if (value == null) {
                System.clearProperty(name);
              } else {
                System.setProperty(name, value);
              }
            }
          });
    }
  }
}
