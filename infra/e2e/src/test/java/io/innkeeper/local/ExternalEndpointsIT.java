package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.emulators.AwsEndpoints;
import io.innkeeper.local.emulators.Emulators;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.PhysicalNames;
import io.innkeeper.topology.Topology;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The runtime on AWS-compatible servers it did not start, as on LocalStack: here servers started by
 * hand, so the external path (provisioning there, pollers, functions, gateway) runs on every build,
 * Docker or not.
 */
class ExternalEndpointsIT {
  private static final Duration SETTLE = Duration.ofSeconds(20);

  @Test
  void a_runtime_on_external_endpoints_serves_the_api_and_leaves_the_servers_running()
      throws Exception {
    try (Emulators servers = Emulators.start(null)) {
      AwsEndpoints external = servers.endpoints();
      LocalOptions options =
          LocalOptions.defaults().withPort(0).withSeed(false).withExternal(external);
      try (LocalRuntime runtime = LocalRuntime.start(options)) {
        assertFalse(runtime.embedded());
        assertEquals(external.dynamoDb(), runtime.dynamoDbEndpoint());
        assertEquals(external.dynamoDbStreams(), runtime.dynamoDbStreamsEndpoint());
        assertEquals(external.sqs(), runtime.sqsEndpoint());
        assertFalse(
            runtime.startupSummary().contains("emulators"),
            "started emulators of its own: " + runtime.startupSummary());

        // Through the command queue, the events table's stream and the projector.
        Api api = new Api(runtime.apiUrl());
        String admin = runtime.mintToken("external-admin", List.of("admin"));
        String city = Commands.unique("Elsewhere");
        Api.Answer accepted =
            api.postJson(
                "/hotels", admin, Commands.hotelBody("Remote Inn", city, Commands.DBL_ONLY));
        String commandId = Commands.accepted(accepted);
        String hotelId = (String) accepted.json().get("hotelId");
        Api.Answer status = api.awaitSettled(commandId, admin, SETTLE);
        assertEquals("SUCCEEDED", status.json().get("status"), status.body());
        Api.Answer hotel = api.await("/hotels/" + hotelId, null, a -> a.status() == 200, SETTLE);
        assertEquals(city, hotel.json().get("city"), hotel.body());
      }

      // Stopping the runtime stops nothing it did not start: the servers still hold its tables.
      try (DynamoDbClient ddb = LocalAws.dynamoDb(external.dynamoDb())) {
        assertTrue(
            ddb.listTables().tableNames().contains(PhysicalNames.table("events")),
            "the events table went away with the runtime");
      }

      // Its pollers' long polls (20 s, as Lambda's) ended with it: a message sent now is there
      // for the next receiver, not taken by a receive of the stopped runtime and hidden for a
      // visibility timeout.
      try (SqsClient sqs = LocalAws.sqs(external.sqs())) {
        String queueName = PhysicalNames.queue(Topology.innkeeper().queue("command-queue"));
        String url = sqs.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
        sqs.sendMessage(
            r ->
                r.queueUrl(url)
                    .messageBody("{}")
                    .messageGroupId("after-the-runtime")
                    .messageDeduplicationId(UUID.randomUUID().toString()));
        List<Message> received =
            sqs.receiveMessage(
                    r ->
                        r.queueUrl(url)
                            .waitTimeSeconds(5)
                            .messageSystemAttributeNames(
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
        assertEquals(1, received.size(), "a receive of the stopped runtime took the message");
        assertEquals(
            "1",
            received.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
      }
    }
  }

  @Test
  void an_endpoint_nobody_answers_is_named_in_the_failure() throws Exception {
    URI nobody;
    try (ServerSocket closedAgain = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      nobody = URI.create("http://127.0.0.1:" + closedAgain.getLocalPort());
    }
    LocalOptions options =
        LocalOptions.defaults().withPort(0).withSeed(false).withExternal(AwsEndpoints.all(nobody));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LocalRuntime.start(options));
    assertTrue(e.getMessage().contains(nobody.toString()), e.getMessage());
  }
}
