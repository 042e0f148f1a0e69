package io.innkeeper.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sns.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sns.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.InvalidParameterValueException;
import software.amazon.awssdk.services.sns.model.ListSubscriptionsResponse;
import software.amazon.awssdk.services.sns.model.ListTopicsResponse;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The endpoint's AWS Query protocol as the AWS SDK for Java itself marshals and unmarshals it (the
 * SDK's {@code SnsClient} over an in-memory transport, no socket): every operation's request is
 * understood, every answer reads back into the SDK's model, every error becomes the SDK's own
 * exception type. Nothing here delivers to a queue; {@code EventBusIT} does.
 */
class SnsProtocolTest {

  private static final String QUEUE_FIFO = "arn:aws:sqs:us-east-1:000000000000:orders.fifo";
  private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:audit";

  private SqsClient unusedSqs;
  private LocalSns bus;
  private SnsClient sns;

  @BeforeEach
  void setUp() {
    // Never called: these tests publish only to topics without subscriptions.
    unusedSqs = SnsServer.deliveryClient(URI.create("http://127.0.0.1:9"));
    bus = new LocalSns(unusedSqs, URI.create("http://127.0.0.1:4575"), LocalSns.Options.defaults());
    sns = new InMemorySnsHttp(bus).client();
  }

  @AfterEach
  void tearDown() {
    sns.close();
    bus.close();
    unusedSqs.close();
  }

  private String fifoTopic(String name, boolean contentBased) {
    return sns.createTopic(
            r ->
                r.name(name)
                    .attributes(
                        Map.of(
                            "FifoTopic",
                            "true",
                            "ContentBasedDeduplication",
                            Boolean.toString(contentBased))))
        .topicArn();
  }

  @Test
  void givenAFifoTopic_whenCreatedAgainWithTheSameAttributes_thenTheSameArnComesBack() {
    String arn = fifoTopic("events.fifo", true);

    assertEquals("arn:aws:sns:us-east-1:000000000000:events.fifo", arn);
    assertEquals(arn, fifoTopic("events.fifo", true));
    Map<String, String> attributes = sns.getTopicAttributes(r -> r.topicArn(arn)).attributes();
    assertEquals("true", attributes.get("FifoTopic"));
    assertEquals("true", attributes.get("ContentBasedDeduplication"));
    assertEquals(arn, attributes.get("TopicArn"));
    assertEquals("000000000000", attributes.get("Owner"));
    assertEquals("0", attributes.get("SubscriptionsConfirmed"));
  }

  @Test
  void givenAFifoTopic_whenCreatedAgainWithOtherAttributes_thenInvalidParameter() {
    fifoTopic("events.fifo", true);

    InvalidParameterException e =
        assertThrows(InvalidParameterException.class, () -> fifoTopic("events.fifo", false));
    assertEquals(400, e.statusCode());
    assertEquals("InvalidParameter", e.awsErrorDetails().errorCode());
    assertTrue(e.getMessage().contains("already exists with different attributes"), e.getMessage());
  }

  @Test
  void givenBadTopicNames_whenCreated_thenInvalidParameterAndNothingIsCreated() {
    assertThrows(InvalidParameterException.class, () -> sns.createTopic(r -> r.name("a.fifo")));
    assertThrows(InvalidParameterException.class, () -> sns.createTopic(r -> r.name("has space")));
    assertThrows(InvalidParameterException.class, () -> fifoTopic("no-suffix", false));
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.createTopic(
                r -> r.name("std").attributes(Map.of("ContentBasedDeduplication", "true"))));
    assertThrows(
        InvalidParameterException.class,
        () -> sns.createTopic(r -> r.name("std").attributes(Map.of("Colour", "blue"))));

    assertTrue(sns.listTopics().topics().isEmpty());
  }

  @Test
  void given205Topics_whenListed_thenPagesOf100WithTokensAndEveryTopicOnce() {
    List<String> created = new ArrayList<>();
    IntStream.range(0, 205)
        .forEach(i -> created.add(sns.createTopic(r -> r.name("t" + i)).topicArn()));

    ListTopicsResponse first = sns.listTopics();
    assertEquals(100, first.topics().size());
    assertNotNull(first.nextToken());
    ListTopicsResponse second = sns.listTopics(r -> r.nextToken(first.nextToken()));
    assertEquals(100, second.topics().size());
    ListTopicsResponse third = sns.listTopics(r -> r.nextToken(second.nextToken()));
    assertEquals(5, third.topics().size());
    assertNull(third.nextToken());

    List<String> paged = sns.listTopicsPaginator().topics().stream().map(Topic::topicArn).toList();
    assertEquals(created, paged);
    assertThrows(InvalidParameterException.class, () -> sns.listTopics(r -> r.nextToken("bm9wZQ")));
  }

  @Test
  void givenAFifoTopic_whenAFifoQueueSubscribes_thenTheSubscriptionCarriesItsAttributes() {
    String topic = fifoTopic("events.fifo", false);
    String policy = "{\"type\":[\"ReservationPlaced\"]}";

    String arn =
        sns.subscribe(
                r ->
                    r.topicArn(topic)
                        .protocol("sqs")
                        .endpoint(QUEUE_FIFO)
                        .returnSubscriptionArn(true)
                        .attributes(
                            Map.of(
                                "RawMessageDelivery", "true",
                                "FilterPolicy", policy,
                                "FilterPolicyScope", "MessageAttributes")))
            .subscriptionArn();

    assertTrue(arn.startsWith(topic + ":"), arn);
    Map<String, String> a = sns.getSubscriptionAttributes(r -> r.subscriptionArn(arn)).attributes();
    assertEquals("true", a.get("RawMessageDelivery"));
    assertEquals(policy, a.get("FilterPolicy"));
    assertEquals("MessageAttributes", a.get("FilterPolicyScope"));
    assertEquals("false", a.get("PendingConfirmation"));
    assertEquals(QUEUE_FIFO, a.get("Endpoint"));
    Subscription listed =
        sns.listSubscriptionsByTopic(r -> r.topicArn(topic)).subscriptions().get(0);
    assertEquals(arn, listed.subscriptionArn());
    assertEquals("sqs", listed.protocol());
    assertEquals(QUEUE_FIFO, listed.endpoint());
    assertEquals(topic, listed.topicArn());
    assertEquals("000000000000", listed.owner());
    assertEquals(
        "1",
        sns.getTopicAttributes(r -> r.topicArn(topic)).attributes().get("SubscriptionsConfirmed"));
  }

  @Test
  void givenASubscription_whenTheSameQueueSubscribesAgain_thenSameArnUnlessAttributesDiffer() {
    String topic = fifoTopic("events.fifo", false);
    String arn =
        sns.subscribe(
                r ->
                    r.topicArn(topic)
                        .protocol("sqs")
                        .endpoint(QUEUE_FIFO)
                        .attributes(Map.of("RawMessageDelivery", "true")))
            .subscriptionArn();

    assertEquals(
        arn,
        sns.subscribe(
                r ->
                    r.topicArn(topic)
                        .protocol("sqs")
                        .endpoint(QUEUE_FIFO)
                        .attributes(Map.of("RawMessageDelivery", "true")))
            .subscriptionArn());
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.subscribe(
                r ->
                    r.topicArn(topic)
                        .protocol("sqs")
                        .endpoint(QUEUE_FIFO)
                        .attributes(Map.of("RawMessageDelivery", "false"))));
    assertEquals(1, sns.listSubscriptions().subscriptions().size());
  }

  @Test
  void givenTopics_whenSubscriptionsAreWrong_thenTheSdkRaisesSnsErrorTypes() {
    String fifo = fifoTopic("events.fifo", false);
    String standard = sns.createTopic(r -> r.name("plain")).topicArn();

    InvalidParameterException fifoQueueOnStandard =
        assertThrows(
            InvalidParameterException.class,
            () -> sns.subscribe(r -> r.topicArn(standard).protocol("sqs").endpoint(QUEUE_FIFO)));
    assertTrue(
        fifoQueueOnStandard.getMessage().contains("FIFO SQS Queues can not be subscribed"),
        fifoQueueOnStandard.getMessage());
    assertThrows(
        InvalidParameterException.class,
        () -> sns.subscribe(r -> r.topicArn(fifo).protocol("https").endpoint("https://x")));
    assertThrows(
        InvalidParameterException.class,
        () -> sns.subscribe(r -> r.topicArn(fifo).protocol("carrier-pigeon").endpoint(QUEUE)));
    assertThrows(
        InvalidParameterException.class,
        () -> sns.subscribe(r -> r.topicArn(fifo).protocol("sqs").endpoint("my-queue")));
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.subscribe(
                r ->
                    r.topicArn(fifo)
                        .protocol("sqs")
                        .endpoint(QUEUE_FIFO)
                        .attributes(Map.of("FilterPolicy", "{\"a\":[{\"wildcard\":\"x*\"}]}"))));
    NotFoundException missing =
        assertThrows(
            NotFoundException.class,
            () ->
                sns.subscribe(
                    r ->
                        r.topicArn("arn:aws:sns:us-east-1:000000000000:nope")
                            .protocol("sqs")
                            .endpoint(QUEUE)));
    assertEquals(404, missing.statusCode());
    assertThrows(
        InvalidParameterException.class,
        () -> sns.subscribe(r -> r.topicArn("not-an-arn").protocol("sqs").endpoint(QUEUE)));
    assertTrue(sns.listSubscriptions().subscriptions().isEmpty());
  }

  @Test
  void givenAStandardTopic_whenAStandardQueueSubscribes_thenItIsAccepted() {
    String standard = sns.createTopic(r -> r.name("plain")).topicArn();

    String arn =
        sns.subscribe(r -> r.topicArn(standard).protocol("sqs").endpoint(QUEUE)).subscriptionArn();

    assertEquals(QUEUE, sns.listSubscriptions().subscriptions().get(0).endpoint());
    sns.unsubscribe(r -> r.subscriptionArn(arn));
    assertTrue(sns.listSubscriptions().subscriptions().isEmpty());
    // Unsubscribing again is no error, as on SNS; a malformed ARN is.
    sns.unsubscribe(r -> r.subscriptionArn(arn));
    assertThrows(
        InvalidParameterException.class, () -> sns.unsubscribe(r -> r.subscriptionArn("x")));
  }

  @Test
  void given150Subscriptions_whenListed_thenTheyArePaged() {
    String topic = sns.createTopic(r -> r.name("wide")).topicArn();
    for (int i = 0; i < 150; i++) {
      String queue = "arn:aws:sqs:us-east-1:000000000000:q" + i;
      sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queue));
    }

    ListSubscriptionsResponse first = sns.listSubscriptions();
    assertEquals(100, first.subscriptions().size());
    assertNotNull(first.nextToken());
    assertEquals(
        150,
        sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topic)).subscriptions().stream()
            .map(Subscription::subscriptionArn)
            .distinct()
            .count());
  }

  @Test
  void givenASubscription_whenItsAttributesChange_thenBadOnesAreRefusedAndGoodOnesStick() {
    String topic = fifoTopic("events.fifo", false);
    String arn =
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUE_FIFO))
            .subscriptionArn();

    sns.setSubscriptionAttributes(
        r ->
            r.subscriptionArn(arn)
                .attributeName("FilterPolicyScope")
                .attributeValue("MessageBody"));
    sns.setSubscriptionAttributes(
        r ->
            r.subscriptionArn(arn)
                .attributeName("FilterPolicy")
                .attributeValue("{\"data\":{\"guestId\":[{\"exists\":true}]}}"));
    // Nested keys are fine for the body, not for attributes: switching the scope is refused.
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.setSubscriptionAttributes(
                r ->
                    r.subscriptionArn(arn)
                        .attributeName("FilterPolicyScope")
                        .attributeValue("MessageAttributes")));
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.setSubscriptionAttributes(
                r -> r.subscriptionArn(arn).attributeName("Colour").attributeValue("blue")));
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.setSubscriptionAttributes(
                r ->
                    r.subscriptionArn(arn)
                        .attributeName("RedrivePolicy")
                        .attributeValue(
                            "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\"}")));

    Map<String, String> a = sns.getSubscriptionAttributes(r -> r.subscriptionArn(arn)).attributes();
    assertEquals("MessageBody", a.get("FilterPolicyScope"));
    assertEquals("{\"data\":{\"guestId\":[{\"exists\":true}]}}", a.get("FilterPolicy"));
    assertFalse(a.containsKey("RedrivePolicy"));

    sns.setSubscriptionAttributes(
        r -> r.subscriptionArn(arn).attributeName("FilterPolicy").attributeValue(""));
    assertFalse(
        sns.getSubscriptionAttributes(r -> r.subscriptionArn(arn))
            .attributes()
            .containsKey("FilterPolicy"));
    assertThrows(
        NotFoundException.class,
        () ->
            sns.getSubscriptionAttributes(
                r -> r.subscriptionArn(topic + ":" + new java.util.UUID(0, 1))));
  }

  @Test
  void givenAFifoTopic_whenMessagesArePublished_thenIdsAndGrowingSequenceNumbersComeBack() {
    String topic = fifoTopic("events.fifo", false);

    PublishResponse first =
        sns.publish(
            r -> r.topicArn(topic).message("m1").messageGroupId("g").messageDeduplicationId("d1"));
    PublishResponse second =
        sns.publish(
            r -> r.topicArn(topic).message("m2").messageGroupId("g").messageDeduplicationId("d2"));
    PublishResponse again =
        sns.publish(
            r -> r.topicArn(topic).message("m1").messageGroupId("g").messageDeduplicationId("d1"));

    assertNotEquals(first.messageId(), second.messageId());
    assertEquals(20, first.sequenceNumber().length());
    assertTrue(second.sequenceNumber().compareTo(first.sequenceNumber()) > 0);
    // The duplicate is accepted and answered with the first message's id and number.
    assertEquals(first.messageId(), again.messageId());
    assertEquals(first.sequenceNumber(), again.sequenceNumber());
  }

  @Test
  void
      givenTheThroughputScope_whenADeduplicationIdRecursInAnotherGroup_thenOnlyTheTopicScopeDropsIt() {
    String topicScope = fifoTopic("topic-scope.fifo", false);
    String groupScope =
        sns.createTopic(
                r ->
                    r.name("group-scope.fifo")
                        .attributes(
                            Map.of("FifoTopic", "true", "FifoThroughputScope", "MessageGroup")))
            .topicArn();

    for (String topic : List.of(topicScope, groupScope)) {
      String first =
          sns.publish(
                  r ->
                      r.topicArn(topic)
                          .message("a")
                          .messageGroupId("g1")
                          .messageDeduplicationId("d"))
              .messageId();
      String other =
          sns.publish(
                  r ->
                      r.topicArn(topic)
                          .message("b")
                          .messageGroupId("g2")
                          .messageDeduplicationId("d"))
              .messageId();
      assertEquals(topic.equals(topicScope), first.equals(other), topic);
    }
  }

  @Test
  void givenAStandardTopic_whenPublished_thenNoSequenceNumber() {
    String topic = sns.createTopic(r -> r.name("plain")).topicArn();

    PublishResponse r =
        sns.publish(
            p ->
                p.topicArn(topic)
                    .message("hello")
                    .subject("Greeting")
                    .messageAttributes(
                        Map.of(
                            "n",
                            MessageAttributeValue.builder()
                                .dataType("Number")
                                .stringValue("5")
                                .build(),
                            "b",
                            MessageAttributeValue.builder()
                                .dataType("Binary")
                                .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3}))
                                .build())));

    assertNotNull(r.messageId());
    assertNull(r.sequenceNumber());
  }

  @Test
  void givenTopics_whenPublishesAreWrong_thenTheSdkRaisesSnsErrorTypes() {
    String fifo = fifoTopic("events.fifo", false);
    String standard = sns.createTopic(r -> r.name("plain")).topicArn();

    InvalidParameterException noGroup =
        assertThrows(
            InvalidParameterException.class,
            () -> sns.publish(r -> r.topicArn(fifo).message("m").messageDeduplicationId("d")));
    assertTrue(noGroup.getMessage().contains("MessageGroupId"), noGroup.getMessage());
    assertThrows(
        InvalidParameterException.class,
        () -> sns.publish(r -> r.topicArn(fifo).message("m").messageGroupId("g")));
    assertThrows(
        InvalidParameterException.class,
        () -> sns.publish(r -> r.topicArn(standard).message("m").messageDeduplicationId("d")));
    assertThrows(
        InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(standard).message("")));
    assertThrows(
        InvalidParameterException.class,
        () -> sns.publish(r -> r.topicArn(standard).message("x".repeat(256 * 1024 + 1))));
    assertThrows(
        InvalidParameterException.class,
        () -> sns.publish(r -> r.topicArn(standard).message("m").subject("")));
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.publish(
                r -> r.topicArn(standard).message("{\"sqs\":\"x\"}").messageStructure("json")));
    NotFoundException unknown =
        assertThrows(
            NotFoundException.class,
            () ->
                sns.publish(
                    r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:missing").message("m")));
    assertEquals("NotFound", unknown.awsErrorDetails().errorCode());

    InvalidParameterValueException badType =
        assertThrows(
            InvalidParameterValueException.class,
            () ->
                sns.publish(
                    r ->
                        r.topicArn(standard)
                            .message("m")
                            .messageAttributes(attr("a", "Date", "x"))));
    assertEquals("ParameterValueInvalid", badType.awsErrorDetails().errorCode());
    assertThrows(
        InvalidParameterValueException.class,
        () ->
            sns.publish(
                r ->
                    r.topicArn(standard)
                        .message("m")
                        .messageAttributes(attr("n", "Number", "five"))));
    assertThrows(
        InvalidParameterValueException.class,
        () ->
            sns.publish(
                r ->
                    r.topicArn(standard)
                        .message("m")
                        .messageAttributes(attr("a", "String.Array", "[{}]"))));
    assertThrows(
        InvalidParameterValueException.class,
        () ->
            sns.publish(
                r ->
                    r.topicArn(standard)
                        .message("m")
                        .messageAttributes(attr(".a", "String", "x"))));
  }

  @Test
  void givenAFifoTopic_whenABatchIsPublished_thenEachEntryAnswersInOrder() {
    String topic = fifoTopic("events.fifo", true);

    PublishBatchResponse r =
        sns.publishBatch(
            b ->
                b.topicArn(topic)
                    .publishBatchRequestEntries(
                        entry("a", "m1", "g1"), entry("b", "m2", "g2"), entry("c", "m1", "g1")));

    assertTrue(r.failed().isEmpty(), r.failed().toString());
    assertEquals(List.of("a", "b", "c"), r.successful().stream().map(s -> s.id()).toList());
    // Content-based deduplication: "c" has the same body as "a" and is its duplicate.
    assertEquals(r.successful().get(0).messageId(), r.successful().get(2).messageId());
    assertTrue(
        r.successful().get(1).sequenceNumber().compareTo(r.successful().get(0).sequenceNumber())
            > 0);
  }

  @Test
  void givenATopic_whenBatchesAreWrong_thenTheSdkRaisesTheBatchErrorTypes() {
    String topic = fifoTopic("events.fifo", true);
    List<PublishBatchRequestEntry> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(entry("e" + i, "m" + i, "g"));
    }

    assertThrows(
        TooManyEntriesInBatchRequestException.class,
        () -> sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(eleven)));
    assertThrows(
        EmptyBatchRequestException.class,
        () -> sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(List.of())));
    assertThrows(
        BatchEntryIdsNotDistinctException.class,
        () ->
            sns.publishBatch(
                b ->
                    b.topicArn(topic)
                        .publishBatchRequestEntries(entry("a", "1", "g"), entry("a", "2", "g"))));
    assertThrows(
        InvalidBatchEntryIdException.class,
        () ->
            sns.publishBatch(
                b -> b.topicArn(topic).publishBatchRequestEntries(entry("a b", "1", "g"))));
    // One bad entry fails the whole request: nothing of it was published.
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.publishBatch(
                b ->
                    b.topicArn(topic)
                        .publishBatchRequestEntries(
                            entry("a", "1", "g"),
                            PublishBatchRequestEntry.builder().id("b").message("2").build())));
    PublishResponse after = sns.publish(r -> r.topicArn(topic).message("1").messageGroupId("g"));
    assertNotNull(after.messageId());
  }

  @Test
  void givenATopicWithASubscription_whenDeleted_thenBothAreGoneAndDeletingAgainIsFine() {
    String topic = fifoTopic("events.fifo", false);
    sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUE_FIFO));

    sns.deleteTopic(r -> r.topicArn(topic));

    assertThrows(NotFoundException.class, () -> sns.getTopicAttributes(r -> r.topicArn(topic)));
    assertTrue(sns.listSubscriptions().subscriptions().isEmpty());
    sns.deleteTopic(r -> r.topicArn(topic));
  }

  @Test
  void givenATopic_whenItsAttributesAreSet_thenValidOnesStickAndFifoTopicIsFixed() {
    String topic = fifoTopic("events.fifo", false);

    sns.setTopicAttributes(
        r -> r.topicArn(topic).attributeName("ContentBasedDeduplication").attributeValue("true"));
    sns.setTopicAttributes(
        r -> r.topicArn(topic).attributeName("DisplayName").attributeValue("Bus"));

    Map<String, String> a = sns.getTopicAttributes(r -> r.topicArn(topic)).attributes();
    assertEquals("true", a.get("ContentBasedDeduplication"));
    assertEquals("Bus", a.get("DisplayName"));
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.setTopicAttributes(
                r -> r.topicArn(topic).attributeName("FifoTopic").attributeValue("false")));
    assertThrows(
        InvalidParameterException.class,
        () ->
            sns.setTopicAttributes(
                r ->
                    r.topicArn(topic)
                        .attributeName("FifoThroughputScope")
                        .attributeValue("Queue")));
  }

  @Test
  void givenRawRequests_whenMalformed_thenSnsShapedErrors() {
    SnsApi api = new SnsApi(bus);

    SnsApi.Response noAction =
        api.handle(
            "POST",
            "/",
            null,
            "application/x-www-form-urlencoded",
            "Version=2010-03-31".getBytes(StandardCharsets.UTF_8));
    String xml = new String(noAction.body(), StandardCharsets.UTF_8);
    assertEquals(400, noAction.status());
    assertTrue(
        xml.contains("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"), xml);
    assertTrue(xml.contains("<Type>Sender</Type><Code>MissingAction</Code>"), xml);
    assertTrue(xml.contains("<RequestId>" + noAction.requestId() + "</RequestId>"), xml);

    SnsApi.Response unknown =
        api.handle("POST", "/", "Action=ConfirmSubscription", null, new byte[0]);
    assertEquals(400, unknown.status());
    assertTrue(
        new String(unknown.body(), StandardCharsets.UTF_8).contains("<Code>InvalidAction</Code>"));

    SnsApi.Response json =
        api.handle(
            "POST", "/", null, "application/x-amz-json-1.0", "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, json.status());

    SnsApi.Response pem = api.handle("GET", Envelope.CERT_PATH, null, null, new byte[0]);
    assertTrue(
        new String(pem.body(), StandardCharsets.US_ASCII).startsWith("-----BEGIN PUBLIC KEY-----"));
  }

  @Test
  void givenAnSdkError_whenCaught_thenItIsAnSnsExceptionWithSnsCode() {
    SnsException e =
        assertThrows(
            SnsException.class,
            () ->
                sns.getTopicAttributes(r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:none")));
    assertEquals(404, e.statusCode());
    assertEquals("Topic does not exist", e.awsErrorDetails().errorMessage());
    assertNotNull(e.requestId());
  }

  private static Map<String, MessageAttributeValue> attr(String name, String type, String value) {
    return Map.of(name, MessageAttributeValue.builder().dataType(type).stringValue(value).build());
  }

  private static PublishBatchRequestEntry entry(String id, String message, String group) {
    return PublishBatchRequestEntry.builder().id(id).message(message).messageGroupId(group).build();
  }
}
