package io.innkeeper.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.core.obs.Log;
import io.innkeeper.local.sns.Delivery;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.Access;
import io.innkeeper.topology.FunctionSpec.TableLevel;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.TableSpec.AttributeType;
import io.innkeeper.topology.TableSpec.KeyAttribute;
import io.innkeeper.topology.TableSpec.Role;
import io.innkeeper.topology.TableSpec.StreamView;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The recorder reads each kind of observation by its shape and the topology's roles alone, and puts
 * each step in the journey of the command it belongs to: a command route's answer, a queue's batch
 * with its partial failures, a stream batch up to its first failed record, the bus's deliveries and
 * a subscriber's CloudEvents (tied to their command by stream and version), the functions' log
 * lines, parked records and chaos.
 */
class RecorderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

  private final Journal journal = new Journal();
  private final Recorder recorder =
      new Recorder(topology(), journal, arn -> arn.substring(arn.lastIndexOf(':') + 1));

  @AfterEach
  void close() {
    recorder.close();
  }

  /** An API function, a command handler, the projector, a second stream reader, a subscriber. */
  static Topology topology() {
    var pk = new KeyAttribute("pk", AttributeType.S);
    return new Topology(
        List.of(
            new TableSpec(
                "events",
                Role.RECORD,
                pk,
                new KeyAttribute("sk", AttributeType.N),
                StreamView.NEW_IMAGE,
                null,
                List.of()),
            new TableSpec(
                "watermarks",
                Role.QUERY,
                pk,
                new KeyAttribute("sk", AttributeType.S),
                StreamView.NONE,
                null,
                List.of())),
        List.of(
            new QueueSpec("cmds", true, 30, 3600, new QueueSpec.DeadLetter("cmds-dlq", 5)),
            new QueueSpec("cmds-dlq", true, 30, 3600, null),
            new QueueSpec("parked", false, 30, 3600, null),
            new QueueSpec("notices", true, 30, 3600, null)),
        List.of(
            function("api", List.of(new Trigger.HttpRoute("POST", "/things", true)), List.of()),
            function("handler", List.of(new Trigger.SqsTrigger("cmds", 10, 2)), List.of()),
            function(
                "projector",
                List.of(stream("parked")),
                List.of(new Access.Table("watermarks", TableLevel.READ_WRITE))),
            function("publisher", List.of(stream(null)), List.of()),
            function("notifier", List.of(new Trigger.SqsTrigger("notices", 10, 1)), List.of())));
  }

  private static Trigger stream(String onFailure) {
    return new Trigger.StreamTrigger("events", 100, "TRIM_HORIZON", null, 5, true, 3600, onFailure);
  }

  private static FunctionSpec function(String id, List<Trigger> triggers, List<Access> access) {
    return new FunctionSpec(id, "x.Handler", 256, 10, Map.of(), triggers, access);
  }

  @Test
  void a_command_routes_202_is_the_commands_acceptance_and_its_log_line_adds_the_message_group()
      throws Exception {
    invoke(
        "api",
        apiEvent("POST /things", "req-1", "gus"),
        apiAnswer(202, "{\"commandId\":\"C1\",\"thingId\":\"T1\"}"),
        false);
    log(
        "command accepted",
        "commandId",
        "C1",
        "commandType",
        "MakeThing",
        "messageGroup",
        "thing#T1",
        "callerId",
        "gus");

    Map<String, Object> journey = journey("C1");
    List<Map<String, Object>> steps = steps(journey);
    assertEquals(
        1, steps.size(), "one acceptance, merged from the invocation and the log line: " + steps);
    Map<String, Object> accepted = steps.get(0);
    assertEquals("accepted", accepted.get("kind"));
    Map<?, ?> detail = (Map<?, ?>) accepted.get("detail");
    assertEquals("POST /things", detail.get("route"));
    assertEquals(Map.of("thingId", "T1"), detail.get("created"));
    assertEquals("thing#T1", detail.get("messageGroup"));
    assertEquals("MakeThing", journey.get("type"));
    assertEquals("gus", journey.get("caller"));
  }

  @Test
  void a_request_refused_at_intake_is_a_journey_of_its_own_that_says_nothing_was_enqueued()
      throws Exception {
    invoke(
        "api",
        apiEvent("POST /things", "req-2", "gus"),
        apiAnswer(400, "{\"title\":\"Bad Request\",\"errors\":[{\"field\":\"size\"}]}"),
        false);

    Map<String, Object> journey = journey("request:req-2");
    assertEquals("REFUSED", journey.get("status"));
    assertEquals("400 Bad Request", journey.get("reason"));
    Map<String, Object> refused = steps(journey).get(0);
    assertEquals("refused", refused.get("kind"));
    assertEquals(true, refused.get("problem"));
    assertTrue(refused.get("title").toString().contains("nothing was enqueued"));
    assertFalse(journal.knows("C1"));
  }

  @Test
  void a_command_batch_is_a_delivery_per_command_and_a_retry_for_each_partial_failure()
      throws Exception {
    String event =
        "{\"Records\":["
            + sqsRecord("m1", envelope("C1"), 1, "thing#T1", "cmds")
            + ","
            + sqsRecord("m2", envelope("C2"), 3, "thing#T2", "cmds")
            + "]}";
    invoke("handler", event, "{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}", false);

    List<Map<String, Object>> one = steps(journey("C1"));
    assertEquals(List.of("received"), kinds(one));
    assertEquals(false, one.get(0).get("problem"));
    assertEquals(2, ((Map<?, ?>) one.get(0).get("detail")).get("batchSize"));
    List<Map<String, Object>> two = steps(journey("C2"));
    assertEquals(List.of("received", "retry"), kinds(two));
    assertTrue(two.get(0).get("title").toString().startsWith("received again"), two.toString());
    assertEquals(3, ((Map<?, ?>) two.get(0).get("detail")).get("receiveCount"));
    assertEquals("thing#T2", journey("C2").get("messageGroup"));
  }

  @Test
  void a_stream_batch_records_each_event_and_applies_it_up_to_the_first_failed_record()
      throws Exception {
    String event =
        "{\"Records\":["
            + streamRecord("s1", "thing#T1", 1, "C1")
            + ","
            + streamRecord("s2", "thing#T2", 1, "C2")
            + ","
            + streamRecord("s3", "thing#T1", 2, "C3")
            + "]}";
    // The projector reports s2: it and everything after it come again.
    invoke("projector", event, "{\"batchItemFailures\":[{\"itemIdentifier\":\"s2\"}]}", false);

    assertEquals(List.of("recorded", "watermark"), kinds(steps(journey("C1"))));
    assertEquals(List.of("recorded", "retry"), kinds(steps(journey("C2"))));
    assertEquals(List.of("recorded", "retry"), kinds(steps(journey("C3"))));
    assertEquals("C3", journal.writer("thing#T1", 2).orElseThrow());

    // The second reader of the same records (say, a publisher): read, with its lag.
    invoke("publisher", event, "{\"batchItemFailures\":[]}", false);
    assertEquals(List.of("recorded", "watermark", "stream-read"), kinds(steps(journey("C1"))));
    assertTrue(series().containsKey("stream:publisher"));
    // Seen twice, recorded once.
    assertEquals(
        1, steps(journey("C1")).stream().filter(s -> s.get("kind").equals("recorded")).count());
  }

  @Test
  void the_bus_delivers_a_commands_event_to_each_subscription_and_a_subscriber_handles_it()
      throws Exception {
    invoke(
        "projector",
        "{\"Records\":[" + streamRecord("s1", "thing#T9", 1, "C9") + "]}",
        "{}",
        false);
    Instant published = Instant.now();
    recorder.delivered(
        new Delivery(
            "arn:aws:sns:us-east-1:000000000000:bus.fifo",
            "arn:aws:sns:us-east-1:000000000000:bus.fifo:sub-1",
            "arn:aws:sqs:us-east-1:000000000000:notices",
            "msg-1",
            "thing#T9",
            "1",
            published,
            published.plusMillis(4),
            Delivery.Outcome.DELIVERED,
            null));
    String cloudEvent =
        JSON.writeValueAsString(
            Map.of(
                "specversion", "1.0",
                "id", "thing#T9@1",
                "type", "io.example.thing.made.v1",
                "time", published.minusMillis(50).toString(),
                "sequence", "1"));
    // The subscriber's invocation begins after the publication (the helper dates its start 5 ms
    // before the call).
    Thread.sleep(10);
    invoke(
        "notifier",
        "{\"Records\":[" + sqsRecord("n1", cloudEvent, 1, "thing#T9", "notices") + "]}",
        "{\"batchItemFailures\":[]}",
        false);

    List<Map<String, Object>> steps = steps(journey("C9"));
    assertEquals(List.of("recorded", "watermark", "published", "subscriber"), kinds(steps));
    Map<?, ?> delivered = (Map<?, ?>) steps.get(2).get("detail");
    assertEquals("bus.fifo", delivered.get("topic"));
    assertEquals("notices", delivered.get("queue"));
    assertEquals("DELIVERED", delivered.get("outcome"));
    Map<?, ?> handled = (Map<?, ?>) steps.get(3).get("detail");
    assertEquals("io.example.thing.made.v1", handled.get("eventType"));
    assertTrue(((Number) handled.get("lagMs")).longValue() >= 50, handled.toString());
    assertTrue(series().containsKey("subscriber:notifier"));
  }

  @Test
  void the_functions_log_lines_are_the_decision_each_projection_the_token_query_and_dead_letters()
      throws Exception {
    log(
        "command decided",
        "commandId",
        "C1",
        "commandType",
        "MakeThing",
        "status",
        "SUCCEEDED",
        "stream",
        "thing#T1",
        "version",
        1L);
    log(
        "command decided",
        "commandId",
        "C2",
        "commandType",
        "MakeThing",
        "status",
        "REJECTED",
        "reason",
        "NO_ROOM",
        "stream",
        "thing#T2");
    log(
        "event projected",
        "commandId",
        "C1",
        "stream",
        "thing#T1",
        "version",
        1L,
        "eventType",
        "ThingMade",
        "lagMs",
        42L,
        "projections",
        List.of("things", "counts"));
    log(
        "consistency wait",
        "commandId",
        "C1",
        "stream",
        "thing#T1",
        "version",
        1L,
        "outcome",
        "reached",
        "waitedMs",
        3L);
    log(
        "command failed",
        "commandId",
        "C3",
        "commandType",
        "MakeThing",
        "status",
        "FAILED",
        "reason",
        "PROCESSING_FAILED");

    assertEquals(
        List.of("decided", "projected", "projected", "visible"), kinds(steps(journey("C1"))));
    assertEquals("SUCCEEDED", journey("C1").get("status"));
    Map<String, Object> rejected = steps(journey("C2")).get(0);
    assertEquals("rejected", rejected.get("kind"));
    assertTrue(rejected.get("title").toString().contains("REJECTED NO_ROOM"));
    assertEquals("NO_ROOM", journey("C2").get("reason"));
    assertFalse(journey("C2").containsKey("stream"), "a rejection wrote nothing to show");
    assertEquals(List.of("dead-letter"), kinds(steps(journey("C3"))));
    assertEquals(1, journal.notes("dead-letter").size());
    Map<String, Object> lag = series();
    assertTrue(lag.containsKey("projection:things") && lag.containsKey("projection:counts"));
  }

  @Test
  void parked_records_are_a_step_of_their_commands_and_a_note_naming_the_queue() throws Exception {
    ObjectNode record = (ObjectNode) JSON.readTree(streamRecord("s7", "thing#T7", 3, "C7"));
    recorder.parked("projector", "events", "RetryAttemptsExhausted", List.of(record));
    settle();

    Map<String, Object> parked = steps(journey("C7")).get(0);
    assertEquals("parked", parked.get("kind"));
    assertTrue(parked.get("title").toString().contains("parked"));
    Map<String, Object> note = journal.notes("parked").get(0);
    Map<?, ?> detail = (Map<?, ?>) note.get("detail");
    assertEquals("parked", detail.get("queue"));
    assertEquals(List.of("thing#T7 v3"), detail.get("records"));
  }

  @Test
  void a_fault_injected_while_a_function_works_on_a_command_is_a_step_of_that_command()
      throws Exception {
    log(
        "command accepted",
        "commandId",
        "C5",
        "commandType",
        "MakeThing",
        "messageGroup",
        "g",
        "callerId",
        "gus");
    settle();
    try (Log.Scope scope = Log.with("commandId", "C5")) {
      recorder.injected("dynamodb-throttle", "handler");
    }
    recorder.injected("slow-consumer", null);
    settle();

    List<Map<String, Object>> steps = steps(journey("C5"));
    assertEquals(List.of("accepted", "chaos"), kinds(steps));
    assertEquals(2, journal.notes("chaos").size());
  }

  // ---------------------------------------------------------------------------------------------

  private void invoke(String function, String event, String answer, boolean failed)
      throws Exception {
    long now = System.nanoTime();
    recorder.invoked(function, event, answer, failed, now - 5_000_000, now);
    settle();
  }

  private void log(String msg, Object... fields) throws Exception {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("function", "handler");
    for (int i = 0; i < fields.length; i += 2) {
      all.put((String) fields[i], fields[i + 1]);
    }
    recorder.logged(new Log.Entry(Log.Level.INFO, Instant.now(), msg, all, ""));
    settle();
  }

  private void settle() throws InterruptedException {
    assertTrue(recorder.drain(Duration.ofSeconds(5)));
  }

  private Map<String, Object> journey(String id) {
    return journal.journey(id).orElseThrow(() -> new AssertionError("no journey " + id));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> steps(Map<String, Object> journey) {
    return (List<Map<String, Object>>) journey.get("journey");
  }

  private static List<Object> kinds(List<Map<String, Object>> steps) {
    List<Object> kinds = new ArrayList<>();
    steps.forEach(s -> kinds.add(s.get("kind")));
    return kinds;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> series() {
    return (Map<String, Object>) journal.lagSeries(Instant.now()).get("series");
  }

  private static String apiEvent(String route, String requestId, String sub) throws Exception {
    return JSON.writeValueAsString(
        Map.of(
            "routeKey",
            route,
            "requestContext",
            Map.of(
                "requestId",
                requestId,
                "http",
                Map.of("method", route.split(" ")[0]),
                "authorizer",
                Map.of("jwt", Map.of("claims", Map.of("sub", sub))))));
  }

  private static String apiAnswer(int status, String body) throws Exception {
    return JSON.writeValueAsString(Map.of("statusCode", status, "body", body));
  }

  private static String envelope(String commandId) throws Exception {
    return JSON.writeValueAsString(
        Map.of(
            "commandId",
            commandId,
            "type",
            "MakeThing",
            "version",
            1,
            "callerId",
            "gus",
            "acceptedAt",
            T0.toString(),
            "payload",
            Map.of()));
  }

  private static String sqsRecord(
      String messageId, String body, int receiveCount, String group, String queue)
      throws Exception {
    return JSON.writeValueAsString(
        Map.of(
            "messageId",
            messageId,
            "body",
            body,
            "attributes",
            Map.of(
                "ApproximateReceiveCount",
                String.valueOf(receiveCount),
                "MessageGroupId",
                group,
                "SentTimestamp",
                String.valueOf(System.currentTimeMillis())),
            "eventSourceARN",
            "arn:aws:sqs:us-east-1:000000000000:" + queue));
  }

  private static String streamRecord(String sequence, String stream, long version, String commandId)
      throws Exception {
    return JSON.writeValueAsString(
        Map.of(
            "eventName",
            "INSERT",
            "dynamodb",
            Map.of(
                "SequenceNumber",
                sequence,
                "NewImage",
                Map.of(
                    "pk", Map.of("S", stream),
                    "sk", Map.of("N", String.valueOf(version)),
                    "kind", Map.of("S", "event"),
                    "type", Map.of("S", "ThingMade"),
                    "commandId", Map.of("S", commandId),
                    "occurredAt", Map.of("S", Instant.now().minusMillis(20).toString())))));
  }
}
