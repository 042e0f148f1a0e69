package io.innkeeper.local.sns;

import io.innkeeper.ops.LocalAws;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ARNs the local bus hands out and accepts, all in the runtime's one region and account. */
final class Arns {

  private static final Pattern TOPIC =
      Pattern.compile("arn:aws:sns:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_.-]{1,256})");
  private static final Pattern SUBSCRIPTION =
      Pattern.compile(
          "arn:aws:sns:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_.-]{1,256}):([0-9a-f-]{36})");
  private static final Pattern QUEUE =
      Pattern.compile("arn:aws:sqs:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_-]{1,80}(\\.fifo)?)");

  private Arns() {}

  static String topic(String name) {
    return "arn:aws:sns:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":" + name;
  }

  /** Whether {@code arn} is shaped like a topic ARN (of any region or account). */
  static boolean isTopic(String arn) {
    return arn != null && TOPIC.matcher(arn).matches();
  }

  /** Whether {@code arn} is shaped like a subscription ARN (of any region or account). */
  static boolean isSubscription(String arn) {
    return arn != null && SUBSCRIPTION.matcher(arn).matches();
  }

  /** An SQS queue named by its ARN. */
  record Queue(String region, String account, String name) {
    boolean fifo() {
      return name.endsWith(".fifo");
    }
  }

  /** The queue {@code arn} names, or {@code null} if it is not an SQS queue ARN. */
  static Queue queue(String arn) {
    if (arn == null) {
      return null;
    }
    Matcher m = QUEUE.matcher(arn);
    return m.matches() ? new Queue(m.group(1), m.group(2), m.group(3)) : null;
  }

  /** The ARN of the local runtime's queue {@code name}. */
  static String queueArn(String name) {
    return "arn:aws:sqs:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":" + name;
  }
}
