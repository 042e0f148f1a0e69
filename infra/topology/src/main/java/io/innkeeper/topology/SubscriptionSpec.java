package io.innkeeper.topology;

import java.util.Objects;

/**
 * A topology queue subscribed to a topology topic.
 *
 * @param topicId the topic
 * @param queueId the queue that receives the topic's messages
 * @param rawMessageDelivery whether the queue receives the published body as it is (else SNS's JSON
 *     envelope around it)
 * @param filterPolicy the subscription's filter policy on message attributes (JSON), or {@code
 *     null} for every message
 */
public record SubscriptionSpec(
    String topicId, String queueId, boolean rawMessageDelivery, String filterPolicy) {
  public SubscriptionSpec {
    Objects.requireNonNull(topicId);
    Objects.requireNonNull(queueId);
  }
}
