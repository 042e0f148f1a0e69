package io.innkeeper.topology;

import io.innkeeper.core.obs.MetricCatalog;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Lambda function.
 *
 * @param id logical id, e.g. {@code command-api}
 * @param handler fully qualified handler class (implements {@code RequestHandler})
 * @param memoryMb memory size
 * @param timeoutSeconds invocation timeout
 * @param environment environment variables, sorted by name so every rendering is deterministic
 * @param triggers what invokes it
 * @param access the only resources it may touch, and how
 */
public record FunctionSpec(
    String id,
    String handler,
    int memoryMb,
    int timeoutSeconds,
    Map<String, EnvValue> environment,
    List<Trigger> triggers,
    List<Access> access) {

  public FunctionSpec {
    Objects.requireNonNull(id);
    Objects.requireNonNull(handler);
    environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
    triggers = List.copyOf(triggers);
    access = List.copyOf(access);
  }

  /**
   * An environment variable's value: a literal, the physical name of a resource, or a value the
   * platform knows per deployment.
   */
  public sealed interface EnvValue {
    /** A fixed value. */
    record Literal(String value) implements EnvValue {}

    /** The physical name of a table. */
    record TableName(String tableId) implements EnvValue {}

    /** The URL of a queue. */
    record QueueUrl(String queueId) implements EnvValue {}

    /** The ARN of a topic. */
    record TopicArn(String topicId) implements EnvValue {}

    /**
     * A value chosen once per deployment and shared by every function that names it, such as the
     * key that signs page cursors. API callers never see it; on AWS it derives from the stack's
     * unique id, locally it is drawn at random when the runtime starts.
     */
    record DeploymentKey(String name) implements EnvValue {}

    /**
     * The name of this deployment, the value of the {@link MetricCatalog#SERVICE} dimension: the
     * stack name on AWS, {@link MetricCatalog#LOCAL_SERVICE_NAME} locally. Resolved by the platform
     * because only it knows which deployment it is.
     */
    record ServiceName() implements EnvValue {}
  }

  /** A permission: the function may do {@code level} on the resource. */
  public sealed interface Access {
    /** Table access. */
    record Table(String tableId, TableLevel level) implements Access {}

    /** Queue access. */
    record Queue(String queueId, QueueLevel level) implements Access {}

    /** Topic access: publishing, the only thing a function does with one. */
    record Topic(String topicId) implements Access {}
  }

  /** What a function may do with a table. */
  public enum TableLevel {
    READ,
    WRITE,
    READ_WRITE
  }

  /** What a function may do with a queue. */
  public enum QueueLevel {
    SEND,
    CONSUME
  }
}
