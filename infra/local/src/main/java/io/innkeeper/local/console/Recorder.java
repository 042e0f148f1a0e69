package io.innkeeper.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.core.obs.Log;
import io.innkeeper.local.console.Journal.Step;
import io.innkeeper.local.sns.Delivery;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Turns what the runtime observes into the {@link Journal}: every function invocation with its
 * event and answer ({@code FunctionHost.observe}), the functions' log lines as they are written
 * (the lines a person would search in CloudWatch Logs), each delivery of the event bus to each
 * subscription ({@code LocalSns.onDelivery}), the records the stream pollers park, and chaos's
 * injections.
 *
 * <p>It knows the system only through the topology: which functions serve HTTP routes, which read
 * which queue or stream, which one moves the watermarks a consistency token waits for. What a
 * message or a record is comes from its shape (a command envelope on a queue, an event item on the
 * events table's stream, a CloudEvent from the bus), never from the domain.
 *
 * <p>Observers are called on the functions' and pollers' threads, so they only hand the observation
 * over; one thread of its own parses and records them, in order. When it falls behind (a
 * benchmark's flood), observations past {@value #QUEUE_CAPACITY} waiting, or past a budget of
 * characters, are dropped and counted rather than slowing the system down.
 */
final class Recorder implements AutoCloseable {

  static final int QUEUE_CAPACITY = 20_000;

  /** Characters of event and answer JSON waiting at most, so a flood cannot fill the heap. */
  static final long CHAR_BUDGET = 32L * 1024 * 1024;

  private static final ObjectMapper JSON = io.innkeeper.client.Json.MAPPER;
  private static final String EVENT_BUS = "event bus";

  private final Journal journal;
  private final Roles roles;
  private final Function<String, String> queueOfArn;
  private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong waitingChars = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong recorded = new AtomicLong();
  private final Thread worker;
  private volatile boolean running = true;

  /**
   * @param queueOfArn the topology queue id (or the name) of a queue ARN, for messages
   */
  Recorder(Topology topology, Journal journal, Function<String, String> queueOfArn) {
    this.journal = journal;
    this.roles = new Roles(topology);
    this.queueOfArn = queueOfArn;
    this.worker = new Thread(this::work, "innkeeper-console-recorder");
    worker.setDaemon(true);
    worker.start();
  }

  // ---------------------------------------------------------------- observers (any thread)

  /** {@code FunctionHost.InvocationObserver}: an invocation ended. */
  void invoked(
      String functionId,
      String eventJson,
      String answer,
      boolean failed,
      long startNanos,
      long endNanos) {
    Instant end = Instant.now().minusNanos(Math.max(0, System.nanoTime() - endNanos));
    Instant start = end.minusNanos(Math.max(0, endNanos - startNanos));
    long chars = eventJson.length() + (answer == null ? 0 : answer.length());
    submit(chars, () -> invocation(functionId, eventJson, answer, failed, start, end));
  }

  /** {@code Log.subscribe}: a function wrote a line. */
  void logged(Log.Entry entry) {
    switch (entry.msg()) {
      case "command accepted",
          "command decided",
          "command already settled",
          "command attempt failed",
          "command failed",
          "command not enqueued",
          "command repeated",
          "event projected",
          "projection failed",
          "consistency wait" ->
          submit(0, () -> logLine(entry));
      default -> {}
    }
  }

  /** {@code LocalSns.onDelivery}: a message's outcome at one subscription. */
  void delivered(Delivery delivery) {
    submit(0, () -> busDelivery(delivery));
  }

  /** {@code StreamPoller.ParkObserver}: a batch of records was parked. */
  void parked(String functionId, String tableId, String condition, List<ObjectNode> records) {
    Instant at = Instant.now();
    submit(0, () -> park(functionId, tableId, condition, records, at));
  }

  /**
   * {@code Chaos.onInjection}: a fault struck on this thread. Whose work it hit is read here, on
   * that thread: the function running (if any) and the command it was working on (the functions'
   * log context names it).
   */
  void injected(String fault, String function) {
    Instant at = Instant.now();
    Object commandId = Log.context("commandId");
    String thread = Thread.currentThread().getName();
    submit(
        0,
        () -> chaos(fault, function, commandId == null ? null : commandId.toString(), thread, at));
  }

  private void submit(long chars, Runnable work) {
    if (!running) {
      return;
    }
    if (chars > 0 && waitingChars.addAndGet(chars) > CHAR_BUDGET) {
      waitingChars.addAndGet(-chars);
      dropped.incrementAndGet();
      return;
    }
    Runnable task =
        chars == 0
            ? work
            : () -> {
              waitingChars.addAndGet(-chars);
              work.run();
            };
    if (!queue.offer(task)) {
      if (chars > 0) {
        waitingChars.addAndGet(-chars);
      }
      dropped.incrementAndGet();
    }
  }

  private void work() {
    while (running || !queue.isEmpty()) {
      Runnable next;
      try {
        next = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        continue;
      }
      try {
        next.run();
        recorded.incrementAndGet();
      } catch (RuntimeException e) {
        // One odd observation must not stop the journal; it is simply not shown.
        dropped.incrementAndGet();
      }
    }
  }

  /** Observations recorded, dropped (behind or unreadable), and waiting. */
  Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("recorded", recorded.get());
    m.put("dropped", dropped.get());
    m.put("waiting", queue.size());
    return m;
  }

  /** Waits until every observation handed over so far is recorded (tests), at most {@code max}. */
  boolean drain(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    if (!queue.offer(done::countDown)) {
      return false;
    }
    return done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    running = false;
    worker.interrupt();
  }

  // ---------------------------------------------------------------- invocations

  private void invocation(
      String functionId,
      String eventJson,
      String answer,
      boolean failed,
      Instant start,
      Instant end) {
    if (roles.http.contains(functionId)) {
      http(functionId, eventJson, answer, failed, start, end);
    } else if (roles.sqs.contains(functionId)) {
      sqs(functionId, eventJson, answer, failed, start, end);
    } else if (roles.stream.contains(functionId)) {
      stream(functionId, eventJson, answer, failed, start, end);
    }
  }

  /** A command route's invocation: the command accepted, or the request refused at intake. */
  private void http(
      String functionId,
      String eventJson,
      String answer,
      boolean failed,
      Instant start,
      Instant end) {
    JsonNode event = parse(eventJson);
    String method = event.path("requestContext").path("http").path("method").asText("");
    if (!method.equals("POST")) {
      return;
    }
    String route = event.path("routeKey").asText();
    String requestId = event.path("requestContext").path("requestId").asText(null);
    String caller =
        event
            .path("requestContext")
            .path("authorizer")
            .path("jwt")
            .path("claims")
            .path("sub")
            .asText(null);
    JsonNode response = answer == null ? null : parse(answer);
    int status = response == null ? 500 : response.path("statusCode").asInt(500);
    JsonNode body = response == null ? null : parseOrNull(response.path("body").asText(null));
    String commandId = body == null ? null : body.path("commandId").asText(null);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("route", route);
    detail.put("caller", caller);
    detail.put("requestId", requestId);
    detail.put("httpStatus", status);
    detail.put("durationMs", Duration.between(start, end).toMillis());
    if (commandId != null && !failed && status < 300) {
      Map<String, Object> ids = new LinkedHashMap<>();
      body.fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().equals("commandId") && f.getValue().isTextual()) {
                  ids.put(f.getKey(), f.getValue().asText());
                }
              });
      detail.put("created", ids);
      journal.describe(commandId, Map.of("route", route, "caller", nullToEmpty(caller)));
      journal.step(
          commandId,
          new Step(
              start,
              "accepted",
              functionId,
              "accepted by " + functionId + " (" + route + "): " + status,
              detail,
              false),
          "accepted");
      return;
    }
    // Refused before anything was enqueued: a journey of its own, by request.
    String id = "request:" + requestId;
    if (body != null) {
      detail.put("problem", JSON.convertValue(body, Map.class));
    }
    String why =
        failed
            ? "the function failed"
            : body == null ? "" : body.path("title").asText(body.path("message").asText(""));
    journal.describe(
        id,
        mapOf(
            "route",
            route,
            "caller",
            nullToEmpty(caller),
            "status",
            "REFUSED",
            "reason",
            status + (why.isEmpty() ? "" : " " + why)));
    journal.step(
        id,
        new Step(
            start,
            "refused",
            functionId,
            "refused by "
                + functionId
                + " ("
                + route
                + "): "
                + status
                + (why.isEmpty() ? "" : " " + why)
                + "; nothing was enqueued",
            detail,
            true),
        "refused");
  }

  /**
   * A queue's batch: commands delivered to their handler, or the bus's messages to a subscriber.
   */
  private void sqs(
      String functionId,
      String eventJson,
      String answer,
      boolean failed,
      Instant start,
      Instant end) {
    JsonNode records = parse(eventJson).path("Records");
    Set<String> failures = failedItems(answer, failed, records, "messageId");
    int size = records.size();
    for (JsonNode record : records) {
      String messageId = record.path("messageId").asText();
      JsonNode attributes = record.path("attributes");
      int receiveCount = attributes.path("ApproximateReceiveCount").asInt(1);
      String group = attributes.path("MessageGroupId").asText(null);
      String queue = queueOfArn.apply(record.path("eventSourceARN").asText(""));
      JsonNode body = parseOrNull(record.path("body").asText(null));
      boolean itFailed = failures.contains(messageId);
      if (body != null
          && body.hasNonNull("commandId")
          && body.hasNonNull("type")
          && body.has("payload")) {
        String commandId = body.path("commandId").asText();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("queue", queue);
        detail.put("messageGroup", group);
        detail.put("batchSize", size);
        detail.put("receiveCount", receiveCount);
        detail.put("messageId", messageId);
        journal.describe(
            commandId,
            mapOf(
                "type",
                body.path("type").asText(),
                "messageGroup",
                group,
                "caller",
                body.path("callerId").asText(null)));
        journal.step(
            commandId,
            new Step(
                start,
                "received",
                functionId,
                (receiveCount > 1 ? "received again by " : "received by ")
                    + functionId
                    + " from "
                    + queue
                    + " (delivery "
                    + receiveCount
                    + ", batch of "
                    + size
                    + ")",
                detail,
                receiveCount > 1),
            null);
        if (itFailed) {
          journal.step(
              commandId,
              new Step(
                  end,
                  "retry",
                  functionId,
                  functionId
                      + (failed ? " failed" : " reported it failed")
                      + "; "
                      + queue
                      + " delivers it again",
                  Map.of("receiveCount", receiveCount),
                  true),
              null);
        }
      } else {
        subscriber(functionId, record, body, group, queue, receiveCount, itFailed, start, end);
      }
    }
  }

  /**
   * A message of the event bus handled by a subscriber function. Tied to its command by its message
   * group (the aggregate's stream) and, when the body is a CloudEvent, its {@code sequence} (the
   * version).
   */
  private void subscriber(
      String functionId,
      JsonNode record,
      JsonNode body,
      String group,
      String queue,
      int receiveCount,
      boolean failed,
      Instant start,
      Instant end) {
    JsonNode message = body;
    if (body != null && body.has("Message") && "Notification".equals(body.path("Type").asText())) {
      message = parseOrNull(body.path("Message").asText(null));
    }
    Long lag = null;
    if (message != null && message.hasNonNull("time")) {
      lag = millisSince(message.path("time").asText(), end);
    }
    if (lag == null && record.path("attributes").has("SentTimestamp")) {
      lag = end.toEpochMilli() - record.path("attributes").path("SentTimestamp").asLong();
    }
    if (lag != null) {
      journal.lag("subscriber:" + functionId, end, lag);
    }
    if (group == null) {
      return;
    }
    Long version = null;
    if (message != null && message.hasNonNull("sequence")) {
      try {
        version = Long.parseLong(message.path("sequence").asText());
      } catch (NumberFormatException notAVersion) {
        // Not a version: the stream's last writer it is.
      }
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("queue", queue);
    detail.put("receiveCount", receiveCount);
    if (message != null) {
      detail.put("eventType", message.path("type").asText(null));
      detail.put("eventId", message.path("id").asText(null));
    }
    if (lag != null) {
      detail.put("lagMs", lag);
    }
    journal.stepOfWrite(
        group,
        version,
        start,
        new Step(
            start,
            failed ? "retry" : "subscriber",
            functionId,
            failed
                ? functionId + " failed on it; " + queue + " delivers it again"
                : "handled by subscriber " + functionId + " from " + queue + lagText(lag),
            detail,
            failed),
        failed ? null : "subscriber:" + functionId + ":" + detail.get("eventId") + ":" + group);
  }

  /** A batch of the events table's stream: each event seen, applied, or retried. */
  private void stream(
      String functionId,
      String eventJson,
      String answer,
      boolean failed,
      Instant start,
      Instant end) {
    JsonNode records = parse(eventJson).path("Records");
    Set<String> failures = failedItems(answer, failed, records, null);
    boolean watermarks = roles.watermarkWriters.contains(functionId);
    // A partial batch response names the first record that failed: it and the rest come again.
    boolean failing = false;
    for (JsonNode record : records) {
      JsonNode image = record.path("dynamodb").path("NewImage");
      String sequence = record.path("dynamodb").path("SequenceNumber").asText();
      failing |= failures.contains(sequence);
      String commandId = image.path("commandId").path("S").asText(null);
      String stream = image.path("pk").path("S").asText(null);
      String versionText = image.path("sk").path("N").asText(null);
      if (commandId == null || stream == null || versionText == null) {
        continue;
      }
      long version = Long.parseLong(versionText);
      String type = image.path("type").path("S").asText("");
      Long lag = millisSince(image.path("occurredAt").path("S").asText(null), end);
      String at = stream + " v" + version;
      journal.wrote(stream, version, commandId, start);
      Map<String, Object> recorded = new LinkedHashMap<>();
      recorded.put("stream", stream);
      recorded.put("version", version);
      recorded.put("eventType", type);
      recorded.put("sequenceNumber", sequence);
      journal.step(
          commandId,
          new Step(
              start,
              "recorded",
              "events stream",
              "event " + type + " recorded at " + at + " (read from the events table's stream)",
              recorded,
              false),
          "recorded:" + at);
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("stream", stream);
      detail.put("version", version);
      detail.put("eventType", type);
      detail.put("batchSize", records.size());
      if (lag != null) {
        detail.put("lagMs", lag);
      }
      if (failing) {
        journal.step(
            commandId,
            new Step(
                end,
                "retry",
                functionId,
                functionId
                    + (failed ? " failed" : " reported a failure")
                    + " at "
                    + at
                    + "; the stream delivers it again",
                detail,
                true),
            null);
      } else if (watermarks) {
        journal.step(
            commandId,
            new Step(
                end,
                "watermark",
                functionId,
                functionId
                    + " applied "
                    + at
                    + " and moved its watermark: a query with the command's token answers now"
                    + lagText(lag),
                detail,
                false),
            "watermark:" + at);
      } else {
        if (lag != null) {
          journal.lag("stream:" + functionId, end, lag);
        }
        journal.step(
            commandId,
            new Step(
                end,
                "stream-read",
                functionId,
                functionId + " read " + at + lagText(lag),
                detail,
                false),
            functionId + ":" + at);
      }
    }
  }

  /**
   * The items an invocation's partial batch response names ({@code batchItemFailures}); every item
   * when the invocation failed as a whole.
   *
   * @param idField the field of a record that identifies it ({@code messageId}); {@code null} for
   *     stream records, identified by sequence number
   */
  private static Set<String> failedItems(
      String answer, boolean failed, JsonNode records, String idField) {
    Set<String> ids = new HashSet<>();
    if (failed) {
      for (JsonNode r : records) {
        ids.add(
            idField == null
                ? r.path("dynamodb").path("SequenceNumber").asText()
                : r.path(idField).asText());
      }
      return ids;
    }
    JsonNode response = answer == null ? null : parseOrNull(answer);
    if (response != null) {
      for (JsonNode f : response.path("batchItemFailures")) {
        ids.add(f.path("itemIdentifier").asText());
      }
    }
    return ids;
  }

  // ---------------------------------------------------------------- log lines

  private void logLine(Log.Entry e) {
    Map<String, Object> f = e.fields();
    String commandId = e.string("commandId");
    String function = e.string("function");
    switch (e.msg()) {
      case "command accepted" -> {
        if (commandId == null) {
          return;
        }
        journal.describe(
            commandId,
            mapOf(
                "type",
                e.string("commandType"),
                "messageGroup",
                e.string("messageGroup"),
                "caller",
                e.string("callerId"),
                "status",
                "PENDING"));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("commandType", e.string("commandType"));
        detail.put("messageGroup", e.string("messageGroup"));
        detail.put("caller", e.string("callerId"));
        detail.put("idempotencyKey", f.get("withIdempotencyKey"));
        journal.step(
            commandId,
            new Step(
                e.at(),
                "accepted",
                roles.commandApi(),
                "accepted: "
                    + e.string("commandType")
                    + " queued in message group "
                    + e.string("messageGroup"),
                detail,
                false),
            "accepted");
      }
      case "command repeated" -> {
        if (commandId == null) {
          return;
        }
        journal.step(
            commandId,
            new Step(
                e.at(),
                "repeated",
                roles.commandApi(),
                "sent again with the same Idempotency-Key: the same command, nothing new"
                    + " enqueued",
                Map.of("resent", String.valueOf(f.get("resent"))),
                false),
            null);
      }
      case "command decided" -> {
        String status = e.string("status");
        String reason = e.string("reason");
        String stream = e.string("stream");
        Object version = f.get("version");
        boolean wrote = "SUCCEEDED".equals(status);
        // A rejection writes nothing: its stream would lead to a history without its event.
        journal.describe(
            commandId,
            mapOf(
                "type",
                e.string("commandType"),
                "status",
                status,
                "reason",
                reason,
                "stream",
                wrote ? stream : null,
                "version",
                wrote ? version : null));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", status);
        detail.put("reason", reason);
        detail.put("stream", stream);
        detail.put("version", version);
        detail.put("note", f.get("note"));
        boolean succeeded = "SUCCEEDED".equals(status);
        journal.step(
            commandId,
            new Step(
                e.at(),
                succeeded ? "decided" : "rejected",
                function,
                succeeded
                    ? "decided: SUCCEEDED, appended to "
                        + stream
                        + (version == null ? "" : " up to v" + version)
                    : "decided: " + status + (reason == null ? "" : " " + reason),
                detail,
                !succeeded),
            "decision");
      }
      case "command already settled" ->
          journal.step(
              commandId,
              new Step(
                  e.at(),
                  "duplicate",
                  function,
                  "delivered again, already "
                      + e.string("status")
                      + ": nothing changed (each command takes effect once)",
                  Map.of("status", nullToEmpty(e.string("status"))),
                  false),
              null);
      case "command attempt failed" -> {
        if (commandId == null) {
          return;
        }
        journal.step(
            commandId,
            new Step(
                e.at(),
                "retry",
                function,
                "attempt failed (delivery "
                    + f.get("receiveCount")
                    + "): "
                    + e.string("error")
                    + "; it comes again",
                mapOf("receiveCount", f.get("receiveCount"), "error", e.string("error")),
                true),
            null);
      }
      case "command failed" -> {
        journal.describe(commandId, mapOf("status", "FAILED", "reason", e.string("reason")));
        String title =
            "FAILED after its last delivery: it goes to the dead-letter queue for an operator";
        journal.step(
            commandId,
            new Step(
                e.at(), "dead-letter", function, title, mapOf("reason", e.string("reason")), true),
            "dead-letter");
        journal.note(
            "dead-letter",
            e.at(),
            e.string("commandType") + " " + commandId + " FAILED: dead-lettered",
            mapOf("commandId", commandId, "commandType", e.string("commandType")));
      }
      case "command not enqueued" ->
          journal.step(
              commandId,
              new Step(
                  e.at(),
                  "refused",
                  roles.commandApi(),
                  "the queue did not take it: 503, to be sent again with the same key",
                  mapOf("error", e.string("error")),
                  true),
              null);
      case "event projected" -> {
        String stream = e.string("stream");
        Object version = f.get("version");
        long lag = f.get("lagMs") instanceof Number n ? n.longValue() : 0;
        if (!(f.get("projections") instanceof List<?> projections)) {
          return;
        }
        for (Object p : projections) {
          journal.lag("projection:" + p, e.at(), lag);
          if (commandId == null) {
            continue;
          }
          journal.step(
              commandId,
              new Step(
                  e.at(),
                  "projected",
                  "projection " + p,
                  "projection "
                      + p
                      + " applied "
                      + e.string("eventType")
                      + " ("
                      + stream
                      + " v"
                      + version
                      + "), lag "
                      + lag
                      + " ms",
                  mapOf(
                      "projection",
                      p.toString(),
                      "stream",
                      stream,
                      "version",
                      version,
                      "eventType",
                      e.string("eventType"),
                      "lagMs",
                      lag),
                  false),
              "projected:" + p + ":" + stream + "@" + version);
        }
      }
      case "projection failed" -> {
        if (commandId == null) {
          return;
        }
        journal.step(
            commandId,
            new Step(
                e.at(),
                "retry",
                function,
                "projection failed: " + e.string("error") + "; the stream delivers it again",
                mapOf("stream", e.string("stream"), "error", e.string("error")),
                true),
            null);
      }
      case "consistency wait" -> {
        if (commandId == null) {
          return;
        }
        String outcome = e.string("outcome");
        Object waited = f.get("waitedMs");
        boolean ok = "reached".equals(outcome);
        journal.step(
            commandId,
            new Step(
                e.at(),
                ok ? "visible" : "not-visible",
                function,
                ok
                    ? "visible to a query with its token: the read model had reached "
                        + e.string("stream")
                        + " v"
                        + f.get("version")
                        + " (waited "
                        + waited
                        + " ms)"
                    : "a query with its token gave up after " + waited + " ms (" + outcome + ")",
                mapOf(
                    "requestId",
                    e.string("requestId"),
                    "outcome",
                    outcome,
                    "waitedMs",
                    waited,
                    "stream",
                    e.string("stream"),
                    "version",
                    f.get("version"),
                    "projectedVersion",
                    f.get("projectedVersion"),
                    "watermarkReads",
                    f.get("watermarkReads")),
                !ok),
            ok ? "visible" : null);
      }
      default -> {}
    }
  }

  // ---------------------------------------------------------------- bus, parking, chaos

  private void busDelivery(Delivery d) {
    String topic = lastPart(d.topicArn());
    String queue = queueOfArn.apply(d.queueArn());
    boolean bad =
        d.outcome() != Delivery.Outcome.DELIVERED && d.outcome() != Delivery.Outcome.FILTERED;
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("topic", topic);
    detail.put("subscription", d.subscriptionArn());
    detail.put("queue", queue);
    detail.put("messageGroup", d.messageGroupId());
    detail.put("messageId", d.messageId());
    detail.put("outcome", d.outcome().name());
    if (d.detail() != null) {
      detail.put("why", d.detail());
    }
    detail.put("busMs", Duration.between(d.publishedAt(), d.finishedAt()).toMillis());
    if (bad) {
      journal.note("bus", d.finishedAt(), "event bus: " + d.outcome() + " at " + queue, detail);
    }
    if (d.messageGroupId() == null) {
      return;
    }
    journal.stepOfWrite(
        d.messageGroupId(),
        null,
        d.publishedAt(),
        new Step(
            d.publishedAt(),
            "published",
            EVENT_BUS,
            "published on "
                + topic
                + " to "
                + queue
                + ": "
                + d.outcome().name().toLowerCase(java.util.Locale.ROOT),
            detail,
            bad),
        "published:" + d.subscriptionArn() + ":" + d.messageId());
  }

  private void park(
      String functionId, String tableId, String condition, List<ObjectNode> records, Instant at) {
    String queue = roles.onFailureQueue(functionId, tableId);
    List<String> where = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    for (ObjectNode record : records) {
      JsonNode image = record.path("dynamodb").path("NewImage");
      String stream = image.path("pk").path("S").asText(null);
      String version = image.path("sk").path("N").asText(null);
      String commandId = image.path("commandId").path("S").asText(null);
      if (stream != null) {
        where.add(stream + " v" + version);
      }
      if (commandId != null) {
        commands.add(commandId);
        journal.step(
            commandId,
            new Step(
                at,
                "parked",
                functionId,
                "parked by the "
                    + tableId
                    + " stream's mapping of "
                    + functionId
                    + " on "
                    + queue
                    + " ("
                    + condition
                    + "): the read model waits for redrive",
                mapOf("queue", queue, "condition", condition, "at", stream + " v" + version),
                true),
            "parked:" + functionId + ":" + stream + "@" + version);
      }
    }
    journal.note(
        "parked",
        at,
        records.size() + " record(s) of " + tableId + " parked for " + functionId + " on " + queue,
        mapOf(
            "queue",
            queue,
            "function",
            functionId,
            "condition",
            condition,
            "records",
            where,
            "commands",
            commands));
  }

  private void chaos(String fault, String function, String commandId, String thread, Instant at) {
    String where = function != null ? function : thread;
    Map<String, Object> detail = mapOf("fault", fault, "where", where, "commandId", commandId);
    journal.note("chaos", at, "chaos: " + fault + " in " + where, detail);
    if (commandId != null && journal.knows(commandId)) {
      journal.step(
          commandId,
          new Step(at, "chaos", where, "chaos injected " + fault + " into " + where, detail, true),
          null);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode parse(String json) {
    JsonNode node = parseOrNull(json);
    if (node == null) {
      throw new IllegalArgumentException("not JSON");
    }
    return node;
  }

  private static JsonNode parseOrNull(String json) {
    if (json == null || json.isEmpty()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(json);
      return node != null && node.isObject() ? node : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static Long millisSince(String instant, Instant now) {
    if (instant == null) {
      return null;
    }
    try {
      return Math.max(0, Duration.between(Instant.parse(instant), now).toMillis());
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static String lagText(Long lag) {
    return lag == null ? "" : ", lag " + lag + " ms";
  }

  private static String lastPart(String arn) {
    return arn == null ? "" : arn.substring(arn.lastIndexOf(':') + 1);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** A map of name, value pairs, without the {@code null} values. */
  static Map<String, Object> mapOf(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        m.put((String) pairs[i], pairs[i + 1]);
      }
    }
    return m;
  }

  /** What each function is to the console, from the topology alone. */
  static final class Roles {
    final Set<String> http = new HashSet<>();
    final Set<String> sqs = new HashSet<>();
    final Set<String> stream = new HashSet<>();
    final Set<String> watermarkWriters = new HashSet<>();
    private final Map<String, String> onFailure = new HashMap<>();
    private String commandApi;

    Roles(Topology topology) {
      boolean hasWatermarks = topology.findTable("watermarks").isPresent();
      for (FunctionSpec f : topology.functions()) {
        for (Trigger t : f.triggers()) {
          switch (t) {
            case Trigger.HttpRoute r -> {
              http.add(f.id());
              if (r.method().equals("POST") && commandApi == null) {
                commandApi = f.id();
              }
            }
            case Trigger.SqsTrigger s -> sqs.add(f.id());
            case Trigger.StreamTrigger s -> {
              stream.add(f.id());
              if (s.onFailureQueueId() != null) {
                onFailure.put(f.id() + "/" + s.tableId(), s.onFailureQueueId());
              }
            }
          }
        }
        if (hasWatermarks) {
          for (FunctionSpec.Access a : f.access()) {
            if (a instanceof FunctionSpec.Access.Table table
                && table.tableId().equals("watermarks")
                && table.level() != FunctionSpec.TableLevel.READ
                && stream.contains(f.id())) {
              watermarkWriters.add(f.id());
            }
          }
        }
      }
    }

    /** The function that takes commands (serves the POST routes). */
    String commandApi() {
      return commandApi == null ? "command api" : commandApi;
    }

    String onFailureQueue(String functionId, String tableId) {
      return onFailure.getOrDefault(functionId + "/" + tableId, "its log (no on-failure queue)");
    }
  }
}
