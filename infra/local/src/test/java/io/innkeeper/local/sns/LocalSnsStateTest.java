package io.innkeeper.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Topics and subscriptions kept in the state file across a restart of the bus. */
class LocalSnsStateTest {

  @TempDir Path dir;

  @Test
  void givenTopicsAndSubscriptions_whenTheBusRestartsOnTheSameFile_thenAllOfThemAreBack() {
    Path file = dir.resolve("sns").resolve("bus.json");
    LocalSns.Options options = LocalSns.Options.defaults().withStateFile(file);
    String fifo;
    String subscription;
    List<LocalSns.TopicInfo> topicsBefore;
    try (SqsClient sqs = SnsServer.deliveryClient(URI.create("http://127.0.0.1:9"));
        LocalSns bus = new LocalSns(sqs, URI.create("http://127.0.0.1:1"), options)) {
      fifo = bus.ensureTopic("events.fifo", true, true).arn();
      bus.ensureTopic("plain", false, false);
      bus.setTopicAttribute(fifo, "DisplayName", "Innkeeper events");
      subscription =
          bus.subscribe(
              fifo,
              "sqs",
              Arns.queueArn("guest-messages.fifo"),
              Map.of(
                  "RawMessageDelivery", "true",
                  "FilterPolicyScope", "MessageBody",
                  "FilterPolicy", "{\"type\":[{\"prefix\":\"Reservation\"}]}"));
      String gone = bus.subscribe(fifo, "sqs", Arns.queueArn("gone.fifo"), Map.of());
      bus.unsubscribe(gone);
      topicsBefore = bus.topics();
    }
    assertTrue(Files.isRegularFile(file));

    try (SqsClient sqs = SnsServer.deliveryClient(URI.create("http://127.0.0.1:9"));
        LocalSns bus = new LocalSns(sqs, URI.create("http://127.0.0.1:2"), options)) {
      assertEquals(topicsBefore, bus.topics());
      LocalSns.SubscriptionInfo s = bus.subscription(subscription);
      assertEquals(Arns.queueArn("guest-messages.fifo"), s.endpoint());
      assertEquals("true", s.attributes().get("RawMessageDelivery"));
      assertEquals("MessageBody", s.attributes().get("FilterPolicyScope"));
      assertEquals(1, bus.listSubscriptions(null).size());
      // Creating the topic again adopts it.
      assertEquals(fifo, bus.ensureTopic("events.fifo", true, true).arn());
    }
  }
}
