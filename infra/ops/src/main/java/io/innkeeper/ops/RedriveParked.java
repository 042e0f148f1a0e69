package io.innkeeper.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.client.Json;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.RowStore;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Redrives what the projector parked. Each parked message is the on-failure record Lambda (or the
 * local stream poller) sends: its {@code DDBStreamBatchInfo} names a shard and a sequence number
 * range of the events table's stream, not the records themselves. So:
 *
 * <ol>
 *   <li>every parked message is received (and kept invisible while the redrive runs);
 *   <li>the stream records of each range are read back ({@code GetShardIterator
 *       AT_SEQUENCE_NUMBER}, {@code GetRecords} until past the end); records of heads, state rows
 *       and command markers are left out, as the trigger's filter leaves them out;
 *   <li>each event record's item is loaded from the events table by its keys: the table is the
 *       truth, so an event repaired since it was parked is projected as it is now;
 *   <li>the events of all parked records are projected per aggregate in version order, with the
 *       projector's own projections and watermarks. An aggregate stops at its first event that
 *       still fails; its later events wait behind it;
 *   <li>a parked message is deleted only when all its events were projected. The rest are made
 *       visible again for the next redrive.
 * </ol>
 *
 * <p>Projecting is idempotent and safe beside the running projector, so a redrive can be repeated.
 * When the stream no longer has a parked range (records are kept 24 h; the shard may be gone) the
 * events are still in the events table, and {@code rebuild} replays them all; the parked message is
 * kept until the operator says, with {@code --discard-trimmed}, that it is no longer needed.
 */
final class RedriveParked {
  /** Parked messages stay ours this long while the redrive works through them. */
  private static final int VISIBILITY_SECONDS = 300;

  private static final int READ_LIMIT = 1000;

  /** Empty reads tolerated before the end of a range is reached (an open shard may have them). */
  private static final int MAX_EMPTY_READS = 50;

  private static final long EMPTY_READ_PAUSE_MILLIS = 200;

  private static final ObjectMapper JSON = Json.MAPPER;

  private final SqsClient sqs;
  private final DynamoDbStreamsClient streams;
  private final DynamoDbClient ddb;
  private final ReadModelTables tables;

  /** What is done with each parked event, in version order per aggregate; throws if it failed. */
  private final java.util.function.Consumer<StoredEvent> apply;

  /** What {@link #apply} is called in the report: {@code projected}, {@code published}. */
  private final String verb;

  /** Redrives the projector's parked records: their events are projected. */
  RedriveParked(
      SqsClient sqs, DynamoDbStreamsClient streams, DynamoDbClient ddb, ReadModelTables tables) {
    this(sqs, streams, ddb, tables, null, "projected");
  }

  /**
   * Redrives another stream reader's parked records (the publisher's): each event is handed to
   * {@code apply} (which publishes it) instead of the projections.
   */
  RedriveParked(
      SqsClient sqs,
      DynamoDbStreamsClient streams,
      DynamoDbClient ddb,
      java.util.function.Consumer<StoredEvent> apply,
      String verb) {
    this(sqs, streams, ddb, null, apply, verb);
  }

  private RedriveParked(
      SqsClient sqs,
      DynamoDbStreamsClient streams,
      DynamoDbClient ddb,
      ReadModelTables tables,
      java.util.function.Consumer<StoredEvent> apply,
      String verb) {
    this.sqs = sqs;
    this.streams = streams;
    this.ddb = ddb;
    this.tables = tables;
    this.apply = apply;
    this.verb = verb;
  }

  /**
   * What a redrive did.
   *
   * @param parked parked messages found
   * @param deleted of them, deleted (redriven, or gone and discarded)
   * @param projected events projected
   * @param failed events that still failed or could not be loaded
   * @param aggregates one line per aggregate touched
   * @param problems parked messages that stay, and why
   */
  record Result(
      int parked,
      int deleted,
      int projected,
      int failed,
      List<String> aggregates,
      List<String> problems,
      String verb) {

    boolean clean() {
      return deleted == parked;
    }

    void print(RedriveTargets.Parked where, PrintStream out) {
      if (parked == 0) {
        out.printf("redrive %s -> %s: nothing parked%n", where.queueId(), where.functionId());
        return;
      }
      out.printf(
          "redrive %s -> %s: %d parked record(s); %d event(s) of %d aggregate(s) %s,"
              + " %d failed; %d parked record(s) deleted, %d left in %s%n",
          where.queueId(),
          where.functionId(),
          parked,
          projected,
          aggregates.size(),
          verb,
          failed,
          deleted,
          parked - deleted,
          where.queueId());
      RedriveDeadLetters.Lines.print(out, aggregates);
      problems.forEach(p -> out.println("  ! " + p));
    }
  }

  /** The range of one shard a parked record describes. */
  record BatchInfo(String shardId, String start, String end, String streamArn) {
    String range() {
      return start.equals(end)
          ? "record " + start + " of " + shardId
          : "records " + start + ".." + end + " of " + shardId;
    }
  }

  /** An event item's key: its aggregate's stream and its version. */
  record EventKey(String stream, long version) {}

  /** A parked message and what became of it. */
  private static final class Parked {
    final Message message;
    final BatchInfo info;
    String problem;
    boolean gone;
    final List<Pending> events = new ArrayList<>();

    Parked(Message message, BatchInfo info) {
      this.message = message;
      this.info = info;
    }

    boolean redriven() {
      return problem == null && !gone && events.stream().allMatch(e -> e.state == State.PROJECTED);
    }
  }

  private enum State {
    WAITING,
    PROJECTED,
    FAILED,
    NOT_ATTEMPTED
  }

  /** One event to project, shared by every parked record whose range holds it. */
  private static final class Pending {
    final EventKey key;
    final StoredEvent event;
    final String problem;
    State state = State.WAITING;
    String error;

    Pending(EventKey key, StoredEvent event, String problem) {
      this.key = key;
      this.event = event;
      this.problem = problem;
    }
  }

  Result redrive(String queueUrl, boolean discardTrimmed) {
    List<Parked> parked = new ArrayList<>();
    for (Message m : receiveAll(queueUrl)) {
      parked.add(parse(m));
    }
    Map<String, TreeMap<Long, Pending>> byStream = new TreeMap<>();
    Map<EventKey, Pending> loaded = new HashMap<>();
    for (Parked p : parked) {
      if (p.problem != null) {
        continue;
      }
      List<EventKey> keys = read(p);
      if (keys == null) {
        continue;
      }
      for (EventKey key : keys) {
        Pending pending = loaded.computeIfAbsent(key, this::load);
        if (pending == null) {
          continue; // not an event (any more): nothing to project
        }
        byStream.computeIfAbsent(key.stream(), s -> new TreeMap<>()).put(key.version(), pending);
        if (!p.events.contains(pending)) {
          p.events.add(pending);
        }
      }
    }

    ProjectorRuntime runtime = apply == null ? runtime() : null;
    List<String> aggregates = new ArrayList<>();
    int projected = 0;
    int failed = 0;
    for (Map.Entry<String, TreeMap<Long, Pending>> stream : byStream.entrySet()) {
      Pending stop = null;
      for (Pending e : stream.getValue().values()) {
        if (stop != null) {
          e.state = State.NOT_ATTEMPTED;
        } else if (e.problem != null) {
          e.state = State.FAILED;
          e.error = e.problem;
          stop = e;
        } else {
          try {
            if (apply == null) {
              ReadModelOps.projectPatiently(runtime, e.event);
            } else {
              apply.accept(e.event);
            }
            e.state = State.PROJECTED;
          } catch (RuntimeException x) {
            e.state = State.FAILED;
            e.error = x.getClass().getSimpleName() + ": " + x.getMessage();
            stop = e;
          }
        }
        if (e.state == State.PROJECTED) {
          projected++;
        } else if (e.state == State.FAILED) {
          failed++;
        }
      }
      aggregates.add(describe(stream.getKey(), stream.getValue().values(), verb));
    }

    List<String> problems = new ArrayList<>();
    int deleted = 0;
    for (Parked p : parked) {
      boolean delete = p.redriven();
      if (p.gone) {
        problems.add(
            p.info.range()
                + (discardTrimmed
                    ? " no longer in the stream; deleted (--discard-trimmed: `rebuild` replays"
                        + " their events from the events table)"
                    : " no longer in the stream ("
                        + p.problem
                        + "). DynamoDB Streams keeps records 24 h, but the events table keeps"
                        + " every event: run `rebuild` (it replays all of them, idempotently),"
                        + " then `redrive projections --discard-trimmed` to delete this parked"
                        + " record"));
        delete = discardTrimmed;
      } else if (p.problem != null) {
        problems.add(
            (p.info == null ? "message " + p.message.messageId() : p.info.range())
                + " left parked: "
                + p.problem);
      } else if (!delete) {
        problems.add(p.info.range() + " left parked: " + unfinished(p));
      }
      if (delete && delete(queueUrl, p.message)) {
        deleted++;
      } else {
        release(queueUrl, p.message);
        if (delete) {
          problems.add(p.info.range() + " was redriven but its parked message was not deleted");
        }
      }
    }
    return new Result(parked.size(), deleted, projected, failed, aggregates, problems, verb);
  }

  private ProjectorRuntime runtime() {
    RowStore store = new DynamoRowStore(ddb);
    return tables.projector(store);
  }

  /** Every message on the queue, each kept invisible while the redrive runs. */
  private List<Message> receiveAll(String queueUrl) {
    List<Message> all = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    while (true) {
      List<Message> batch =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .visibilityTimeout(VISIBILITY_SECONDS))
              .messages();
      if (batch.isEmpty()) {
        return all;
      }
      for (Message m : batch) {
        // A standard queue may deliver a message twice: keep the latest receipt, once.
        if (seen.add(m.messageId())) {
          all.add(m);
        } else {
          all.replaceAll(x -> x.messageId().equals(m.messageId()) ? m : x);
        }
      }
    }
  }

  private static Parked parse(Message m) {
    try {
      JsonNode info = JSON.readTree(m.body()).path("DDBStreamBatchInfo");
      BatchInfo batch =
          new BatchInfo(
              text(info, "shardId"),
              text(info, "startSequenceNumber"),
              text(info, "endSequenceNumber"),
              text(info, "streamArn"));
      new BigInteger(batch.start());
      new BigInteger(batch.end());
      return new Parked(m, batch);
    } catch (Exception e) {
      Parked p = new Parked(m, null);
      p.problem = "not a DynamoDB stream on-failure record (" + e.getMessage() + ")";
      return p;
    }
  }

  private static String text(JsonNode node, String field) {
    String value = node.path(field).asText("");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("no DDBStreamBatchInfo." + field);
    }
    return value;
  }

  /**
   * The keys of the event records in a parked range, in stream order; {@code null} (with the reason
   * on {@code p}) when the range cannot be read.
   */
  private List<EventKey> read(Parked p) {
    BatchInfo info = p.info;
    BigInteger start = new BigInteger(info.start());
    BigInteger end = new BigInteger(info.end());
    List<Record> records = new ArrayList<>();
    try {
      String iterator =
          streams
              .getShardIterator(
                  r ->
                      r.streamArn(info.streamArn())
                          .shardId(info.shardId())
                          .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                          .sequenceNumber(info.start()))
              .shardIterator();
      boolean first = true;
      int empty = 0;
      reading:
      while (true) {
        if (iterator == null) {
          return gone(p, "the shard ends before the range does");
        }
        String current = iterator;
        GetRecordsResponse page =
            streams.getRecords(r -> r.shardIterator(current).limit(READ_LIMIT));
        for (Record record : page.records()) {
          BigInteger sequence = new BigInteger(record.dynamodb().sequenceNumber());
          if (first && sequence.compareTo(start) > 0) {
            return gone(p, "its first record was trimmed");
          }
          first = false;
          if (sequence.compareTo(end) > 0) {
            break reading;
          }
          records.add(record);
          if (sequence.equals(end)) {
            break reading;
          }
        }
        iterator = page.nextShardIterator();
        if (!page.records().isEmpty()) {
          empty = 0;
        } else if (++empty >= MAX_EMPTY_READS) {
          p.problem = "the stream gave no records up to the end of the range; try again";
          return null;
        } else {
          pause();
        }
      }
    } catch (TrimmedDataAccessException e) {
      return gone(p, "trimmed: " + e.getMessage());
    } catch (ResourceNotFoundException e) {
      return gone(p, "the shard or stream no longer exists");
    } catch (RuntimeException e) {
      p.problem = "cannot read it from the stream: " + e;
      return null;
    }
    List<EventKey> keys = new ArrayList<>();
    for (Record record : records) {
      StreamRecord d = record.dynamodb();
      // The trigger's filter lets only items of kind "event" through; a record without an image
      // is looked up in the table (a removal never is an event to project).
      if (d.hasNewImage()) {
        AttributeValue kind = d.newImage().get("kind");
        if (kind == null || !"event".equals(kind.s())) {
          continue;
        }
      } else if (record.eventName() == OperationType.REMOVE) {
        continue;
      }
      try {
        keys.add(new EventKey(d.keys().get("pk").s(), Long.parseLong(d.keys().get("sk").n())));
      } catch (RuntimeException e) {
        p.problem = "a record in it has no events-table key (pk, sk): " + d.keys();
        return null;
      }
    }
    return keys;
  }

  private static List<EventKey> gone(Parked p, String why) {
    p.gone = true;
    p.problem = why;
    return null;
  }

  /** The event item as the events table holds it now; {@code null} if it is not an event. */
  private Pending load(EventKey key) {
    Map<String, AttributeValue> item;
    try {
      item =
          ddb.getItem(
                  b ->
                      b.tableName(tables.events())
                          .key(
                              Map.of(
                                  "pk",
                                  AttributeValue.fromS(key.stream()),
                                  "sk",
                                  AttributeValue.fromN(Long.toString(key.version()))))
                          .consistentRead(true))
              .item();
    } catch (RuntimeException e) {
      return new Pending(key, null, "cannot load it from the events table: " + e);
    }
    if (item == null || item.isEmpty()) {
      return new Pending(key, null, "the events table no longer has it");
    }
    AttributeValue kind = item.get("kind");
    if (kind == null || !"event".equals(kind.s())) {
      return null;
    }
    try {
      return new Pending(key, storedEvent(item), null);
    } catch (RuntimeException e) {
      return new Pending(key, null, "its item in the events table is incomplete: " + e);
    }
  }

  /** An event item as {@code DynamoEventStore} writes it. */
  static StoredEvent storedEvent(Map<String, AttributeValue> item) {
    return new StoredEvent(
        attr(item, "pk").s(),
        Long.parseLong(attr(item, "sk").n()),
        attr(item, "type").s(),
        Integer.parseInt(attr(item, "schemaVersion").n()),
        attr(item, "data").s(),
        attr(item, "commandId").s(),
        Instant.parse(attr(item, "occurredAt").s()));
  }

  private static AttributeValue attr(Map<String, AttributeValue> item, String name) {
    return Objects.requireNonNull(item.get(name), () -> "missing attribute " + name);
  }

  private static String describe(String stream, Iterable<Pending> events, String verb) {
    List<Long> done = new ArrayList<>();
    List<Long> waiting = new ArrayList<>();
    Pending failed = null;
    for (Pending e : events) {
      switch (e.state) {
        case PROJECTED -> done.add(e.key.version());
        case FAILED -> failed = e;
        default -> waiting.add(e.key.version());
      }
    }
    StringBuilder line = new StringBuilder(stream).append(": ");
    if (!done.isEmpty()) {
      line.append(verb).append(' ').append(versions(done));
    }
    if (failed != null) {
      line.append(done.isEmpty() ? "" : "; ")
          .append("FAILED at v")
          .append(failed.key.version())
          .append(": ")
          .append(failed.error);
    }
    if (!waiting.isEmpty()) {
      line.append("; ").append(versions(waiting)).append(" not attempted (behind the failure)");
    }
    return line.toString();
  }

  private static String versions(List<Long> versions) {
    String range =
        versions.size() == 1
            ? "v" + versions.get(0)
            : "v" + versions.get(0) + "..v" + versions.get(versions.size() - 1);
    return range + " (" + versions.size() + (versions.size() == 1 ? " event)" : " events)");
  }

  private static String unfinished(Parked p) {
    List<String> reasons = new ArrayList<>();
    for (Pending e : p.events) {
      if (e.state == State.FAILED) {
        reasons.add(e.key.stream() + " v" + e.key.version() + " failed");
      } else if (e.state != State.PROJECTED) {
        reasons.add(e.key.stream() + " v" + e.key.version() + " waits behind a failed event");
      }
    }
    return String.join(", ", reasons);
  }

  private boolean delete(String queueUrl, Message m) {
    try {
      sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Visible again at once, for the next redrive. */
  private void release(String queueUrl, Message m) {
    try {
      sqs.changeMessageVisibility(
          b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    } catch (RuntimeException e) {
      // It becomes visible anyway when the receive's visibility timeout ends.
    }
  }

  private static void pause() {
    try {
      Thread.sleep(EMPTY_READ_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("redrive interrupted", e);
    }
  }
}
