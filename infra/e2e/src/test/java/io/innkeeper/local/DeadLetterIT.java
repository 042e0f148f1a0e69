package io.innkeeper.local;

import static io.innkeeper.local.Commands.DBL_AND_FAM;
import static io.innkeeper.local.Commands.DBL_ONLY;
import static io.innkeeper.local.Commands.accepted;
import static io.innkeeper.local.Commands.hotelBody;
import static io.innkeeper.local.Commands.today;
import static io.innkeeper.local.Commands.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.core.Ulid;
import io.innkeeper.core.command.CommandEnvelope;
import io.innkeeper.core.command.CommandStatus;
import io.innkeeper.core.command.DynamoCommandStatusStore;
import io.innkeeper.core.command.SqsCommandQueue;
import io.innkeeper.events.DomainCommand;
import io.innkeeper.events.Json;
import io.innkeeper.events.Money;
import io.innkeeper.events.hotel.Cities;
import io.innkeeper.events.hotel.HotelCommand.RegisterHotel;
import io.innkeeper.events.hotel.HotelCommand.SetAllotment;
import io.innkeeper.events.hotel.HotelDomainCommand;
import io.innkeeper.events.hotel.HotelDomainEvent;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import io.innkeeper.events.hotel.RoomType;
import io.innkeeper.hotel.hotels.HotelAggregate;
import io.innkeeper.hotel.inventory.Inventory;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.ops.RedriveCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Dead letters: what cannot be processed (a poison message) is set aside, while everything else
 * keeps flowing, and comes back with {@code redrive} once its cause is fixed.
 *
 * <p>The read side runs on the shared runtime: an event no projection can decode, and an event
 * whose read-model row the projection cannot read, are each retried, parked on projector-parked
 * with their {@code DDBStreamBatchInfo} while the events of other aggregates are projected, and
 * projected by {@code redrive projections} once fixed; a parked range the stream no longer has is
 * reported, not dropped. {@code redrive commands} puts dead-lettered commands back in order per
 * message group, and a FAILED command then settles.
 *
 * <p>The command that always fails runs on a runtime of its own, so the shared command queue never
 * looks busy to the other ITs while it is retried. Its five deliveries come back after the
 * topology's retry delays (2, 4, 8, 16 s, set by the handler), so it is FAILED in the dead-letter
 * queue about half a minute after it was sent, while the other message groups flow. That runtime
 * runs with its waits twice as short ({@link TimeCompression}: delays of 1, 2, 4, 8 s), so the same
 * five deliveries take a quarter of a minute.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetterIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);

  /**
   * How much shorter the command poison's runtime makes its waits: twice, so the poison still
   * retries (1 + 2 + 4 + 8 s) while the other message groups settle on a loaded machine, which the
   * first test asserts.
   */
  private static final TimeCompression COMPRESSION = new TimeCompression(2);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate NIGHT = today().plusDays(90);

  private static LocalRuntime shared;
  private static Api api;
  private static Commands commands;
  private static Backstage backstage;

  /** The command poison's own runtime, and what its second part needs from its first. */
  private static LocalRuntime own;

  private static DynamoDbClient ownDdb;
  private static SqsClient ownSqs;
  private static Api ownApi;
  private static String ownAdmin;
  private static String snapshotHotel;
  private static String originalSnapshot;
  private static String fixableCommand;
  private static String craftedCommand;

  @BeforeAll
  static void start() {
    shared = SharedRuntime.get();
    api = new Api(shared.apiUrl());
    commands = new Commands(api, SETTLE);
    backstage = new Backstage(shared);
  }

  @AfterAll
  static void stop() {
    if (backstage != null) {
      backstage.close();
    }
    if (own != null) {
      ownDdb.close();
      ownSqs.close();
      own.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The read side: parked, redriven

  @Test
  @Order(1)
  void
      an_event_no_projection_can_decode_is_parked_while_other_aggregates_flow_and_redriven_once_fixed()
          throws Exception {
    assertEquals(0, depth(backstage.sqs(), parkedQueue()), "projector-parked is empty to start");
    String city = unique("Poison");
    String before = hotelId(commands.registerHotel("Before Inn", city, DBL_ONLY));
    // A newer release wrote this event at a schema version the running projector cannot read yet.
    String hotelId = Ulid.next(Instant.now());
    String stream = HotelAggregate.streamId(hotelId);
    HotelRegistered registered =
        new HotelRegistered(
            hotelId,
            "Fixed Inn",
            city,
            Cities.key(city),
            List.of(new RoomType("DBL", "Double room", 2)),
            Instant.now());
    var valid = HotelDomainEvent.TYPES.encode(registered);
    Map<String, Object> newer = new HashMap<>(Json.parseObject(valid.json()));
    newer.put("brand", "Poison Hotels");
    putEvent(backstage.dynamoDb(), stream, 1, valid.type(), valid.version() + 1, Json.write(newer));
    String after = hotelId(commands.registerHotel("After Inn", city, DBL_ONLY));

    // Other aggregates, written before and after it, are projected: the shard moved on.
    awaitStatus("/hotels/" + before, 200);
    awaitStatus("/hotels/" + after, 200);
    JsonNode parked = awaitParkedRecord();
    JsonNode info = parked.path("DDBStreamBatchInfo");
    assertEquals(eventsStreamArn(backstage.dynamoDb(), shared), info.path("streamArn").asText());
    assertFalse(info.path("shardId").asText().isEmpty(), parked.toString());
    assertEquals(
        info.path("startSequenceNumber").asText(),
        info.path("endSequenceNumber").asText(),
        "bisected down to the one record: " + parked);
    assertEquals(1, info.path("batchSize").asInt(), parked.toString());
    assertEquals(
        "RetryAttemptsExhausted", parked.path("requestContext").path("condition").asText());
    assertEquals(404, api.get("/hotels/" + hotelId, null).status());

    // The cause is fixed: the event is rewritten at its version as the current release writes it.
    putEvent(backstage.dynamoDb(), stream, 1, valid.type(), valid.version(), valid.json());
    Run redrive = redrive(shared, "projections");

    assertEquals(0, redrive.code(), redrive.out());
    assertTrue(redrive.out().contains(stream + ": projected v1 (1 event)"), redrive.out());
    assertTrue(redrive.out().contains("1 parked record(s) deleted, 0 left"), redrive.out());
    assertEquals(0, depth(backstage.sqs(), parkedQueue()), "nothing is left parked");
    Api.Answer hotel = awaitStatus("/hotels/" + hotelId, 200);
    assertEquals("Fixed Inn", hotel.json().get("name"), hotel.body());
  }

  @Test
  @Order(2)
  void an_event_whose_read_model_row_cannot_be_read_is_parked_and_only_redrive_brings_it_in()
      throws Exception {
    String city = unique("Poison-Row");
    String hotelId = hotelId(commands.registerHotel("Row Inn", city, DBL_ONLY));
    awaitStatus("/hotels/" + hotelId, 200);
    String stream = HotelAggregate.streamId(hotelId);
    // A bad manual edit: the stream's watermark (a number) written as a string. Every later event
    // of this hotel fails in the projector; no new stream record will come when it is repaired.
    setWatermark(stream, AttributeValue.fromS("1"));
    String allotment =
        accepted(commands.setAllotment(hotelId, "DBL", NIGHT, NIGHT.plusDays(2), 4, "90.00"));
    assertEquals("SUCCEEDED", commands.settled(allotment).get("status"));
    String other = hotelId(commands.registerHotel("Other Inn", city, DBL_ONLY));

    awaitStatus("/hotels/" + other, 200);
    JsonNode parked = awaitParkedRecord();
    assertEquals(1, parked.path("DDBStreamBatchInfo").path("batchSize").asInt(), parked.toString());
    assertEquals(0, roomsOnSale(hotelId, NIGHT), "the allotment is not projected");

    setWatermark(stream, AttributeValue.fromN("1"));
    Run redrive = redrive(shared, "projections");

    assertEquals(0, redrive.code(), redrive.out());
    assertTrue(redrive.out().contains(stream + ": projected v2 (1 event)"), redrive.out());
    assertEquals(4, roomsOnSale(hotelId, NIGHT), "redrive projected the allotment");
    assertEquals(4, roomsOnSale(hotelId, NIGHT.plusDays(1)));
    assertEquals(0, depth(backstage.sqs(), parkedQueue()), "nothing is left parked");
  }

  @Test
  @Order(3)
  void a_parked_range_the_stream_no_longer_has_is_reported_and_kept_until_discarded()
      throws Exception {
    // What a parked record looks like when it is redriven after its shard aged out of the stream.
    String body =
        Json.write(
            Json.obj(
                "version",
                "1.0",
                "requestContext",
                Json.obj("condition", "RetryAttemptsExhausted"),
                "DDBStreamBatchInfo",
                Json.obj(
                    "shardId", "shardId-00000001000000000000-deadbeef",
                    "startSequenceNumber", "100000000000000000001",
                    "endSequenceNumber", "100000000000000000003",
                    "batchSize", 3,
                    "streamArn", eventsStreamArn(backstage.dynamoDb(), shared))));
    backstage.sqs().sendMessage(b -> b.queueUrl(parkedQueue()).messageBody(body));

    Run kept = redrive(shared, "projections");

    assertEquals(1, kept.code(), kept.out());
    assertTrue(kept.out().contains("no longer in the stream"), kept.out());
    assertTrue(kept.out().contains("run `rebuild`"), kept.out());
    assertTrue(kept.out().contains("0 parked record(s) deleted, 1 left"), kept.out());
    assertEquals(1, depth(backstage.sqs(), parkedQueue()), "kept, not dropped");

    Run discarded = redrive(shared, "projections", "--discard-trimmed");

    assertEquals(0, discarded.code(), discarded.out());
    assertEquals(0, depth(backstage.sqs(), parkedQueue()));
  }

  // ---------------------------------------------------------------------------------------------
  // The command dead-letter queue: redriven in order per message group

  @Test
  @Order(4)
  void redrive_commands_puts_dead_letters_back_in_order_per_message_group_and_they_settle()
      throws Exception {
    String city = unique("Poison-Dlq");
    String first = hotelId(commands.registerHotel("First Inn", city, DBL_ONLY));
    String second = hotelId(commands.registerHotel("Second Inn", city, DBL_ONLY));
    awaitStatus("/hotels/" + first, 200);
    awaitStatus("/hotels/" + second, 200);
    String dlq = shared.queueUrl("command-dlq");
    assertEquals(0, depth(backstage.sqs(), dlq), "command-dlq is empty to start");
    // What SQS's redrive policy leaves after an outage: FAILED commands in the dead-letter queue,
    // each with its message group, interleaved. Each first-group allotment overrides the last.
    var statuses = new DynamoCommandStatusStore(backstage.dynamoDb(), shared.tableName("commands"));
    List<String> ids = new ArrayList<>();
    int[][] sends = {{0, 1}, {1, 4}, {0, 2}, {1, 5}, {0, 3}};
    for (int[] send : sends) {
      String hotelId = send[0] == 0 ? first : second;
      SetAllotment command =
          new SetAllotment(
              hotelId, "DBL", NIGHT, NIGHT.plusDays(3), send[1], Money.of("80.00", "EUR"));
      CommandEnvelope envelope = envelope(command);
      statuses.accept(
          CommandStatus.pending(
              envelope.commandId(), envelope.type(), envelope.callerId(), Instant.now()));
      statuses.complete(
          envelope.commandId(),
          CommandStatus.State.FAILED,
          "PROCESSING_FAILED",
          null,
          Instant.now());
      backstage
          .sqs()
          .sendMessage(
              b ->
                  b.queueUrl(dlq)
                      .messageBody(envelope.toJson())
                      .messageGroupId(Inventory.group(hotelId, "DBL"))
                      .messageDeduplicationId(envelope.commandId()));
      ids.add(envelope.commandId());
    }
    assertEquals("FAILED", status(api, SharedRuntime.adminToken(), ids.get(0)).get("status"));

    Run redrive = redrive(shared, "commands");

    assertEquals(0, redrive.code(), redrive.out());
    assertTrue(redrive.out().contains("moved 5 message(s) in 2 message group(s)"), redrive.out());
    assertTrue(redrive.out().contains(Inventory.group(first, "DBL") + ": 3"), redrive.out());
    for (String id : ids) {
      assertEquals("SUCCEEDED", commands.settled(id).get("status"), "a FAILED command settles");
    }
    assertEquals(List.of(1L, 2L, 3L), allotted(backstage.dynamoDb(), shared, first));
    assertEquals(List.of(4L, 5L), allotted(backstage.dynamoDb(), shared, second));
    assertEquals(0, depth(backstage.sqs(), dlq));
    awaitTrue(() -> roomsOnSale(first, NIGHT) == 3, "the last allotment is projected");
  }

  // ---------------------------------------------------------------------------------------------
  // A command that always fails: on a runtime of its own

  @Test
  @Order(5)
  void a_command_that_always_fails_holds_only_its_own_message_group() throws Exception {
    assumeTrue(
        SharedRuntime.Backend.selected() == SharedRuntime.Backend.EMBEDDED,
        "the command poison runs on an embedded runtime of its own");
    own =
        LocalRuntime.start(
            LocalOptions.defaults().withPort(0).withSeed(false).withTimeCompression(COMPRESSION));
    ownDdb = LocalAws.dynamoDb(own.dynamoDbEndpoint());
    ownSqs = LocalAws.sqs(own.sqsEndpoint());
    ownApi = new Api(own.apiUrl());
    ownAdmin = own.mintToken("it-admin", List.of("admin"));
    String city = unique("Poison-Cmd");
    snapshotHotel = ownRegister("Snapshot Inn", city, DBL_ONLY);
    String healthy = ownRegister("Healthy Inn", city, DBL_AND_FAM);

    // 1. The hotel's state snapshot is one the running handler cannot read (as after rolling back
    //    a release that wrote a new snapshot format): every command on this hotel fails.
    String head = HotelAggregate.streamId(snapshotHotel);
    originalSnapshot = snapshot(head);
    setSnapshot(head, "{\"format\":2,\"state\":" + originalSnapshot + "}");
    fixableCommand =
        accepted(
            ownApi.postJson(
                "/hotels/" + snapshotHotel + "/allotments",
                ownAdmin,
                Commands.allotmentBody("DBL", NIGHT, NIGHT.plusDays(2), 2, "75.00")));
    // 2. A command from a newer command-api release, at a schema version this handler does not
    //    know yet: recorded and enqueued as command-api does it, with the same classes.
    craftedCommand = sendFromTheFuture(city);

    // Both fail on every delivery and wait for the next one on the command queue. (Peeking at
    // their receive counts would itself be a receive, so the test does not.)
    String queue = own.queueUrl("command-queue");
    awaitTrue(() -> depth(ownSqs, queue) == 2, "both poison commands are held on the queue");

    // Commands of other message groups, sent together, all go through meanwhile.
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Api.Answer>> sent = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        String name = "Flowing Inn " + i;
        sent.add(
            pool.submit(
                () -> ownApi.postJson("/hotels", ownAdmin, hotelBody(name, city, DBL_ONLY))));
      }
      for (String type : List.of("DBL", "FAM")) {
        sent.add(
            pool.submit(
                () ->
                    ownApi.postJson(
                        "/hotels/" + healthy + "/allotments",
                        ownAdmin,
                        Commands.allotmentBody(type, NIGHT, NIGHT.plusDays(2), 3, "99.00"))));
      }
      for (Future<Api.Answer> f : sent) {
        String id = accepted(f.get());
        Map<String, Object> settled = ownApi.awaitSettled(id, ownAdmin, SETTLE).json();
        assertEquals("SUCCEEDED", settled.get("status"), settled.toString());
      }
    } finally {
      pool.shutdown();
    }

    assertEquals("PENDING", status(ownApi, ownAdmin, fixableCommand).get("status"));
    assertEquals("PENDING", status(ownApi, ownAdmin, craftedCommand).get("status"));
    assertEquals(2, depth(ownSqs, queue), "still held for a retry, not lost");
    assertEquals(0, depth(ownSqs, own.queueUrl("command-dlq")));
    assertEquals(
        List.of(), allotted(ownDdb, own, snapshotHotel), "nothing of the poison was applied");
  }

  @Test
  @Order(6)
  void after_its_last_delivery_it_is_FAILED_in_the_dead_letter_queue_and_redriven_once_fixed()
      throws Exception {
    assumeTrue(own != null, "needs the runtime of the previous test");
    // The retry delays (compressed), then one more receive moves them: allow twice that, plus
    // one visibility timeout in case a delivery's delay could not be set, and time to process.
    Duration patience = patience();
    String dlq = own.queueUrl("command-dlq");
    long started = System.nanoTime();
    awaitTrue(() -> depth(ownSqs, dlq) == 2, "both poison commands reach the DLQ", patience);
    System.out.printf(
        "DeadLetterIT: both poison commands dead-lettered %d s after the fast part%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds());
    for (String id : List.of(fixableCommand, craftedCommand)) {
      Map<String, Object> s = status(ownApi, ownAdmin, id);
      assertEquals("FAILED", s.get("status"), s.toString());
      assertEquals("PROCESSING_FAILED", s.get("reason"), s.toString());
    }
    assertEquals(0, depth(ownSqs, own.queueUrl("command-queue")), "both left the command queue");
    String later =
        accepted(ownApi.postJson("/hotels", ownAdmin, hotelBody("Later Inn", "Porto", DBL_ONLY)));
    assertEquals("SUCCEEDED", ownApi.awaitSettled(later, ownAdmin, SETTLE).json().get("status"));

    // The snapshot is repaired; the command from the future still has no handler that knows it.
    setSnapshot(HotelAggregate.streamId(snapshotHotel), originalSnapshot);
    Run redrive = redrive(own, "commands");

    assertEquals(0, redrive.code(), redrive.out());
    assertTrue(redrive.out().contains("moved 2 message(s) in 2 message group(s)"), redrive.out());
    awaitTrue(
        () -> "SUCCEEDED".equals(status(ownApi, ownAdmin, fixableCommand).get("status")),
        "the repaired command settles, FAILED -> SUCCEEDED");
    assertEquals(List.of(2L), allotted(ownDdb, own, snapshotHotel));
    // Nothing fixed: retried on the command queue, failing again, and back in the DLQ.
    awaitTrue(
        () -> depth(ownSqs, dlq) == 1, "the unfixed command is dead-lettered again", patience);
    assertEquals("FAILED", status(ownApi, ownAdmin, craftedCommand).get("status"));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private record Run(int code, String out) {}

  /** {@code redrive ARGS --endpoint ... --sqs-endpoint ...}, as an operator runs it. */
  private static Run redrive(LocalRuntime runtime, String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(
        List.of(
            "--endpoint",
            runtime.dynamoDbEndpoint().toString(),
            "--sqs-endpoint",
            runtime.sqsEndpoint().toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long started = System.nanoTime();
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      int code = RedriveCommand.run(argv, ps, ps);
      String text = out.toString(StandardCharsets.UTF_8);
      System.out.printf(
          "DeadLetterIT: redrive %s -> %d in %d ms%n%s",
          String.join(" ", args), code, (System.nanoTime() - started) / 1_000_000, text);
      return new Run(code, text);
    } catch (Exception e) {
      return fail(String.join(" ", argv) + " threw " + e);
    }
  }

  private static String parkedQueue() {
    return shared.queueUrl("projector-parked");
  }

  /** Messages on a queue: waiting or in flight. */
  private static int depth(SqsClient sqs, String queueUrl) {
    // One call for both counts: read one after the other, a message received between the two
    // reads is in neither.
    Map<QueueAttributeName, String> a =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** Messages received and neither deleted nor visible again yet. */
  private static int inFlight(SqsClient sqs, String queueUrl) {
    return attribute(sqs, queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
  }

  private static int attribute(SqsClient sqs, String queueUrl, QueueAttributeName name) {
    return Integer.parseInt(
        sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(name))
            .attributes()
            .get(name));
  }

  /** Waits for the one parked record and reads it without taking it off the queue. */
  private static JsonNode awaitParkedRecord() throws Exception {
    awaitTrue(() -> depth(backstage.sqs(), parkedQueue()) == 1, "one record is parked");
    List<Message> messages =
        backstage
            .sqs()
            .receiveMessage(b -> b.queueUrl(parkedQueue()).waitTimeSeconds(1).visibilityTimeout(0))
            .messages();
    assertEquals(1, messages.size(), messages.toString());
    return JSON.readTree(messages.get(0).body());
  }

  private static String hotelId(Api.Answer registered) {
    String commandId = accepted(registered);
    assertEquals("SUCCEEDED", commands.settled(commandId).get("status"));
    return (String) registered.json().get("hotelId");
  }

  private static Api.Answer awaitStatus(String path, int status) {
    return api.await(path, null, a -> a.status() == status, SETTLE);
  }

  private static Map<String, Object> status(Api on, String token, String commandId) {
    Api.Answer a = on.get("/commands/" + commandId, token);
    assertEquals(200, a.status(), a.body());
    return a.json();
  }

  /** Rooms on sale of DBL on a night, as the occupancy read model shows them (admin). */
  private static long roomsOnSale(String hotelId, LocalDate night) {
    Api.Answer a =
        api.get(
            "/hotels/" + hotelId + "/occupancy?from=" + night + "&to=" + night.plusDays(1),
            SharedRuntime.adminToken());
    assertEquals(200, a.status(), a.body());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> nights = (List<Map<String, Object>>) a.json().get("nights");
    return nights.stream()
        .filter(n -> "DBL".equals(n.get("roomType")))
        .mapToLong(n -> ((Number) n.get("rooms")).longValue())
        .sum();
  }

  /** The rooms of each AllotmentSet of a hotel's stream, in version order. */
  private static List<Long> allotted(DynamoDbClient ddb, LocalRuntime runtime, String hotelId) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    ddb.queryPaginator(
            b ->
                b.tableName(runtime.tableName("events"))
                    .keyConditionExpression("pk = :pk AND sk > :zero")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk",
                            AttributeValue.fromS(HotelAggregate.streamId(hotelId)),
                            ":zero",
                            AttributeValue.fromN("0")))
                    .consistentRead(true))
        .items()
        .forEach(items::add);
    return items.stream()
        .filter(i -> "AllotmentSet".equals(i.get("type").s()))
        .map(i -> ((Number) Json.parseObject(i.get("data").s()).get("rooms")).longValue())
        .toList();
  }

  private static void putEvent(
      DynamoDbClient ddb,
      String stream,
      long version,
      String type,
      int schemaVersion,
      String data) {
    ddb.putItem(
        b ->
            b.tableName(shared.tableName("events"))
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS(stream),
                        "sk", AttributeValue.fromN(Long.toString(version)),
                        "kind", AttributeValue.fromS("event"),
                        "type", AttributeValue.fromS(type),
                        "schemaVersion", AttributeValue.fromN(Integer.toString(schemaVersion)),
                        "data", AttributeValue.fromS(data),
                        "commandId", AttributeValue.fromS(Ulid.next(Instant.now())),
                        "occurredAt", AttributeValue.fromS(Instant.now().toString()))));
  }

  private static void setWatermark(String stream, AttributeValue version) {
    backstage.setWatermark(stream, version);
  }

  private static String eventsStreamArn(DynamoDbClient ddb, LocalRuntime runtime) {
    return ddb.describeTable(b -> b.tableName(runtime.tableName("events")))
        .table()
        .latestStreamArn();
  }

  private static CommandEnvelope envelope(DomainCommand command) {
    var encoded = HotelDomainCommand.TYPES.encode(command);
    Instant now = Instant.now();
    return new CommandEnvelope(
        Ulid.next(now),
        encoded.type(),
        encoded.version(),
        "it-admin",
        true,
        now,
        "poison-it",
        HotelDomainCommand.TYPES.toMap(command));
  }

  // The command poison's runtime

  /**
   * Twice the retry delays, one visibility timeout and 10 s to process, all as the runtime runs
   * them.
   */
  private static Duration patience() {
    var topology = own.topology();
    String delays =
        ((io.innkeeper.topology.FunctionSpec.EnvValue.Literal)
                topology.function("command-handler").environment().get("COMMAND_RETRY_DELAYS"))
            .value();
    int sum = 0;
    for (String d : delays.split(",")) {
      sum += Integer.parseInt(d.strip());
    }
    return Duration.ofSeconds(
        2L * sum + topology.queue("command-queue").visibilityTimeoutSeconds() + 10);
  }

  private static String ownRegister(String name, String city, String roomTypes) {
    Api.Answer a = ownApi.postJson("/hotels", ownAdmin, hotelBody(name, city, roomTypes));
    String id = accepted(a);
    assertEquals("SUCCEEDED", ownApi.awaitSettled(id, ownAdmin, SETTLE).json().get("status"));
    return (String) a.json().get("hotelId");
  }

  private static Map<String, AttributeValue> headKey(String stream) {
    return Map.of("pk", AttributeValue.fromS(stream), "sk", AttributeValue.fromN("0"));
  }

  private static String snapshot(String stream) {
    var item =
        ownDdb
            .getItem(
                b -> b.tableName(own.tableName("events")).key(headKey(stream)).consistentRead(true))
            .item();
    assertNotNull(item.get("snapshot"), item.toString());
    return item.get("snapshot").s();
  }

  private static void setSnapshot(String stream, String snapshot) {
    ownDdb.updateItem(
        b ->
            b.tableName(own.tableName("events"))
                .key(headKey(stream))
                .updateExpression("SET #snapshot = :s")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#snapshot", "snapshot"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(snapshot))));
  }

  /**
   * A RegisterHotel one schema version ahead of this handler, recorded as PENDING and enqueued on
   * its hotel's message group exactly as command-api does it.
   */
  private static String sendFromTheFuture(String city) {
    String hotelId = Ulid.next(Instant.now());
    CommandEnvelope current =
        envelope(
            new RegisterHotel(
                hotelId, "Future Inn", city, List.of(new RoomType("DBL", "Double room", 2))));
    Map<String, Object> payload = new HashMap<>(current.payload());
    payload.put("stars", 4);
    CommandEnvelope future =
        new CommandEnvelope(
            current.commandId(),
            current.type(),
            current.version() + 1,
            current.callerId(),
            true,
            current.acceptedAt(),
            current.requestId(),
            payload);
    new DynamoCommandStatusStore(ownDdb, own.tableName("commands"))
        .accept(
            CommandStatus.pending(
                future.commandId(), future.type(), future.callerId(), future.acceptedAt()));
    new SqsCommandQueue(ownSqs, own.queueUrl("command-queue"))
        .send(future, HotelAggregate.streamId(hotelId));
    return future.commandId();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    awaitTrue(condition, what, SETTLE);
  }

  private static void awaitTrue(BooleanSupplier condition, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("gave up waiting: " + what);
      }
      Backstage.sleep(timeout.compareTo(Duration.ofMinutes(1)) > 0 ? 2000 : 100);
    }
  }
}
