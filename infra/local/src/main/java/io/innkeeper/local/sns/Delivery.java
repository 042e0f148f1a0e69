package io.innkeeper.local.sns;

import java.time.Instant;

/**
 * What became of one message for one subscription: the event the bus reports to {@link
 * LocalSns#onDelivery} observers (the console, benchmarks).
 *
 * @param topicArn the topic the message was published to
 * @param subscriptionArn the subscription
 * @param queueArn the subscribed queue
 * @param messageId the message's id
 * @param messageGroupId its message group, or {@code null}
 * @param sequenceNumber its FIFO sequence number, or {@code null}
 * @param publishedAt when the bus accepted the message (the bus's clock)
 * @param finishedAt when the outcome was known (the bus's clock)
 * @param outcome what happened
 * @param detail why, for the outcomes other than {@code DELIVERED} and {@code FILTERED}; else
 *     {@code null}
 */
public record Delivery(
    String topicArn,
    String subscriptionArn,
    String queueArn,
    String messageId,
    String messageGroupId,
    String sequenceNumber,
    Instant publishedAt,
    Instant finishedAt,
    Outcome outcome,
    String detail) {

  /** The fates of a message at one subscription, as SNS knows them. */
  public enum Outcome {
    /** SQS accepted it. */
    DELIVERED,
    /** The subscription's filter policy did not match it; nothing was sent. */
    FILTERED,
    /** SQS refused it for good (e.g. the queue is gone) and it went to the subscription's DLQ. */
    DEAD_LETTERED,
    /** SQS refused it for good and the subscription has no working DLQ: SNS discards it. */
    DROPPED,
    /** SQS kept failing (server side) until the retry budget ran out; the publish failed. */
    FAILED
  }
}
