package io.innkeeper.perf;

import io.innkeeper.events.published.CloudEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A queue of the tool's own on the event bus, subscribed as a service outside the product would
 * subscribe it (FIFO, raw, optionally with a filter policy), read as fast as it fills. It keeps
 * every event in the order it arrived, and each one's latency from the event's {@code time} (when
 * the command handler stored the fact) to SQS's {@code SentTimestamp} (when the bus put it on the
 * queue): the stream, the publisher and SNS together.
 */
public final class BusTap implements AutoCloseable {
  private final SqsClient sqs;
  private final String queueUrl;
  private final Thread reader;
  private final List<CloudEvent> received = new CopyOnWriteArrayList<>();
  private volatile Samples latency = new Samples();
  private volatile boolean running = true;

  private BusTap(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.reader = new Thread(this::read, "bus-tap");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Creates queue {@code name}.fifo, subscribes it to {@code topicArn} (raw; with {@code
   * filterPolicy} unless it is {@code null}) and starts reading it.
   */
  public static BusTap subscribe(
      SqsClient sqs, SnsClient sns, String topicArn, String name, String filterPolicy) {
    String url =
        sqs.createQueue(
                r ->
                    r.queueName(name + ".fifo")
                        .attributes(
                            Map.of(
                                QueueAttributeName.FIFO_QUEUE, "true",
                                QueueAttributeName.VISIBILITY_TIMEOUT, "30")))
            .queueUrl();
    String arn =
        sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    Map<String, String> attributes = new HashMap<>();
    attributes.put("RawMessageDelivery", "true");
    if (filterPolicy != null) {
      attributes.put("FilterPolicy", filterPolicy);
    }
    sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(arn).attributes(attributes));
    return new BusTap(sqs, url);
  }

  /** Starts a new set of latency samples (a phase) and returns the one that ends. */
  public Samples nextLatency() {
    Samples ended = latency;
    latency = new Samples();
    return ended;
  }

  /** Every event received so far, in the order it arrived. */
  public List<CloudEvent> received() {
    return List.copyOf(received);
  }

  /**
   * What the tap received against what the record implies ({@code expected}, per aggregate in
   * sequence order): ids that never came, ids that came more than once, and aggregates whose events
   * came out of sequence order.
   */
  public record Comparison(List<String> missing, List<String> doubled, List<String> outOfOrder) {
    public long problems() {
      return missing.size() + doubled.size() + outOfOrder.size();
    }

    public List<String> examples() {
      List<String> out = new ArrayList<>();
      missing.stream().limit(3).forEach(m -> out.add("missing " + m));
      doubled.stream().limit(3).forEach(m -> out.add("doubled " + m));
      outOfOrder.stream().limit(3).forEach(m -> out.add("out of order " + m));
      return out;
    }
  }

  /** Compares what arrived with {@code expected} (per aggregate, in sequence order). */
  public Comparison compare(Map<String, List<CloudEvent>> expected) {
    return compare(received(), expected);
  }

  /** Compares {@code received} (in arrival order) with {@code expected}. */
  static Comparison compare(List<CloudEvent> received, Map<String, List<CloudEvent>> expected) {
    Map<String, Integer> times = new HashMap<>();
    Map<String, Long> last = new HashMap<>();
    List<String> outOfOrder = new ArrayList<>();
    for (CloudEvent e : received) {
      if (times.merge(e.id(), 1, Integer::sum) > 1) {
        continue;
      }
      Long before = last.put(e.subject(), e.sequence());
      if (before != null && before > e.sequence()) {
        outOfOrder.add(e.subject() + " " + before + " then " + e.sequence());
      }
    }
    List<String> missing = new ArrayList<>();
    Map<String, String> subjects = new TreeMap<>();
    expected.forEach(
        (stream, events) ->
            events.forEach(
                e -> {
                  subjects.put(e.id(), stream);
                  if (!times.containsKey(e.id())) {
                    missing.add(stream + "@" + e.sequence());
                  }
                }));
    List<String> doubled = new ArrayList<>();
    times.forEach(
        (id, n) -> {
          if (n > 1) {
            doubled.add(subjects.getOrDefault(id, id) + " x" + n);
          }
        });
    return new Comparison(missing, doubled, outOfOrder);
  }

  private void read() {
    while (running) {
      try {
        List<Message> messages =
            sqs.receiveMessage(
                    r ->
                        r.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP))
                .messages();
        if (messages.isEmpty()) {
          continue;
        }
        Samples into = latency;
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message m : messages) {
          CloudEvent e = CloudEvent.parse(m.body());
          received.add(e);
          long sent = Long.parseLong(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP));
          into.add(Math.max(0, sent - e.time().toEpochMilli()));
          deletes.add(
              DeleteMessageBatchRequestEntry.builder()
                  .id(Integer.toString(deletes.size()))
                  .receiptHandle(m.receiptHandle())
                  .build());
        }
        sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(deletes));
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException x) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    reader.interrupt();
  }
}
