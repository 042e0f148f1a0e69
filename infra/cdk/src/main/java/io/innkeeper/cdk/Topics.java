package io.innkeeper.cdk;

import io.innkeeper.events.Json;
import io.innkeeper.topology.SubscriptionSpec;
import io.innkeeper.topology.TopicSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.sns.CfnTopic;
import software.amazon.awscdk.services.sns.StringConditions;
import software.amazon.awscdk.services.sns.SubscriptionFilter;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscription;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscriptionProps;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/** SNS topics from {@link TopicSpec}s, and their queues' subscriptions. */
final class Topics {

  private Topics() {}

  /** The key alias of SNS's AWS-managed key. */
  static final String AWS_MANAGED_KEY = "alias/aws/sns";

  /** One topic per spec, under a {@code Topics} construct, keyed by topology id. */
  static Map<String, Topic> create(Construct scope, List<TopicSpec> specs) {
    Construct group = new Construct(scope, "Topics");
    Map<String, Topic> topics = new LinkedHashMap<>();
    for (TopicSpec spec : specs) {
      var builder =
          Topic.Builder.create(group, Names.pascal(spec.id()))
              // A topic policy refuses every request that does not come over TLS.
              .enforceSsl(true);
      if (spec.fifo()) {
        // The publisher sends each event's id as its deduplication id. The CDK names the topic
        // (with the .fifo suffix FIFO topics need), so two stacks in one account do not collide.
        builder.fifo(true).contentBasedDeduplication(spec.contentBasedDeduplication());
      }
      Topic topic = builder.build();
      // Encrypted at rest with SNS's AWS-managed key. Its key policy lets every principal of the
      // account use it through SNS, so a publisher needs no kms: statement; handing the alias to
      // the CDK as masterKey would add one on Resource * to every grantPublish. No key to pay for
      // or rotate; a customer managed key would be needed only for an AWS service or another
      // account to publish, and nothing does (subscribers elsewhere receive through their own
      // queues).
      ((CfnTopic) topic.getNode().getDefaultChild()).setKmsMasterKeyId(AWS_MANAGED_KEY);
      topics.put(spec.id(), topic);
    }
    return topics;
  }

  /**
   * Each subscription: the queue subscribed to its topic with its raw delivery and filter policy;
   * the CDK also gives the topic (and only it) {@code sqs:SendMessage} in the queue's policy.
   */
  static void subscribe(
      List<SubscriptionSpec> subscriptions, Map<String, Topic> topics, Map<String, Queue> queues) {
    for (SubscriptionSpec s : subscriptions) {
      Topic topic = topic(topics, s.topicId());
      Queue queue = AccessGrants.queue(queues, s.queueId());
      var props = SqsSubscriptionProps.builder().rawMessageDelivery(s.rawMessageDelivery());
      if (s.filterPolicy() != null) {
        props.filterPolicy(filterPolicy(s.filterPolicy()));
      }
      topic.addSubscription(new SqsSubscription(queue, props.build()));
    }
  }

  /**
   * The CDK's form of a filter policy of exact string matches ({@code {"attr":["a","b"]}}), the
   * only form the topology writes; anything else is refused rather than rendered differently from
   * what the local bus evaluates.
   */
  static Map<String, SubscriptionFilter> filterPolicy(String json) {
    Map<String, SubscriptionFilter> out = new LinkedHashMap<>();
    Json.parseObject(json)
        .forEach(
            (attribute, condition) -> {
              if (!(condition instanceof List<?> values)
                  || values.isEmpty()
                  || !values.stream().allMatch(String.class::isInstance)) {
                throw new IllegalArgumentException(
                    "filter policy "
                        + json
                        + ": only lists of exact strings are rendered, not "
                        + condition);
              }
              out.put(
                  attribute,
                  SubscriptionFilter.stringFilter(
                      StringConditions.builder()
                          .allowlist(values.stream().map(String.class::cast).toList())
                          .build()));
            });
    return out;
  }

  static Topic topic(Map<String, Topic> topics, String id) {
    Topic topic = topics.get(id);
    if (topic == null) {
      throw new IllegalArgumentException("unknown topic " + id);
    }
    return topic;
  }
}
