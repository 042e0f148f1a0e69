package io.innkeeper.ops;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Moves every message of a dead-letter queue back to its source queue.
 *
 * <p>On a FIFO queue a message keeps its message group and gets a new deduplication id ({@code
 * redrive-<message id in the DLQ>}): the original one (the command id) may still be inside the
 * queue's five-minute deduplication window, which would drop the message silently. The DLQ's
 * message id is the same on every receive, so a redrive retried after a crash within those five
 * minutes is still deduplicated; past them a second copy is harmless, as the command handler
 * applies a command id once.
 *
 * <p>Order per message group holds: messages are received from the FIFO dead-letter queue in group
 * order and each is sent before the next is looked at; when a send fails, the group's later
 * messages are left in the dead-letter queue behind it. A message is deleted from the dead-letter
 * queue only after its send succeeded.
 */
final class RedriveDeadLetters {
  /** A received message stays ours this long: ample for sending and deleting it. */
  private static final int VISIBILITY_SECONDS = 60;

  private final SqsClient sqs;

  RedriveDeadLetters(SqsClient sqs) {
    this.sqs = sqs;
  }

  /**
   * What a redrive did.
   *
   * @param byGroup messages moved per message group (one group {@code ""} on a standard queue)
   * @param left messages that stay in the dead-letter queue
   * @param problems why, one line each
   */
  record Result(int moved, Map<String, Integer> byGroup, int left, List<String> problems) {
    boolean clean() {
      return left == 0 && problems.isEmpty();
    }

    void print(RedriveTargets.DeadLetters route, PrintStream out) {
      out.printf(
          "redrive %s -> %s: moved %d message(s) in %d message group(s)%s%n",
          route.dlqId(),
          route.queueId(),
          moved,
          byGroup.size(),
          left == 0 ? "" : ", " + left + " left in " + route.dlqId());
      Lines.print(
          out, byGroup.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
      problems.forEach(p -> out.println("  ! " + p));
    }
  }

  Result redrive(String dlqUrl, String queueUrl) {
    boolean fifo = queueUrl.endsWith(".fifo");
    Map<String, Integer> byGroup = new TreeMap<>();
    Set<String> blocked = new HashSet<>();
    List<Message> kept = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int moved = 0;
    while (true) {
      List<Message> messages =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(dlqUrl)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .visibilityTimeout(VISIBILITY_SECONDS)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .messageAttributeNames("All"))
              .messages();
      if (messages.isEmpty()) {
        break;
      }
      for (Message m : messages) {
        String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
        String key = group == null ? "" : group;
        if (fifo && group == null) {
          problems.add("message " + m.messageId() + " has no message group; left where it is");
          kept.add(m);
          continue;
        }
        if (blocked.contains(key)) {
          kept.add(m); // behind a message of its group that could not be sent
          continue;
        }
        try {
          sqs.sendMessage(
              b -> {
                b.queueUrl(queueUrl).messageBody(m.body()).messageAttributes(m.messageAttributes());
                if (fifo) {
                  b.messageGroupId(group).messageDeduplicationId("redrive-" + m.messageId());
                }
              });
        } catch (RuntimeException e) {
          problems.add("could not send message " + m.messageId() + " (group " + key + "): " + e);
          if (fifo) {
            blocked.add(key);
          }
          kept.add(m);
          continue;
        }
        moved++;
        byGroup.merge(key, 1, Integer::sum);
        try {
          sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
        } catch (RuntimeException e) {
          problems.add(
              "sent message "
                  + m.messageId()
                  + " but could not delete it from the dead-letter queue; a later redrive"
                  + " sends it again, which the handler ignores for a command it already applied: "
                  + e);
        }
      }
    }
    // What stays is visible again at once, in its original order, for the next attempt.
    for (Message m : kept) {
      try {
        sqs.changeMessageVisibility(
            b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
      } catch (RuntimeException e) {
        // It becomes visible anyway when the receive's visibility timeout ends.
      }
    }
    return new Result(moved, byGroup, kept.size(), problems);
  }

  /** Prints at most {@value #MAX} lines of a list, then how many more there are. */
  static final class Lines {
    static final int MAX = 50;

    private Lines() {}

    static void print(PrintStream out, List<String> lines) {
      lines.stream().limit(MAX).forEach(l -> out.println("  " + l));
      if (lines.size() > MAX) {
        out.printf("  ... and %d more%n", lines.size() - MAX);
      }
    }
  }
}
