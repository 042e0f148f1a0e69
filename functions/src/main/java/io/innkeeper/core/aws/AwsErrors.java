package io.innkeeper.core.aws;

import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * DynamoDB answers that mean "nothing was done, send the same request again" and that the AWS SDK
 * does not retry on its own (it retries throttling, 500s and timeouts).
 *
 * <ul>
 *   <li>{@code TransactionConflictException}: a single-item write met an item that a transaction
 *       holds. DynamoDB's guidance is to retry; nothing was written.
 *   <li>{@code TransactionCanceledException} whose reasons are only {@code None} and {@code
 *       ThrottlingError}: a transaction cancelled because one of its items was throttled. It is
 *       throttling in all but name, and nothing was written. A cancellation with any other reason
 *       ({@code ConditionalCheckFailed}, {@code TransactionConflict}, ...) is the caller's to
 *       decide (read again, or give up) and is not retried blindly.
 * </ul>
 */
public final class AwsErrors {
  private static final Set<String> HARMLESS_REASONS = Set.of("None", "ThrottlingError");

  private AwsErrors() {}

  /** A single-item write that met an item held by a transaction. */
  public static boolean transactionConflict(Throwable e) {
    return e instanceof TransactionConflictException;
  }

  /** A transaction cancelled only because it was throttled: retry it as it is. */
  public static boolean throttledTransaction(Throwable e) {
    if (!(e instanceof TransactionCanceledException cancelled)
        || !cancelled.hasCancellationReasons()) {
      return false;
    }
    List<CancellationReason> reasons = cancelled.cancellationReasons();
    boolean throttled = false;
    for (CancellationReason r : reasons) {
      String code = r.code() == null ? "None" : r.code();
      if (!HARMLESS_REASONS.contains(code)) {
        return false;
      }
      throttled |= code.equals("ThrottlingError");
    }
    return throttled;
  }

  /** What {@link SdkSettings}' retry strategy retries on top of the SDK's own conditions. */
  public static boolean retryableBeyondSdk(Throwable e) {
    return transactionConflict(e) || throttledTransaction(e);
  }
}
