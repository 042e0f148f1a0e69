package io.innkeeper.core.command;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * When a command message that failed is delivered again. Left alone, SQS redelivers it once the
 * queue's visibility timeout passes, which must be six times the handler timeout (minutes): a
 * command that always fails would take five of those to reach the dead-letter queue, and its group
 * would stall meanwhile. So the handler shortens the wait itself, growing with each delivery (e.g.
 * 2, 4, 8, 16 s): a brief outage is retried soon, a poison message is dead-lettered and marked
 * FAILED in about half a minute. Messages after the failed one in the batch did not run at all and
 * come back at once.
 */
public final class Redelivery {

  /** Changes a received message's visibility: {@code ChangeMessageVisibility}. */
  @FunctionalInterface
  public interface Visibility {
    void change(String receiptHandle, int seconds);

    /**
     * Changes several messages' visibility to the same value; one call where the queue allows it
     * ({@code ChangeMessageVisibilityBatch}), which matters when time is short.
     */
    default void changeAll(List<String> receiptHandles, int seconds) {
      receiptHandles.forEach(handle -> change(handle, seconds));
    }
  }

  private static final Redelivery QUEUE_DEFAULT = new Redelivery(null, List.of());

  private final Visibility visibility;
  private final List<Integer> delays;

  private Redelivery(Visibility visibility, List<Integer> delays) {
    this.visibility = visibility;
    this.delays = List.copyOf(delays);
  }

  /** Leaves every redelivery to the queue's visibility timeout. */
  public static Redelivery queueDefault() {
    return QUEUE_DEFAULT;
  }

  /**
   * Redelivers the n-th failed delivery after the n-th delay of {@code spec} (seconds, comma
   * separated, e.g. {@code 2,4,8,16}); deliveries beyond the list use its last delay.
   *
   * @throws IllegalArgumentException for a spec that is not a list of 0..43200
   */
  public static Redelivery after(String spec, Visibility visibility) {
    List<Integer> delays = new ArrayList<>();
    for (String part : spec.split(",")) {
      int seconds;
      try {
        seconds = Integer.parseInt(part.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("retry delays must be seconds, not '" + spec + "'");
      }
      // SQS caps a visibility timeout at 12 hours.
      if (seconds < 0 || seconds > 43_200) {
        throw new IllegalArgumentException("a retry delay must be 0..43200 s, not " + seconds);
      }
      delays.add(seconds);
    }
    return new Redelivery(visibility, delays);
  }

  /** The delay before the delivery after failed delivery {@code receiveCount} (1-based). */
  public int delayAfter(int receiveCount) {
    return delays.get(Math.min(Math.max(receiveCount, 1), delays.size()) - 1);
  }

  /**
   * Schedules the failed message and the unprocessed rest of its batch. Best effort: if it cannot,
   * the visibility timeout still brings them back, only later.
   */
  void afterFailure(SQSEvent.SQSMessage failed, int receiveCount, List<SQSEvent.SQSMessage> rest) {
    if (visibility == null) {
      return;
    }
    change(failed, delayAfter(receiveCount));
    rest.forEach(m -> change(m, 0));
  }

  /**
   * Makes messages this invocation will not process visible again at once, so they come back in the
   * next batch instead of after the queue's visibility timeout. Best effort, as above.
   */
  void handBack(List<SQSEvent.SQSMessage> messages) {
    if (visibility == null || messages.isEmpty()) {
      return;
    }
    try {
      visibility.changeAll(
          messages.stream().map(SQSEvent.SQSMessage::getReceiptHandle).toList(), 0);
    } catch (RuntimeException e) {
      io.innkeeper.core.obs.Log.warn(
          "could not hand messages back", e, "messages", messages.size());
    }
  }

  private void change(SQSEvent.SQSMessage message, int seconds) {
    try {
      visibility.change(message.getReceiptHandle(), seconds);
    } catch (RuntimeException e) {
      io.innkeeper.core.obs.Log.warn(
          "could not schedule redelivery", e, "messageId", message.getMessageId());
    }
  }
}
