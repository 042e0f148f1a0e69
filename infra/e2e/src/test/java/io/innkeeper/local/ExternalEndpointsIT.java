package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.emulators.AwsEndpoints;
import io.innkeeper.local.emulators.Emulators;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.PhysicalNames;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
