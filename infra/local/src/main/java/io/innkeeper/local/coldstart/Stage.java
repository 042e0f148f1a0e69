package io.innkeeper.local.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.local.LocalAws;
import io.innkeeper.local.LocalOptions;
import io.innkeeper.local.LocalRuntime;
import io.innkeeper.local.emulators.AwsEndpoints;
import io.innkeeper.local.emulators.Emulators;
import io.innkeeper.local.lambda.LambdaEnvironment;
import io.innkeeper.local.resources.Provisioner;
import io.innkeeper.local.resources.Provisioner.Resources;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the measured functions run against: DynamoDB Local and ElasticMQ in this JVM with the
 * topology's tables and queues, and a hotel with rooms to book.
 *
 * <p>The hotel is set up through a local runtime of its own on these emulators (register the hotel,
 * set an allotment, book once, each awaited), which is then stopped: while the function JVMs run,
 * no poller consumes the command queue or the events stream, so each event a child gets is exactly
 * the one the chain put there, and nothing else competes for the CPU. The setup's booking also
 * takes the emulators once through every path a run uses, so the first measured run does not pay
 * for the emulators' own warm-up.
 */
final class Stage implements AutoCloseable {

  static final String ROOM_TYPE = "DBL";

  /** Days from tomorrow on which each run's two-night booking starts. */
  static final int BOOKABLE_DAYS = 60;

  static final FirstEvents.Caller GUEST = new FirstEvents.Caller("coldstart-guest", List.of());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(60);

  private final Emulators emulators;
  private final DynamoDbClient dynamoDb;
  private final DynamoDbStreamsClient streams;
  private final SqsClient sqs;
  private final Resources resources;
  private final Map<String, String> resolved;
  private String hotelId;
  private String summary = "";

  private Stage(Emulators emulators, Resources resources, Topology topology) {
    this.emulators = emulators;
    this.resolved = LambdaEnvironment.resolve(topology, resources::tableName, resources::queueUrl);
    AwsEndpoints endpoints = emulators.endpoints();
    this.dynamoDb = LocalAws.dynamoDb(endpoints.dynamoDb());
    this.streams = LocalAws.dynamoDbStreams(endpoints.dynamoDbStreams());
    this.sqs = LocalAws.sqs(endpoints.sqs());
    this.resources = resources;
  }

  static Stage start(Topology topology) throws Exception {
    long started = System.nanoTime();
    Emulators emulators = Emulators.start(null);
    Stage stage = null;
    try {
      Resources resources;
      try (DynamoDbClient ddb = LocalAws.dynamoDb(emulators.endpoints().dynamoDb());
          SqsClient sqs = LocalAws.sqs(emulators.endpoints().sqs())) {
        resources = new Provisioner(topology, ddb, sqs).provision();
      }
      stage = new Stage(emulators, resources, topology);
      long emulatorsReady = System.nanoTime();
      stage.bookableHotel(topology);
      stage.summary =
          String.format(
              "emulators %d ms, hotel %s set up in %d ms",
              (emulatorsReady - started) / 1_000_000,
              stage.hotelId,
              (System.nanoTime() - emulatorsReady) / 1_000_000);
      return stage;
    } catch (Exception | Error e) {
      if (stage != null) {
        stage.close();
      } else {
        emulators.close();
      }
      throw e;
    }
  }

  /** Registers a hotel, gives its double rooms an allotment and books one, through the API. */
  private void bookableHotel(Topology topology) throws Exception {
    LocalOptions options =
        LocalOptions.defaults()
            .withTopology(topology)
            .withPort(0)
            .withSeed(false)
            .withExternal(emulators.endpoints());
    try (LocalRuntime runtime = LocalRuntime.start(options)) {
      Api api = new Api(runtime.apiUrl(), runtime.mintToken("coldstart-admin", List.of("admin")));
      JsonNode registered =
          api.command(
              "/hotels",
              Map.of(
                  "name",
                  "Cold Start Inn",
                  "city",
                  "Lisbon",
                  "roomTypes",
                  List.of(Map.of("code", ROOM_TYPE, "name", "Double room", "maxGuests", 2))));
      hotelId = registered.path("hotelId").asText();
      LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
      api.command(
          "/hotels/" + hotelId + "/allotments",
          Map.of(
              "roomType", ROOM_TYPE,
              "from", tomorrow.toString(),
              "to", tomorrow.plusDays(BOOKABLE_DAYS + 3).toString(),
              "rooms", 10_000,
              "nightlyRate", Map.of("amount", "100.00", "currency", "EUR")));
      Api guest = new Api(runtime.apiUrl(), runtime.mintToken(GUEST.sub(), GUEST.groups()));
      JsonNode booked =
          guest.command(
              "/reservations",
              Map.of(
                  "hotelId",
                  hotelId,
                  "roomType",
                  ROOM_TYPE,
                  "checkIn",
                  tomorrow.toString(),
                  "checkOut",
                  tomorrow.plusDays(2).toString(),
                  "guests",
                  2));
      // The projector's view of it too, so every read model path has run once.
      guest.awaitOk("/reservations/" + booked.path("reservationId").asText());
    }
  }

  String hotelId() {
    return hotelId;
  }

  String summary() {
    return summary;
  }

  Resources resources() {
    return resources;
  }

  SqsClient sqs() {
    return sqs;
  }

  DynamoDbStreamsClient streams() {
    return streams;
  }

  /** Where the functions' SDK clients send their requests: the emulators. */
  Map<String, String> endpointEnvironment() {
    return Map.of(
        LambdaEnvironment.DYNAMODB_ENDPOINT,
        emulators.endpoints().dynamoDb().toString(),
        LambdaEnvironment.SQS_ENDPOINT,
        emulators.endpoints().sqs().toString());
  }

  /**
   * The function's environment variables as the topology declares them, resolved as the local
   * runtime resolves them (one deployment key for every function that names it).
   */
  Map<String, String> environment(FunctionSpec function) {
    Map<String, String> env = new LinkedHashMap<>();
    function.environment().keySet().forEach(name -> env.put(name, resolved.get(name)));
    return env;
  }

  @Override
  public void close() {
    sqs.close();
    streams.close();
    dynamoDb.close();
    emulators.close();
  }

  /** The setup's calls to the local runtime's API. */
  private static final class Api {
    private final URI base;
    private final String token;
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(URI base, String token) {
      this.base = base;
      this.token = token;
    }

    /** POSTs a command and waits until it has SUCCEEDED; answers the 202's body. */
    JsonNode command(String path, Object body) throws IOException, InterruptedException {
      HttpResponse<String> response =
          send(
              request(path)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build());
      if (response.statusCode() != 202) {
        throw new IllegalStateException(
            "setup: POST " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      JsonNode accepted = JSON.readTree(response.body());
      String commandId = accepted.path("commandId").asText();
      long deadline = System.nanoTime() + COMMAND_DEADLINE.toNanos();
      while (true) {
        HttpResponse<String> status = send(request("/commands/" + commandId).GET().build());
        String state =
            status.statusCode() == 200 ? JSON.readTree(status.body()).path("status").asText() : "";
        if (state.equals("SUCCEEDED")) {
          return accepted;
        }
        if (!state.equals("PENDING") || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "setup: the command of POST "
                  + path
                  + " did not succeed: "
                  + status.statusCode()
                  + " "
                  + status.body());
        }
        Thread.sleep(50);
      }
    }

    /** GETs until the answer is 200 (a read model catching up). */
    void awaitOk(String path) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + COMMAND_DEADLINE.toNanos();
      while (true) {
        HttpResponse<String> response = send(request(path).GET().build());
        if (response.statusCode() == 200) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "setup: GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        Thread.sleep(50);
      }
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(base.resolve(path))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request)
        throws IOException, InterruptedException {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }
}
