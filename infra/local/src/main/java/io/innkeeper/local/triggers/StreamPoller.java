package io.innkeeper.local.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.client.Json;
import io.innkeeper.core.obs.Log;
import io.innkeeper.local.LocalRuntime;
import io.innkeeper.local.chaos.Chaos;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.local.lambda.FunctionInvoker;
import io.innkeeper.local.lambda.FunctionInvoker.FunctionError;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.PhysicalNames;
import io.innkeeper.topology.Trigger.StreamTrigger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A DynamoDB stream event source mapping. One worker per shard reads records strictly in order,
 * drops those the filter pattern rejects, and invokes the function with up to {@code batchSize}
 * matching records at a time; a child shard starts once its parent is done.
 *
 * <p>When an invocation fails (it throws, or reports {@code batchItemFailures}), records before the
 * lowest failed sequence number are done and the rest is retried: split in halves first when {@code
 * bisectBatchOnError} is on (splitting does not count as a retry), otherwise up to {@code
 * maximumRetryAttempts} times ({@code -1}: forever). Records that exhaust their retries, or are
 * older than {@code maximumRecordAgeSeconds}, are parked: an AWS-shaped record describing them goes
 * to the on-failure queue, and the shard moves on.
 *
 * <p>Deviations from Lambda: DynamoDB Local truncates {@code ApproximateCreationDateTime} to the
 * minute, so record ages (and the parking for age) are up to a minute early; there is no batching
 * window and no parallelization factor above 1.
 *
 * <p>With {@link Chaos}, the poller injects what a stream event source mapping can do to a
 * function, none of which counts as a failure of the function (no retry is used up, nothing is
 * parked):
 *
 * <ul>
 *   <li>{@link Fault#SLOW_CONSUMER}: it waits before invoking.
 *   <li>{@link Fault#STREAM_REDELIVERY}: a batch the function processed is delivered again before
 *       the checkpoint moves past it, as when a mapping loses its progress (its poller restarts or
 *       the shard's lease moves) and resumes from the last checkpoint.
 *   <li>{@link Fault#PROJECTOR_CRASH}: the function processed the whole batch, but the runtime
 *       takes it as having failed at a random record: the records before it are checkpointed, that
 *       record and the rest are delivered again. On Lambda a crash inside the invocation (the
 *       runtime exits, the container dies) is an invocation error: the batch is retried from the
 *       last checkpoint, bisected, and the retry counts toward {@code maximumRetryAttempts}. Here
 *       it does not count and does not bisect: the crash is the platform's doing, not the
 *       function's, and counting it would let chaos alone exhaust retries and park healthy records
 *       (read-model drift caused by the fault rate, not by the code). What the function sees is the
 *       same: records it already applied come again, from a point inside the batch, as after a
 *       partial batch response.
 * </ul>
 *
 * <ul>
 *   <li>{@link Fault#SHARD_ROLLOVER}: after a batch, the stream's open shards are closed and child
 *       shards take over (DynamoDB Local's own rollover, run at once instead of every four hours).
 *       The parent's remaining records are delivered first, then the child's, as Lambda does; the
 *       child starts as soon as its parent is done rather than at the next shard discovery.
 * </ul>
 *
 * The checkpoint only ever covers records the function processed, so a restart in between replays
 * at least what chaos meant to replay.
 *
 * <p>Batches also stay within Lambda's 6 MB limit on a synchronous invocation's event: a batch ends
 * before a record that would take its JSON past it.
 */
public final class StreamPoller implements AutoCloseable {

  /**
   * An empty read waits before the next one (or until this JVM writes to DynamoDB, see {@link
   * WriteSignal}), from 50 ms right after records came (a burst of writes often continues) doubling
   * up to a second. Lambda polls four times a second, but here a write in this JVM wakes the poller
   * at once, so the idle poll is only for writers elsewhere; each costs DynamoDB Local a few
   * milliseconds of CPU, and an idle runtime at Lambda's rate spent about 2 % of a core on them.
   */
  private static final long MIN_IDLE_POLL_MILLIS = 50;

  private static final long MAX_IDLE_POLL_MILLIS = 1000;
  private static final long DISCOVERY_MILLIS = 2000;
  private static final int READ_LIMIT = 1000;

  /** What a batch's event may weigh: Lambda's limit, less room for the envelope. */
  static final int MAX_BATCH_BYTES = 6 * 1024 * 1024 - 16 * 1024;

  private final String functionId;
  private final StreamTrigger trigger;
  private final String streamArn;
  private final DynamoDbStreamsClient streams;
  private final SqsClient sqs;
  private final String onFailureQueueUrl;
  private final FunctionInvoker invoker;
  private final CheckpointStore checkpoints;
  private final FilterPattern filter;
  private final Chaos chaos;
  private final Log.Named log;
  private final Map<String, Thread> workers = new ConcurrentHashMap<>();
  private final Set<String> done = ConcurrentHashMap.newKeySet();

  /** Counted down on close: wakes every sleeping worker at once, without interrupting calls. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Thread coordinator;
  private volatile boolean running;

  /** Closes the stream's open shards ({@link Fault#SHARD_ROLLOVER}); does nothing when unset. */
  private volatile Runnable shardRollover = () -> {};

  /** Hears each batch of records parked, with the records as the function saw them. */
  @FunctionalInterface
  public interface ParkObserver {
    /**
     * @param condition why: {@code RetryAttemptsExhausted} or {@code RecordAgeExceeded}
     * @param records the parked records, in the JSON shape the function was invoked with
     */
    void parked(String functionId, String tableId, String condition, List<ObjectNode> records);
  }

  private volatile ParkObserver parkObserver;

  /** Set when a shard is done: the coordinator looks for its children at once. */
  private final java.util.concurrent.Semaphore discoverNow = new java.util.concurrent.Semaphore(0);

  /**
   * @param onFailureQueueUrl where parked batches are described, or {@code null} to only log them
   */
  public StreamPoller(
      String functionId,
      StreamTrigger trigger,
      String streamArn,
      DynamoDbStreamsClient streams,
      SqsClient sqs,
      String onFailureQueueUrl,
      FunctionInvoker invoker,
      CheckpointStore checkpoints) {
    this(
        functionId,
        trigger,
        streamArn,
        streams,
        sqs,
        onFailureQueueUrl,
        invoker,
        checkpoints,
        Chaos.off());
  }

  /**
   * @param onFailureQueueUrl where parked batches are described, or {@code null} to only log them
   * @param chaos the faults to inject ({@link Chaos#off()}: none)
   */
  public StreamPoller(
      String functionId,
      StreamTrigger trigger,
      String streamArn,
      DynamoDbStreamsClient streams,
      SqsClient sqs,
      String onFailureQueueUrl,
      FunctionInvoker invoker,
      CheckpointStore checkpoints,
      Chaos chaos) {
    this.chaos = chaos;
    this.functionId = functionId;
    this.trigger = trigger;
    this.streamArn = streamArn;
    this.streams = streams;
    this.sqs = sqs;
    this.onFailureQueueUrl = onFailureQueueUrl;
    this.invoker = invoker;
    this.checkpoints = checkpoints;
    this.filter = FilterPattern.parse(trigger.filterPattern());
    this.log =
        Log.named(LocalRuntime.LOG_FUNCTION, "stream " + trigger.tableId() + " -> " + functionId);
  }

  /**
   * What {@link Fault#SHARD_ROLLOVER} does: close the stream's open shards (the embedded DynamoDB
   * Local can; an external endpoint cannot, and the fault then changes nothing).
   */
  public void onShardRollover(Runnable rollover) {
    this.shardRollover = java.util.Objects.requireNonNull(rollover);
  }

  /**
   * Tells {@code observer} of every batch this poller parks (the local console shows the records
   * where they stopped); replaces an earlier observer.
   */
  public void onPark(ParkObserver observer) {
    this.parkObserver = observer;
  }

  /** The function this poller invokes and the trigger it was configured with. */
  public String functionId() {
    return functionId;
  }

  public StreamTrigger trigger() {
    return trigger;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    coordinator = new Thread(this::coordinate, "stream-" + functionId);
    coordinator.setDaemon(true);
    coordinator.start();
  }

  /** Finds shards and starts a worker for each shard whose parent is done. */
  private void coordinate() {
    boolean firstPass = true;
    while (running) {
      try {
        List<Shard> shards = describeShards();
        Set<String> known = new HashSet<>();
        shards.forEach(s -> known.add(s.shardId()));
        for (Shard shard : shards) {
          String id = shard.shardId();
          if (workers.containsKey(id) || done.contains(id)) {
            continue;
          }
          if (checkpoints.isFinished(id)) {
            done.add(id);
            continue;
          }
          String parent = shard.parentShardId();
          if (parent != null && known.contains(parent) && !done.contains(parent)) {
            continue;
          }
          boolean initial = firstPass && (parent == null || !known.contains(parent));
          startWorker(shard, initial);
        }
        firstPass = false;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("cannot describe the stream, retrying", e);
      }
      try {
        if (discoverNow.tryAcquire(DISCOVERY_MILLIS, TimeUnit.MILLISECONDS)) {
          discoverNow.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private List<Shard> describeShards() {
    List<Shard> shards = new ArrayList<>();
    String start = null;
    do {
      String exclusiveStart = start;
      var description =
          streams
              .describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(exclusiveStart))
              .streamDescription();
      shards.addAll(description.shards());
      start = description.lastEvaluatedShardId();
    } while (start != null);
    return shards;
  }

  private void startWorker(Shard shard, boolean initial) {
    boolean closed = shard.sequenceNumberRange().endingSequenceNumber() != null;
    String checkpoint = checkpoints.sequence(shard.shardId());
    if (checkpoint == null
        && initial
        && closed
        && "LATEST".equalsIgnoreCase(trigger.startingPosition())) {
      // LATEST skips what was written before the mapping existed, closed shards included.
      markDone(shard.shardId());
      return;
    }
    ShardWorker worker = new ShardWorker(shard.shardId(), checkpoint, initial);
    Thread thread = new Thread(worker, "stream-" + functionId + "-" + shortId(shard.shardId()));
    thread.setDaemon(true);
    workers.put(shard.shardId(), thread);
    thread.start();
  }

  private void markDone(String shardId) {
    checkpoints.finish(shardId);
    done.add(shardId);
    workers.remove(shardId);
    discoverNow.release();
  }

  private static String shortId(String shardId) {
    return shardId.length() > 8 ? shardId.substring(shardId.length() - 8) : shardId;
  }

  /** One shard, read and delivered strictly in order. */
  private final class ShardWorker implements Runnable {
    private final String shardId;
    private final String checkpoint;
    private final boolean initial;
    private String lastRead;

    ShardWorker(String shardId, String checkpoint, boolean initial) {
      this.shardId = shardId;
      this.checkpoint = checkpoint;
      this.initial = initial;
    }

    @Override
    public void run() {
      try {
        String iterator = firstIterator();
        Deque<Record> buffer = new ArrayDeque<>();
        long idlePoll = MIN_IDLE_POLL_MILLIS;
        while (running) {
          if (buffer.isEmpty()) {
            if (iterator == null) {
              markDone(shardId);
              return;
            }
            GetRecordsResponse response;
            long writes = WriteSignal.generation();
            try {
              String current = iterator;
              response = streams.getRecords(r -> r.shardIterator(current).limit(READ_LIMIT));
            } catch (ExpiredIteratorException e) {
              iterator = position() != null ? iteratorAfter(position()) : firstIterator();
              continue;
            } catch (TrimmedDataAccessException e) {
              // DynamoDB Local also says this when the shard's first sequence numbers went to a
              // cancelled transaction: the oldest record is then past the iterator. Reading from
              // the oldest record is right in both cases; only a real trim loses records.
              if (position() != null) {
                log.warn(
                    "records after "
                        + position()
                        + " in shard "
                        + shardId
                        + " were trimmed before they were read");
              }
              iterator = iterator(ShardIteratorType.TRIM_HORIZON, null);
              continue;
            }
            iterator = response.nextShardIterator();
            buffer.addAll(response.records());
            if (!response.records().isEmpty()) {
              lastRead =
                  response.records().get(response.records().size() - 1).dynamodb().sequenceNumber();
              idlePoll = MIN_IDLE_POLL_MILLIS;
            } else if (iterator != null) {
              idle(writes, idlePoll);
              idlePoll = Math.min(MAX_IDLE_POLL_MILLIS, idlePoll * 2);
            }
            continue;
          }
          List<Item> batch = new ArrayList<>();
          Record lastTaken = null;
          long bytes = 0;
          while (!buffer.isEmpty() && batch.size() < trigger.batchSize()) {
            Record record = buffer.peekFirst();
            ObjectNode json = StreamRecordJson.record(record, streamArn);
            if (filter.matches(json)) {
              long size = Json.write(json).length() + 1L;
              if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                break;
              }
              bytes += size;
              batch.add(new Item(record, json));
            }
            buffer.pollFirst();
            lastTaken = record;
          }
          if (batch.isEmpty()) {
            checkpoints.done(shardId, lastTaken.dynamodb().sequenceNumber());
          } else if (deliver(batch)) {
            // Filtered-out records after the batch's last one are done too.
            checkpoints.done(shardId, lastTaken.dynamodb().sequenceNumber());
          } else {
            return;
          }
        }
      } catch (RuntimeException e) {
        if (running) {
          log.error("shard " + shardId + " stopped; restart the runtime to resume it", e);
        }
      } finally {
        if (!done.contains(shardId)) {
          workers.remove(shardId);
        }
      }
    }

    /** The last sequence number read (or the checkpoint before anything was read). */
    private String position() {
      return lastRead != null ? lastRead : checkpoint;
    }

    private String firstIterator() {
      if (checkpoint != null) {
        try {
          return iteratorAfter(checkpoint);
        } catch (TrimmedDataAccessException e) {
          log.warn(
              "checkpoint of shard "
                  + shardId
                  + " is past the stream's retention; reading from the oldest record");
        } catch (RuntimeException e) {
          log.warn(
              "checkpoint of shard " + shardId + " not usable; reading from the oldest record", e);
        }
        return iterator(ShardIteratorType.TRIM_HORIZON, null);
      }
      if (initial && "LATEST".equalsIgnoreCase(trigger.startingPosition())) {
        return iterator(ShardIteratorType.LATEST, null);
      }
      return iterator(ShardIteratorType.TRIM_HORIZON, null);
    }

    private String iteratorAfter(String sequenceNumber) {
      return iterator(ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequenceNumber);
    }

    private String iterator(ShardIteratorType type, String sequenceNumber) {
      return streams
          .getShardIterator(
              r ->
                  r.streamArn(streamArn)
                      .shardId(shardId)
                      .shardIteratorType(type)
                      .sequenceNumber(sequenceNumber))
          .shardIterator();
    }

    /**
     * Delivers one batch until each record is processed or parked.
     *
     * @return false if the runtime stopped first (the checkpoint then covers what was done)
     */
    private boolean deliver(List<Item> batch) {
      Deque<Attempt> work = new ArrayDeque<>();
      work.add(new Attempt(batch, 0));
      while (!work.isEmpty()) {
        if (!running) {
          return false;
        }
        Attempt attempt = work.pollFirst();
        List<Item> items = dropExpired(attempt);
        if (items.isEmpty()) {
          continue;
        }
        Outcome outcome = invoke(items);
        if (!running && outcome.failedIndex >= 0) {
          // Failed because the runtime is stopping: neither a retry nor a reason to park.
          return false;
        }
        if (outcome.failedIndex < 0) {
          if (chaos.strikes(Fault.PROJECTOR_CRASH)) {
            int at = chaos.nextInt(items.size());
            log.info(
                "chaos: crash at record "
                    + (at + 1)
                    + " of "
                    + items.size()
                    + "; delivering it and the rest again");
            if (at > 0) {
              checkpoints.done(shardId, items.get(at - 1).sequenceNumber());
            }
            work.addFirst(
                new Attempt(List.copyOf(items.subList(at, items.size())), attempt.retries));
            continue;
          }
          if (chaos.strikes(Fault.STREAM_REDELIVERY)) {
            log.info("chaos: delivering a batch of " + items.size() + " again");
            work.addFirst(new Attempt(List.copyOf(items), attempt.retries));
            continue;
          }
          checkpoints.done(shardId, items.get(items.size() - 1).sequenceNumber());
          if (chaos.strikes(Fault.SHARD_ROLLOVER)) {
            log.info("chaos: rolling the stream's shards over after shard " + shortId(shardId));
            shardRollover.run();
          }
          continue;
        }
        if (outcome.failedIndex > 0) {
          checkpoints.done(shardId, items.get(outcome.failedIndex - 1).sequenceNumber());
        }
        List<Item> rest = items.subList(outcome.failedIndex, items.size());
        int retries = trigger.maximumRetryAttempts();
        if (trigger.bisectBatchOnError() && rest.size() > 1) {
          int half = rest.size() / 2;
          work.addFirst(new Attempt(List.copyOf(rest.subList(half, rest.size())), attempt.retries));
          work.addFirst(new Attempt(List.copyOf(rest.subList(0, half)), attempt.retries));
        } else if (retries < 0 || attempt.retries < retries) {
          backOff(attempt.retries);
          work.addFirst(new Attempt(List.copyOf(rest), attempt.retries + 1));
        } else {
          park(rest, "RetryAttemptsExhausted", outcome, attempt.retries + 1);
          checkpoints.done(shardId, rest.get(rest.size() - 1).sequenceNumber());
        }
      }
      return true;
    }

    /** Parks the leading records older than the maximum age; returns the others. */
    private List<Item> dropExpired(Attempt attempt) {
      int maxAge = trigger.maximumRecordAgeSeconds();
      if (maxAge < 0) {
        return attempt.items;
      }
      Instant oldest = Instant.now().minusSeconds(maxAge);
      int expired = 0;
      while (expired < attempt.items.size()
          && attempt.items.get(expired).created().isBefore(oldest)) {
        expired++;
      }
      if (expired == 0) {
        return attempt.items;
      }
      List<Item> old = attempt.items.subList(0, expired);
      park(old, "RecordAgeExceeded", null, attempt.retries);
      checkpoints.done(shardId, old.get(old.size() - 1).sequenceNumber());
      return attempt.items.subList(expired, attempt.items.size());
    }

    private Outcome invoke(List<Item> items) {
      List<ObjectNode> records = new ArrayList<>(items.size());
      Set<String> sequenceNumbers = new LinkedHashSet<>();
      for (Item item : items) {
        records.add(item.json());
        sequenceNumbers.add(item.sequenceNumber());
      }
      if (chaos.strikes(Fault.SLOW_CONSUMER)) {
        sleep(chaos.config().slowMillis());
      }
      String answer;
      try {
        answer = invoker.invoke(functionId, StreamRecordJson.event(records));
      } catch (FunctionError e) {
        log.warn("batch of " + items.size() + " failed: " + e.getMessage());
        return new Outcome(0, true);
      }
      Set<String> failed = BatchFailures.failed(answer, sequenceNumbers);
      if (failed.isEmpty()) {
        return new Outcome(-1, false);
      }
      int index = 0;
      for (Item item : items) {
        if (failed.contains(item.sequenceNumber())) {
          break;
        }
        index++;
      }
      return new Outcome(index, false);
    }

    /** Describes the records on the on-failure queue, as Lambda's on-failure destination does. */
    private void park(List<Item> items, String condition, Outcome outcome, int invocations) {
      Item first = items.get(0);
      Item last = items.get(items.size() - 1);
      ObjectNode record = Json.object();
      ObjectNode request = record.putObject("requestContext");
      request.put("requestId", UUID.randomUUID().toString());
      request.put("functionArn", LocalAws.functionArn(PhysicalNames.function(functionId)));
      request.put("condition", condition);
      request.put("approximateInvokeCount", invocations);
      ObjectNode response = record.putObject("responseContext");
      response.put("statusCode", 200);
      response.put("executedVersion", "$LATEST");
      if (outcome != null && outcome.functionError) {
        response.put("functionError", "Unhandled");
      }
      record.put("version", "1.0");
      record.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
      ObjectNode info = record.putObject("DDBStreamBatchInfo");
      info.put("shardId", shardId);
      info.put("startSequenceNumber", first.sequenceNumber());
      info.put("endSequenceNumber", last.sequenceNumber());
      info.put("approximateArrivalOfFirstRecord", first.created().toString());
      info.put("approximateArrivalOfLastRecord", last.created().toString());
      info.put("batchSize", items.size());
      info.put("streamArn", streamArn);
      String body = Json.write(record);
      log.warn(
          "parked "
              + items.size()
              + " record(s) "
              + first.sequenceNumber()
              + ".."
              + last.sequenceNumber()
              + " ("
              + condition
              + ")");
      io.innkeeper.local.status.ParkedRecords.parked(
          functionId, trigger.tableId(), items.size(), condition);
      send(body);
      // Told once the record is on the queue: a reader that then finds the queue empty knows it
      // was redriven, not that it has yet to arrive (the console resolves parked notes so).
      ParkObserver observer = parkObserver;
      if (observer != null) {
        try {
          observer.parked(
              functionId, trigger.tableId(), condition, items.stream().map(Item::json).toList());
        } catch (RuntimeException e) {
          log.warn("the park observer failed", e);
        }
      }
    }

    /**
     * Sends a parked batch's record to the on-failure destination, until it is there or stopped.
     */
    private void send(String body) {
      if (onFailureQueueUrl == null) {
        log.warn("no on-failure destination; the parked records are only in this log: " + body);
        return;
      }
      for (int attempt = 0; ; attempt++) {
        try {
          sqs.sendMessage(r -> r.queueUrl(onFailureQueueUrl).messageBody(body));
          return;
        } catch (RuntimeException e) {
          if (!running) {
            log.error("could not park " + body, e);
            return;
          }
          log.warn("cannot send to the on-failure queue, retrying", e);
          backOff(attempt);
        }
      }
    }
  }

  private record Item(Record record, ObjectNode json) {
    String sequenceNumber() {
      return record.dynamodb().sequenceNumber();
    }

    Instant created() {
      Instant created = record.dynamodb().approximateCreationDateTime();
      return created == null ? Instant.now() : created;
    }
  }

  private record Attempt(List<Item> items, int retries) {}

  /** The lowest failed index ({@code -1}: none failed) and whether the function threw. */
  private record Outcome(int failedIndex, boolean functionError) {}

  private void backOff(int retries) {
    sleep(Math.min(2000, 100L << Math.min(retries, 5)));
  }

  /**
   * Waits before the next poll of an idle shard: until DynamoDB is written in this JVM ({@link
   * WriteSignal}), the poller is closed, or {@code millis} pass.
   */
  private void idle(long writesSeen, long millis) {
    if (!running) {
      return;
    }
    try {
      WriteSignal.awaitAfter(writesSeen, millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sleep(long millis) {
    try {
      stopped.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Which shards have a worker now and which are done (for diagnostics). */
  public Map<String, String> shardStates() {
    Map<String, String> states = new LinkedHashMap<>();
    workers.keySet().forEach(id -> states.put(id, "reading"));
    done.forEach(id -> states.put(id, "done"));
    return states;
  }

  /** Stops reading; a batch in flight finishes (within the function's timeout) or is replayed. */
  @Override
  public void close() {
    running = false;
    stopped.countDown();
    // Idle workers wait for a write signal; one now lets them see that the poller stopped.
    WriteSignal.signal();
    List<Thread> threads = new ArrayList<>(workers.values());
    if (coordinator != null) {
      threads.add(coordinator);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
