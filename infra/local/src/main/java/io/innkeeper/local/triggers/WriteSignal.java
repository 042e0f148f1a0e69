package io.innkeeper.local.triggers;

import java.util.Set;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Tells idle stream pollers that DynamoDB was just written, so they read the stream now instead of
 * at their next idle poll. Lambda polls a stream shard four times a second; a local runtime that
 * did the same would add up to 250 ms to every event's way into the read models, for no reason:
 * here the writers are in the same JVM and can say when they wrote.
 *
 * <p>The SDK loads this interceptor into every client (it is in the global interceptor list); it
 * only counts successful write calls to DynamoDB. Pollers still poll on their own when idle, so
 * writes from outside this JVM are read too, only later.
 */
public final class WriteSignal implements ExecutionInterceptor {

  private static final Set<String> WRITES =
      Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");

  private static final Object LOCK = new Object();
  private static long generation;

  /** The SDK instantiates this through the global interceptor list. */
  public WriteSignal() {}

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    if ("DynamoDb".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
        && WRITES.contains(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
      signal();
    }
  }

  /** Wakes every waiting poller. */
  static void signal() {
    synchronized (LOCK) {
      generation++;
      LOCK.notifyAll();
    }
  }

  /** The number of signals so far: read it before a poll, wait with it after an empty one. */
  static long generation() {
    synchronized (LOCK) {
      return generation;
    }
  }

  /**
   * Waits until a signal after {@code seen} arrives, or {@code millis} pass.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  static void awaitAfter(long seen, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    synchronized (LOCK) {
      while (generation == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        LOCK.wait(left / 1_000_000L, (int) (left % 1_000_000L));
      }
    }
  }
}
