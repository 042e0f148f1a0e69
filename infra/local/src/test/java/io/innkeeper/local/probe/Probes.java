package io.innkeeper.local.probe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the probe handlers saw, shared with the test through statics (one JVM, like the runtime).
 */
public final class Probes {

  /** One SQS message as a probe received it. */
  public record SqsDelivery(int invocation, String body, int receiveCount, boolean threw) {}

  /** One stream invocation: the record ids and sequence numbers, in order, and its outcome. */
  public record StreamCall(
      String function, List<String> ids, List<String> sequenceNumbers, String outcome) {}

  public static final ConcurrentLinkedQueue<SqsDelivery> SQS = new ConcurrentLinkedQueue<>();
  public static final ConcurrentLinkedQueue<StreamCall> STREAM = new ConcurrentLinkedQueue<>();

  public static final java.util.Set<String> SQS_ATTRIBUTE_NAMES = ConcurrentHashMap.newKeySet();

  /** Environment values the handlers saw in their constructors. */
  public static final Map<String, String> ENVIRONMENT = new ConcurrentHashMap<>();

  private Probes() {}

  static String env(String name) {
    String value = System.getenv(name);
    return value != null ? value : System.getProperty(name);
  }
}
