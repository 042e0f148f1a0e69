package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The event bus on AWS: an encrypted SNS FIFO topic that refuses plain HTTP, the publisher as the
 * events stream's second reader with its own on-failure queue, the guest-messages queue subscribed
 * raw with a filter on the published type, and least privilege: the publisher may publish to its
 * topic and nothing else on SNS; the subscriber reads its queue and writes its table, and no other
 * function touches either.
 */
class EventBusTest {

  private final Synth synth = Synth.innkeeper();
  private final Template template = synth.template;

  private String topicId() {
    return synth.logicalId(synth.stack.topics().get(Topology.EVENT_BUS));
  }

  @Test
  void theTopicIsFifoEncryptedWithTheAwsManagedKeyAndDeduplicatesByTheEventId() {
    template.resourceCountIs("AWS::SNS::Topic", 1);
    template.hasResourceProperties(
        "AWS::SNS::Topic",
        Map.of(
            "FifoTopic", true,
            "ContentBasedDeduplication", false,
            "KmsMasterKeyId", "alias/aws/sns"));
    JsonNode topic = synth.resource(topicId()).path("Properties");
    assertTrue(
        topic.path("TopicName").toString().contains(".fifo"), "a FIFO topic's name: " + topic);
  }

  @Test
  void theTopicRefusesEveryRequestNotOverTls() {
    boolean denied = false;
    for (JsonNode policy : synth.resources("AWS::SNS::TopicPolicy").values()) {
      JsonNode p = policy.path("Properties");
      if (!Synth.referencedIds(p.path("Topics")).contains(topicId())) {
        continue;
      }
      for (JsonNode s : p.path("PolicyDocument").path("Statement")) {
        denied |=
            "Deny".equals(s.path("Effect").asText())
                && "false"
                    .equals(s.path("Condition").path("Bool").path("aws:SecureTransport").asText());
      }
    }
    assertTrue(denied, "a Deny on aws:SecureTransport=false in the topic's policy");
  }

  @Test
  void theGuestMessagesQueueIsSubscribedRawWithAFilterOnTheType() {
    String queue = synth.logicalId(synth.stack.queues().get("guest-messages-queue"));
    template.resourceCountIs("AWS::SNS::Subscription", 1);
    template.hasResourceProperties(
        "AWS::SNS::Subscription",
        Map.of(
            "Protocol", "sqs",
            "RawMessageDelivery", true,
            "TopicArn", Map.of("Ref", topicId()),
            "Endpoint", Map.of("Fn::GetAtt", List.of(queue, "Arn")),
            "FilterPolicy",
                Map.of(
                    "type",
                    List.of(
                        "io.innkeeper.hotel.reservation.placed.v1",
                        "io.innkeeper.hotel.reservation.cancelled.v1"))));
    // SNS, from this topic only, may send to the queue.
    boolean allowed = false;
    for (JsonNode policy : synth.resources("AWS::SQS::QueuePolicy").values()) {
      JsonNode p = policy.path("Properties");
      if (!Synth.referencedIds(p.path("Queues")).contains(queue)) {
        continue;
      }
      for (JsonNode s : p.path("PolicyDocument").path("Statement")) {
        if ("Allow".equals(s.path("Effect").asText())
            && Synth.actions(s).contains("sqs:SendMessage")) {
          assertEquals("sns.amazonaws.com", s.path("Principal").path("Service").asText());
          assertEquals(
              List.of(topicId()),
              Synth.referencedIds(s.path("Condition").path("ArnEquals").path("aws:SourceArn")));
          allowed = true;
        }
      }
    }
    assertTrue(allowed, "the topic may send to the guest-messages queue");
  }

  @Test
  void thePublisherReadsTheEventsStreamBesideTheProjectorAndParksOnItsOwnQueue() {
    String events = synth.logicalId(synth.stack.tables().get("events"));
    String parked = synth.logicalId(synth.stack.queues().get("publisher-parked"));
    template.hasResourceProperties(
        "AWS::Lambda::EventSourceMapping",
        Match.objectLike(
            Map.of(
                "FunctionName", Match.objectLike(Map.of()),
                "EventSourceArn", Map.of("Fn::GetAtt", List.of(events, "StreamArn")),
                "BisectBatchOnFunctionError", true,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "DestinationConfig",
                    Map.of(
                        "OnFailure",
                        Map.of("Destination", Map.of("Fn::GetAtt", List.of(parked, "Arn")))))));
    // Two readers of the events stream: DynamoDB Streams serves two per shard without throttling.
    long readers =
        synth.resources("AWS::Lambda::EventSourceMapping").values().stream()
            .filter(
                m ->
                    Synth.referencedIds(m.path("Properties").path("EventSourceArn"))
                        .contains(events))
            .count();
    assertEquals(2, readers, "the projector and the publisher");
  }

  @Test
  void onlyThePublisherMayPublishAndOnlyToItsTopic() {
    for (InnkeeperFunction fn : synth.stack.functions().values()) {
      List<JsonNode> sns = new ArrayList<>();
      for (JsonNode s : synth.statements(fn)) {
        if (Synth.actions(s).stream().anyMatch(a -> a.startsWith("sns:"))) {
          sns.add(s);
        }
      }
      if (fn.spec().id().equals("publisher")) {
        assertEquals(1, sns.size(), "one SNS statement: " + sns);
        assertEquals(List.of("sns:Publish"), Synth.actions(sns.get(0)));
        assertEquals(List.of(topicId()), Synth.referencedIds(sns.get(0).path("Resource")));
      } else {
        assertEquals(List.of(), sns, fn.spec().id() + " publishes nothing");
      }
    }
  }

  @Test
  void theSubscriberOnlyReadsItsQueueAndWritesItsTable() {
    String queue = synth.logicalId(synth.stack.queues().get("guest-messages-queue"));
    String table = synth.logicalId(synth.stack.tables().get("guest-feed"));
    InnkeeperFunction subscriber = synth.stack.functions().get("guest-messages");
    Set<String> touched = new HashSet<>();
    for (JsonNode s : synth.statements(subscriber)) {
      List<String> refs = Synth.referencedIds(s.path("Resource"));
      touched.addAll(refs);
      if (refs.contains(table)) {
        assertFalse(
            Synth.actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:GetRecords")),
            "no stream actions on its table");
      }
    }
    String logs = synth.logicalId(subscriber.logGroup());
    assertEquals(
        Set.of(queue, table, logs), touched, "its queue, its table and its logs, nothing else");
    // Nobody else reads its queue or touches its table.
    for (InnkeeperFunction fn : synth.stack.functions().values()) {
      String id = fn.spec().id();
      if (id.equals("guest-messages")) {
        continue;
      }
      for (JsonNode s : synth.statements(fn)) {
        List<String> refs = Synth.referencedIds(s.path("Resource"));
        assertFalse(refs.contains(queue), id + " reaches the guest-messages queue");
        if (refs.contains(table)) {
          assertEquals("guest-messages-api", id, id + " reaches the guest-feed table");
          assertTrue(
              Synth.actions(s).stream().noneMatch(a -> AccessGrants.TABLE_WRITE.contains(a)),
              "the API only reads it");
        }
      }
    }
  }

  @Test
  void alarmsWatchThePublisherAndTheSubscribersDeadLetters() {
    Set<String> alarms = new HashSet<>();
    synth.resources("AWS::CloudWatch::Alarm").keySet().forEach(alarms::add);
    assertTrue(alarms.stream().anyMatch(a -> a.contains("PublisherIteratorAge")), "" + alarms);
    assertTrue(alarms.stream().anyMatch(a -> a.contains("PublisherParkedNotEmpty")), "" + alarms);
    assertTrue(alarms.stream().anyMatch(a -> a.contains("GuestMessagesDlqNotEmpty")), "" + alarms);
    assertTrue(alarms.stream().anyMatch(a -> a.contains("GuestMessagesErrors")), "" + alarms);
  }

  @Test
  void theTopicArnIsAnOutputForSubscribersAndReplay() {
    JsonNode output = synth.json.path("Outputs").path(OutputNames.topicArn(Topology.EVENT_BUS));
    assertEquals(List.of(topicId()), Synth.referencedIds(output.path("Value")));
  }

  @Test
  void theDashboardShowsTheBus() {
    String body =
        synth.resources("AWS::CloudWatch::Dashboard").values().iterator().next().toString();
    assertTrue(body.contains("NumberOfMessagesPublished"), "published on the bus");
    assertTrue(body.contains("PublishLag"), "the publisher's lag");
    assertTrue(body.contains("SubscriberLag"), "each subscriber's lag");
  }
}
