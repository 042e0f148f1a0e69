package io.innkeeper.local.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.client.Json;
import io.innkeeper.core.obs.Log;
import io.innkeeper.local.LocalRuntime;
import io.innkeeper.ops.LocalAws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The local event bus: the part of Amazon SNS that a publisher and an SQS subscriber need, in this
 * JVM, delivering into the runtime's SQS (ElasticMQ) through the SQS API. {@link SnsServer} serves
 * it over HTTP to the AWS SDKs and CLI; the rest of the runtime uses this Java API directly.
 *
 * <p>It keeps SNS's semantics (docs/event-bus.md cites the AWS documentation for each): standard
 * and FIFO topics; FIFO topics need a message group and a deduplication id (or content-based
 * deduplication), drop a message whose deduplication id they accepted in the last 5 minutes, and
 * deliver each subscription its messages in the order the topic accepted them; raw delivery or
 * SNS's JSON envelope; filter policies on attributes or on the body.
 *
 * <p>Unlike SNS, which answers a publish once it has stored the message and then delivers for up to
 * 23 days, the local bus answers only when every matching subscription's {@code SendMessage} has an
 * outcome, because it keeps no message store of its own. A message SQS refuses for good (the queue
 * is gone) is dropped or dead-lettered as SNS does, and the publish still succeeds; a message SQS
 * keeps failing (server side) past the retry budget fails the publish ({@code InternalError}), and
 * its deduplication id is not remembered, so the publisher's retry delivers it (FIFO queues drop
 * the copy a subscription already had, since the bus passes the same deduplication id on).
 *
 * <p>Thread-safe. Topics and subscriptions live in memory, or in a JSON file that survives a
 * restart when {@link Options#stateFile()} is set.
 */
public final class LocalSns implements AutoCloseable {

  /** SNS's deduplication interval for FIFO topics. */
  public static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);

  /** Lists are answered 100 entries at a time, as SNS pages them. */
  static final int PAGE_SIZE = 100;

  private static final Log.Named LOG = Log.named(LocalRuntime.LOG_FUNCTION, "sns");
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern FIFO_TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,251}\\.fifo");
  private static final Set<String> PROTOCOLS =
      Set.of(
          "http",
          "https",
          "email",
          "email-json",
          "sms",
          "sqs",
          "application",
          "lambda",
          "firehose");
  private static final Pattern FEEDBACK_ATTRIBUTE =
      Pattern.compile(
          "(HTTP|Firehose|Lambda|SQS|Application)"
              + "(SuccessFeedbackRoleArn|SuccessFeedbackSampleRate|FailureFeedbackRoleArn)");
  private static final Set<String> TOPIC_ATTRIBUTES =
      Set.of(
          "DisplayName",
          "Policy",
          "DeliveryPolicy",
          "KmsMasterKeyId",
          "TracingConfig",
          "SignatureVersion",
          "DataProtectionPolicy",
          "ContentBasedDeduplication",
          "FifoThroughputScope",
          "ArchivePolicy");
  private static final Set<String> FIFO_ONLY_ATTRIBUTES =
      Set.of("ContentBasedDeduplication", "FifoThroughputScope", "ArchivePolicy");
  private static final Set<String> SUBSCRIPTION_ATTRIBUTES =
      Set.of(
          "RawMessageDelivery",
          "FilterPolicy",
          "FilterPolicyScope",
          "RedrivePolicy",
          "DeliveryPolicy",
          "SubscriptionRoleArn",
          "ReplayPolicy");

  /**
   * How the bus runs.
   *
   * @param clock the clock of the deduplication window and of the notifications' timestamps (a test
   *     passes the 5 minutes by moving it)
   * @param retryBudget how long a delivery is retried while SQS fails server side
   * @param stateFile where topics and subscriptions persist, or {@code null} for memory only
   */
  public record Options(Clock clock, Duration retryBudget, Path stateFile) {

    public Options {
      Objects.requireNonNull(clock, "clock");
      if (retryBudget.isNegative()) {
        throw new IllegalArgumentException("retryBudget must not be negative");
      }
    }

    /** The system clock, 20 s of retries, in memory. */
    public static Options defaults() {
      return new Options(Clock.systemUTC(), Duration.ofSeconds(20), null);
    }

    public Options withClock(Clock newClock) {
      return new Options(newClock, retryBudget, stateFile);
    }

    public Options withRetryBudget(Duration budget) {
      return new Options(clock, budget, stateFile);
    }

    public Options withStateFile(Path file) {
      return new Options(clock, retryBudget, file);
    }
  }

  /**
   * A topic as {@code ListTopics} and {@code GetTopicAttributes} show it.
   *
   * @param arn the topic's ARN
   * @param name its name
   * @param fifo whether it is a FIFO topic
   * @param attributes every attribute {@code GetTopicAttributes} answers
   */
  public record TopicInfo(String arn, String name, boolean fifo, Map<String, String> attributes) {}

  /**
   * A subscription as {@code ListSubscriptions} shows it, with what the runtime needs besides.
   *
   * @param arn the subscription's ARN
   * @param topicArn its topic
   * @param protocol always {@code sqs} here
   * @param endpoint the subscribed queue's ARN
   * @param queueUrl the queue's URL, or {@code null} if the queue does not exist (or was not looked
   *     up)
   * @param attributes every attribute {@code GetSubscriptionAttributes} answers
   */
  public record SubscriptionInfo(
      String arn,
      String topicArn,
      String protocol,
      String endpoint,
      String queueUrl,
      Map<String, String> attributes) {}

  private final software.amazon.awssdk.services.sqs.SqsClient sqs;
  private final URI endpoint;
  private final Options options;
  private final Clock clock;
  private final Envelope envelope;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Topic> topics = new LinkedHashMap<>();
  private final Map<String, Sub> subscriptions = new LinkedHashMap<>();
  private final List<Consumer<Delivery>> observers = new CopyOnWriteArrayList<>();
  private long lastSequence;
  private boolean closed;

  /**
   * A bus delivering through {@code sqs}.
   *
   * @param sqs the SQS client deliveries use (the caller closes it); the bus retries on its own, so
   *     a client without SDK retries ({@link SnsServer#deliveryClient}) keeps the budget exact
   * @param endpoint the URL the bus is served at, for the notifications' {@code UnsubscribeURL} and
   *     {@code SigningCertURL}
   * @param options clock, retry budget and state file
   * @throws UncheckedIOException if the state file exists but cannot be read
   */
  public LocalSns(
      software.amazon.awssdk.services.sqs.SqsClient sqs, URI endpoint, Options options) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = options.clock();
    String base = endpoint.toString();
    this.envelope = new Envelope(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    load();
  }

  /** The URL the bus is served at. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Calls {@code observer} with the outcome of every message at every subscription, on the thread
   * that learnt it (keep it quick). Closing the returned handle stops the calls.
   */
  public AutoCloseable onDelivery(Consumer<Delivery> observer) {
    Objects.requireNonNull(observer);
    observers.add(observer);
    return () -> observers.remove(observer);
  }

  // ---------------------------------------------------------------- topics

  /**
   * Creates a topic, or returns the one of that name if its attributes agree ({@code CreateTopic}
   * is idempotent on SNS).
   *
   * @param attributes {@code FifoTopic}, {@code ContentBasedDeduplication} and the other topic
   *     attributes SNS takes at creation
   * @throws SnsException {@code InvalidParameter} for a bad name or attribute, or when a topic of
   *     that name exists with different attributes
   */
  public TopicInfo createTopic(String name, Map<String, String> attributes) {
    Map<String, String> given = attributes == null ? Map.of() : new LinkedHashMap<>(attributes);
    String fifoValue = given.get("FifoTopic");
    boolean fifo = fifoValue != null && bool("FifoTopic", fifoValue);
    if (name == null) {
      throw SnsException.invalidParameter("Invalid parameter: Topic Name");
    }
    if (fifo && !FIFO_TOPIC_NAME.matcher(name).matches()) {
      throw SnsException.invalidParameter(
          "Fifo Topic names must end with .fifo and must be made up of only uppercase and"
              + " lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1"
              + " and 256 characters long.");
    }
    if (!fifo && !TOPIC_NAME.matcher(name).matches()) {
      throw SnsException.invalidParameter("Invalid parameter: Topic Name");
    }
    Map<String, String> settable = new LinkedHashMap<>();
    given.forEach(
        (key, value) -> {
          if (!key.equals("FifoTopic")) {
            settable.put(key, checkTopicAttribute(key, value, fifo));
          }
        });
    String arn = Arns.topic(name);
    lock.lock();
    try {
      Topic existing = topics.get(arn);
      if (existing != null) {
        boolean same = existing.fifo == fifo;
        for (Map.Entry<String, String> e : settable.entrySet()) {
          same &= e.getValue().equals(existing.attribute(e.getKey()));
        }
        if (!same) {
          throw SnsException.invalidParameter(
              "Invalid parameter: Attributes Reason: Topic already exists with different"
                  + " attributes");
        }
        return info(existing);
      }
      Topic topic = new Topic(name, arn, fifo);
      topic.attributes.putAll(settable);
      topics.put(arn, topic);
      save();
      LOG.info("topic " + arn + " created");
      return info(topic);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Creates the topic {@code name} with these settings, or adopts it if it exists with them: how
   * the runtime sets up the product's own topic.
   */
  public TopicInfo ensureTopic(String name, boolean fifo, boolean contentBasedDeduplication) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (fifo) {
      attributes.put("FifoTopic", "true");
      attributes.put("ContentBasedDeduplication", Boolean.toString(contentBasedDeduplication));
    }
    return createTopic(name, attributes);
  }

  /** Deletes the topic and its subscriptions; deleting a topic that does not exist does nothing. */
  public void deleteTopic(String topicArn) {
    checkTopicArn(topicArn);
    lock.lock();
    try {
      Topic topic = topics.remove(topicArn);
      if (topic == null) {
        return;
      }
      for (Sub sub : topic.subscriptions.values()) {
        subscriptions.remove(sub.arn);
        sub.lane.retire();
      }
      save();
      LOG.info("topic " + topicArn + " deleted");
    } finally {
      lock.unlock();
    }
  }

  /** Every topic, oldest first. */
  public List<TopicInfo> topics() {
    lock.lock();
    try {
      return topics.values().stream().map(this::info).toList();
    } finally {
      lock.unlock();
    }
  }

  /**
   * One topic.
   *
   * @throws SnsException {@code NotFound} if there is no such topic
   */
  public TopicInfo topic(String topicArn) {
    lock.lock();
    try {
      return info(topicOrThrow(topicArn));
    } finally {
      lock.unlock();
    }
  }

  /** Sets one topic attribute, as {@code SetTopicAttributes}. */
  public void setTopicAttribute(String topicArn, String name, String value) {
    lock.lock();
    try {
      Topic topic = topicOrThrow(topicArn);
      if (name == null || name.equals("FifoTopic")) {
        throw SnsException.invalidParameter("Invalid parameter: AttributeName");
      }
      topic.attributes.put(name, checkTopicAttribute(name, value == null ? "" : value, topic.fifo));
      save();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------- subscriptions

  /**
   * Subscribes an SQS queue ({@code protocol} {@code sqs}, {@code endpoint} the queue's ARN) to a
   * topic, confirmed at once as SNS confirms queue subscriptions of its own account. Subscribing
   * the same queue again returns the same subscription, unless the attributes differ.
   *
   * @param attributes {@code RawMessageDelivery}, {@code FilterPolicy}, {@code FilterPolicyScope},
   *     {@code RedrivePolicy}, {@code DeliveryPolicy}
   * @return the subscription's ARN
   */
  public String subscribe(
      String topicArn, String protocol, String endpoint, Map<String, String> attributes) {
    checkTopicArn(topicArn);
    Map<String, String> given = attributes == null ? Map.of() : new LinkedHashMap<>(attributes);
    lock.lock();
    try {
      Topic topic = topicOrThrow(topicArn);
      if (protocol == null || !PROTOCOLS.contains(protocol)) {
        throw SnsException.invalidParameter(
            "Invalid parameter: Amazon SNS does not support this protocol string: " + protocol);
      }
      if (!protocol.equals("sqs")) {
        throw SnsException.invalidParameter(
            topic.fifo
                ? "Invalid parameter: Invalid protocol type: " + protocol
                : "Invalid parameter: Protocol Reason: the local event bus delivers to SQS queues"
                    + " only (protocol sqs), not "
                    + protocol);
      }
      if (endpoint == null || endpoint.isBlank()) {
        throw SnsException.invalidParameter("Invalid parameter: Endpoint");
      }
      Arns.Queue queue = Arns.queue(endpoint);
      if (queue == null) {
        throw SnsException.invalidParameter("Invalid parameter: SQS endpoint ARN");
      }
      if (queue.fifo() && !topic.fifo) {
        throw SnsException.invalidParameter(
            "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be"
                + " subscribed to standard SNS topics");
      }
      Map<String, String> checked = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : given.entrySet()) {
        String value = checkSubscriptionAttribute(e.getKey(), e.getValue(), topic);
        if (!value.isEmpty()) {
          checked.put(e.getKey(), value);
        }
      }
      FilterPolicy filter =
          filterFrom(checked.get("FilterPolicy"), checked.get("FilterPolicyScope"));
      for (Sub existing : topic.subscriptions.values()) {
        if (existing.endpoint.equals(endpoint)) {
          for (Map.Entry<String, String> e : checked.entrySet()) {
            if (!e.getValue().equals(existing.attributes.getOrDefault(e.getKey(), ""))) {
              throw SnsException.invalidParameter(
                  "Invalid parameter: Attributes Reason: Subscription already exists with"
                      + " different attributes");
            }
          }
          return existing.arn;
        }
      }
      String arn = topicArn + ":" + UUID.randomUUID();
      Sub sub = new Sub(arn, topicArn, endpoint, queue);
      sub.attributes.putAll(checked);
      sub.filter = filter;
      sub.lane = newLane(sub);
      topic.subscriptions.put(arn, sub);
      subscriptions.put(arn, sub);
      save();
      LOG.info("queue " + endpoint + " subscribed to " + topicArn + " as " + arn);
      return arn;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a subscription (messages already accepted for it are still delivered); removing one
   * that does not exist does nothing.
   */
  public void unsubscribe(String subscriptionArn) {
    if (!Arns.isSubscription(subscriptionArn)) {
      throw SnsException.invalidParameter("Invalid parameter: SubscriptionArn");
    }
    lock.lock();
    try {
      Sub sub = subscriptions.remove(subscriptionArn);
      if (sub == null) {
        return;
      }
      Topic topic = topics.get(sub.topicArn);
      if (topic != null) {
        topic.subscriptions.remove(subscriptionArn);
      }
      sub.lane.retire();
      save();
      LOG.info("subscription " + subscriptionArn + " removed");
    } finally {
      lock.unlock();
    }
  }

  /** Every subscription (of every topic), oldest first, with its queue's URL. */
  public List<SubscriptionInfo> subscriptions() {
    return withQueueUrls(listSubscriptions(null));
  }

  /** The subscriptions of one topic, oldest first, with their queues' URLs. */
  public List<SubscriptionInfo> subscriptions(String topicArn) {
    return withQueueUrls(listSubscriptions(topicArn));
  }

  /** Subscriptions without their queue URLs (no call to SQS), for the API's lists. */
  List<SubscriptionInfo> listSubscriptions(String topicArn) {
    lock.lock();
    try {
      Iterable<Sub> subs;
      if (topicArn == null) {
        subs = subscriptions.values();
      } else {
        checkTopicArn(topicArn);
        subs = topicOrThrow(topicArn).subscriptions.values();
      }
      List<SubscriptionInfo> out = new ArrayList<>();
      subs.forEach(sub -> out.add(info(sub, null)));
      return out;
    } finally {
      lock.unlock();
    }
  }

  private List<SubscriptionInfo> withQueueUrls(List<SubscriptionInfo> infos) {
    List<SubscriptionInfo> out = new ArrayList<>(infos.size());
    for (SubscriptionInfo s : infos) {
      Sub sub;
      lock.lock();
      try {
        sub = subscriptions.get(s.arn());
      } finally {
        lock.unlock();
      }
      String url = sub == null ? null : sub.lane.queueUrl();
      out.add(
          new SubscriptionInfo(
              s.arn(), s.topicArn(), s.protocol(), s.endpoint(), url, s.attributes()));
    }
    return out;
  }

  /**
   * One subscription.
   *
   * @throws SnsException {@code NotFound} if there is no such subscription
   */
  public SubscriptionInfo subscription(String subscriptionArn) {
    lock.lock();
    try {
      return info(subscriptionOrThrow(subscriptionArn), null);
    } finally {
      lock.unlock();
    }
  }

  /** Sets one subscription attribute, as {@code SetSubscriptionAttributes}. */
  public void setSubscriptionAttribute(String subscriptionArn, String name, String value) {
    lock.lock();
    try {
      Sub sub = subscriptionOrThrow(subscriptionArn);
      Topic topic = topics.get(sub.topicArn);
      String checked = checkSubscriptionAttribute(name, value == null ? "" : value, topic);
      Map<String, String> next = new LinkedHashMap<>(sub.attributes);
      if (checked.isEmpty()) {
        next.remove(name);
      } else {
        next.put(name, checked);
      }
      FilterPolicy filter = filterFrom(next.get("FilterPolicy"), next.get("FilterPolicyScope"));
      sub.attributes.clear();
      sub.attributes.putAll(next);
      sub.filter = filter;
      sub.lane.deadLetterQueue(deadLetterArn(next));
      save();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- publish

  /**
   * Publishes one message, as {@code Publish}: answered once every matching subscription's queue
   * has it (or refused it for good).
   *
   * @throws SnsException {@code InvalidParameter} / {@code ParameterValueInvalid} for a bad
   *     message, {@code NotFound} for an unknown topic, {@code InternalError} when SQS kept failing
   *     for a subscription past the retry budget
   */
  public PublishResult publish(String topicArn, Publication publication) {
    Objects.requireNonNull(publication, "publication");
    Validation.publication(publication);
    Target target = topicForPublish(topicArn);
    Topic topic = target.topic();
    Validation.forTopic(publication, topic.fifo, target.contentBasedDeduplication());
    Accepted accepted = accept(topic, List.of(publication)).get(0);
    finish(List.of(accepted));
    if (!accepted.succeeded()) {
      throw SnsException.internalError(
          "Delivery to a subscribed queue failed; the message was not published. "
              + accepted.failure());
    }
    return accepted.result();
  }

  /**
   * Publishes up to 10 messages in order, as {@code PublishBatch}: each entry succeeds or fails on
   * its own (an entry fails when SQS kept failing for one of its subscriptions); a malformed
   * request fails as a whole.
   */
  public PublishResult.Batch publishBatch(String topicArn, List<PublishResult.BatchEntry> entries) {
    if (entries == null || entries.isEmpty()) {
      throw SnsException.emptyBatch();
    }
    if (entries.size() > 10) {
      throw SnsException.tooManyEntries();
    }
    Target target = topicForPublish(topicArn);
    Topic topic = target.topic();
    Set<String> ids = new HashSet<>();
    for (PublishResult.BatchEntry entry : entries) {
      if (entry.id() == null || !Validation.BATCH_ENTRY_ID.matcher(entry.id()).matches()) {
        throw SnsException.invalidBatchEntryId(entry.id());
      }
      if (!ids.add(entry.id())) {
        throw SnsException.batchIdsNotDistinct();
      }
    }
    long total = 0;
    List<Publication> publications = new ArrayList<>();
    for (PublishResult.BatchEntry entry : entries) {
      Validation.publication(entry.publication());
      Validation.forTopic(entry.publication(), topic.fifo, target.contentBasedDeduplication());
      total += Validation.size(entry.publication());
      publications.add(entry.publication());
    }
    if (total > Validation.MAX_MESSAGE_BYTES) {
      throw SnsException.batchTooLong();
    }
    List<Accepted> accepted = accept(topic, publications);
    finish(accepted);
    List<PublishResult.BatchSuccess> ok = new ArrayList<>();
    List<PublishResult.BatchFailure> failed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Accepted a = accepted.get(i);
      String id = entries.get(i).id();
      if (a.succeeded()) {
        ok.add(new PublishResult.BatchSuccess(id, a.messageId, a.sequenceNumber));
      } else {
        failed.add(
            new PublishResult.BatchFailure(
                id,
                "InternalError",
                "Delivery to a subscribed queue failed; the message was not published. "
                    + a.failure(),
                false));
      }
    }
    return new PublishResult.Batch(ok, failed);
  }

  /**
   * Takes the messages in, in order: checks each against the deduplication window, numbers it, and
   * hands it to every subscription whose filter policy matches. Holding the lock from numbering to
   * handing over is what keeps every queue in sequence order.
   */
  private List<Accepted> accept(Topic topic, List<Publication> publications) {
    Object request = new Object();
    List<Accepted> out = new ArrayList<>(publications.size());
    lock.lock();
    try {
      if (closed) {
        throw SnsException.internalError("The local event bus is stopped.");
      }
      for (Publication p : publications) {
        String key = topic.fifo ? topic.deduplicationKey(p) : null;
        if (key != null) {
          Seen seen = awaitSettled(topic, key, request);
          if (seen != null) {
            out.add(Accepted.duplicate(seen));
            continue;
          }
        }
        Instant now = clock.instant();
        String messageId = UUID.randomUUID().toString();
        String sequence = topic.fifo ? nextSequence() : null;
        Seen seen = key == null ? null : new Seen(now, messageId, sequence, request);
        if (seen != null) {
          topic.seen.put(key, seen);
        }
        String message = Validation.messageForSqs(p);
        Envelope.Notification notification = null;
        List<CompletableFuture<Delivery.Outcome>> deliveries = new ArrayList<>();
        for (Sub sub : topic.subscriptions.values()) {
          if (sub.filter != null && !sub.filter.matches(p.attributes(), message)) {
            notifyObservers(
                new Delivery(
                    topic.arn,
                    sub.arn,
                    sub.endpoint,
                    messageId,
                    p.messageGroupId(),
                    sequence,
                    now,
                    now,
                    Delivery.Outcome.FILTERED,
                    null));
            continue;
          }
          if (notification == null && !sub.raw()) {
            notification =
                envelope.prepare(
                    messageId,
                    sequence,
                    topic.arn,
                    p.subject(),
                    message,
                    now,
                    p.attributes(),
                    topic.signatureVersion());
          }
          DeliveryLane.Job job =
              job(topic, sub, p, message, notification, messageId, sequence, now);
          deliveries.add(job.result);
          sub.lane.submit(job);
        }
        if (seen != null) {
          settleWhenDelivered(topic, key, seen, deliveries);
        }
        out.add(new Accepted(messageId, sequence, key, seen, deliveries, null));
      }
    } finally {
      lock.unlock();
    }
    return out;
  }

  /**
   * The earlier message with this deduplication key that makes {@code key} a duplicate, or {@code
   * null} if there is none. A message of another request that is still being delivered is waited
   * for (without the lock): if its delivery fails, its id is free again. Called with the lock held.
   */
  private Seen awaitSettled(Topic topic, String key, Object request) {
    while (true) {
      Instant now = clock.instant();
      topic.forgetExpired(now);
      Seen seen = topic.seen.get(key);
      if (seen != null
          && seen.delivered.isDone()
          && !seen.acceptedAt.isAfter(now.minus(DEDUPLICATION_WINDOW))) {
        // Past the window, but still listed behind an older message that is being delivered.
        topic.seen.remove(key);
        return null;
      }
      if (seen == null || seen.owner == request || seen.delivered.isDone()) {
        return seen;
      }
      lock.unlock();
      try {
        seen.delivered.join();
      } finally {
        lock.lock();
      }
    }
  }

  /**
   * Settles a message's place in the deduplication window as soon as its own deliveries are done
   * (not when its whole request is): a request waiting for it may hold an entry this request waits
   * for in turn. A failed message gives its key back, so a retry of it is delivered.
   */
  private void settleWhenDelivered(
      Topic topic, String key, Seen seen, List<CompletableFuture<Delivery.Outcome>> deliveries) {
    CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, error) -> {
              boolean published = failure(deliveries) == null;
              if (!published) {
                lock.lock();
                try {
                  topic.seen.remove(key, seen);
                } finally {
                  lock.unlock();
                }
              }
              seen.delivered.complete(published);
            });
  }

  private static String failure(List<CompletableFuture<Delivery.Outcome>> deliveries) {
    for (CompletableFuture<Delivery.Outcome> d : deliveries) {
      if (d.join() == Delivery.Outcome.FAILED) {
        return "SQS did not accept it within the retry budget";
      }
    }
    return null;
  }

  /** Waits until every message of the request has an outcome. */
  private static void finish(List<Accepted> accepted) {
    for (Accepted a : accepted) {
      if (a.duplicateOf == null) {
        a.failure = failure(a.deliveries);
        if (a.seen != null) {
          a.seen.delivered.join();
        }
      }
    }
    for (Accepted a : accepted) {
      if (a.duplicateOf != null && !a.duplicateOf.delivered.join()) {
        a.failure = "the message it duplicates was not published";
      }
    }
  }

  private DeliveryLane.Job job(
      Topic topic,
      Sub sub,
      Publication p,
      String message,
      Envelope.Notification notification,
      String messageId,
      String sequence,
      Instant now) {
    boolean raw = sub.raw();
    String body = raw ? message : notification.body(sub.arn);
    Map<String, MessageAttributeValue> attributes = raw ? sqsAttributes(p) : Map.of();
    // SNS passes the group on to FIFO queues, and from a standard topic to standard queues (fair
    // queues); a FIFO topic does not pass it to a standard queue.
    String group = sub.queue.fifo() || !topic.fifo ? p.messageGroupId() : null;
    String deduplicationId =
        sub.queue.fifo()
            ? p.messageDeduplicationId() != null
                ? p.messageDeduplicationId()
                : Validation.contentHash(p.message())
            : null;
    return new DeliveryLane.Job(
        topic.arn,
        messageId,
        p.messageGroupId(),
        sequence,
        now,
        body,
        attributes,
        group,
        deduplicationId);
  }

  private static Map<String, MessageAttributeValue> sqsAttributes(Publication p) {
    Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
    p.attributes()
        .forEach(
            (name, a) -> {
              MessageAttributeValue.Builder b =
                  MessageAttributeValue.builder().dataType(a.dataType());
              if (a.isBinary()) {
                b.binaryValue(SdkBytes.fromByteArray(a.binaryValue()));
              } else {
                b.stringValue(a.stringValue());
              }
              out.put(name, b.build());
            });
    return out;
  }

  /**
   * The next FIFO sequence number: 20 digits that grow with every message of the bus, also across
   * restarts (they start from the wall clock), as SNS's grow within each message group.
   */
  private String nextSequence() {
    long floor = System.currentTimeMillis() * 1_000_000L;
    lastSequence = Math.max(lastSequence + 1, floor);
    return "1" + String.format(Locale.ROOT, "%019d", lastSequence);
  }

  private void notifyObservers(Delivery delivery) {
    for (Consumer<Delivery> observer : observers) {
      try {
        observer.accept(delivery);
      } catch (RuntimeException e) {
        LOG.warn("a delivery observer failed", e);
      }
    }
  }

  // ------------------------------------------------------------- lifecycle

  /** Stops every delivery lane; what is still waiting fails. Safe to call twice. */
  @Override
  public void close() {
    List<Sub> subs;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      subs = new ArrayList<>(subscriptions.values());
    } finally {
      lock.unlock();
    }
    subs.forEach(sub -> sub.lane.close());
  }

  /** The public key that verifies the notifications' signatures, PEM-encoded. */
  String publicKeyPem() {
    return envelope.publicKeyPem();
  }

  // --------------------------------------------------------------- helpers

  /** A topic to publish to, with its deduplication setting read under the lock. */
  private record Target(Topic topic, boolean contentBasedDeduplication) {}

  private Target topicForPublish(String topicArn) {
    if (topicArn == null) {
      throw SnsException.invalidParameter(
          "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
    }
    lock.lock();
    try {
      Topic topic = topicOrThrow(topicArn);
      return new Target(topic, topic.contentBasedDeduplication());
    } finally {
      lock.unlock();
    }
  }

  private Topic topicOrThrow(String topicArn) {
    checkTopicArn(topicArn);
    Topic topic = topics.get(topicArn);
    if (topic == null) {
      throw SnsException.notFound("Topic does not exist");
    }
    return topic;
  }

  private Sub subscriptionOrThrow(String subscriptionArn) {
    if (!Arns.isSubscription(subscriptionArn)) {
      throw SnsException.invalidParameter("Invalid parameter: SubscriptionArn");
    }
    Sub sub = subscriptions.get(subscriptionArn);
    if (sub == null) {
      throw SnsException.notFound("Subscription does not exist");
    }
    return sub;
  }

  private static void checkTopicArn(String topicArn) {
    if (!Arns.isTopic(topicArn)) {
      throw SnsException.invalidParameter("Invalid parameter: TopicArn");
    }
  }

  private static boolean bool(String name, String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw SnsException.invalidParameter(
        "Invalid parameter: Attributes Reason: " + name + ": Invalid value [" + value + "]");
  }

  /** The value to store for a topic attribute, or an {@code InvalidParameter}. */
  private static String checkTopicAttribute(String name, String value, boolean fifo) {
    if (!TOPIC_ATTRIBUTES.contains(name) && !FEEDBACK_ATTRIBUTE.matcher(name).matches()) {
      throw SnsException.invalidParameter("Invalid parameter: AttributeName");
    }
    if (FIFO_ONLY_ATTRIBUTES.contains(name) && !fifo) {
      throw SnsException.invalidParameter(
          "Invalid parameter: Attributes Reason: " + name + " is only valid for FIFO topics");
    }
    return switch (name) {
      case "ContentBasedDeduplication" -> Boolean.toString(bool(name, value));
      case "FifoThroughputScope" -> {
        if (!value.equals("Topic") && !value.equals("MessageGroup")) {
          throw SnsException.invalidParameter(
              "Invalid parameter: Attributes Reason: FifoThroughputScope: Invalid value ["
                  + value
                  + "]. Please use either Topic or MessageGroup");
        }
        yield value;
      }
      case "SignatureVersion" -> {
        if (!value.equals("1") && !value.equals("2")) {
          throw SnsException.invalidParameter(
              "Invalid parameter: Attributes Reason: SignatureVersion: Invalid value ["
                  + value
                  + "]");
        }
        yield value;
      }
      case "Policy", "DeliveryPolicy", "TracingConfig", "DataProtectionPolicy", "ArchivePolicy" -> {
        if (!value.isEmpty() && !name.equals("TracingConfig")) {
          checkJsonObject(name, value);
        }
        yield value;
      }
      default -> value;
    };
  }

  /** The value to store for a subscription attribute ("" clears it), or an error. */
  private static String checkSubscriptionAttribute(String name, String value, Topic topic) {
    if (name == null || !SUBSCRIPTION_ATTRIBUTES.contains(name)) {
      throw SnsException.invalidParameter("Invalid parameter: AttributeName");
    }
    return switch (name) {
      case "RawMessageDelivery" -> Boolean.toString(bool(name, value));
      case "FilterPolicyScope" -> FilterPolicy.Scope.parse(value).name();
      case "RedrivePolicy" -> {
        if (value.isEmpty()) {
          yield value;
        }
        JsonNode policy = checkJsonObject(name, value);
        Arns.Queue dlq = Arns.queue(policy.path("deadLetterTargetArn").asText(null));
        if (dlq == null) {
          throw SnsException.invalidParameter(
              "Invalid parameter: RedrivePolicy: deadLetterTargetArn is not a valid SQS queue ARN");
        }
        if (topic != null && dlq.fifo() != topic.fifo) {
          throw SnsException.invalidParameter(
              "Invalid parameter: RedrivePolicy: "
                  + (topic.fifo
                      ? "a FIFO topic's subscription needs a FIFO dead-letter queue"
                      : "a standard topic's subscription needs a standard dead-letter queue"));
        }
        yield value;
      }
      case "DeliveryPolicy", "ReplayPolicy" -> {
        if (!value.isEmpty()) {
          checkJsonObject(name, value);
        }
        yield value;
      }
      default -> value;
    };
  }

  private static JsonNode checkJsonObject(String name, String value) {
    try {
      JsonNode node = JSON.readTree(value);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // reported below
    }
    throw SnsException.invalidParameter(
        "Invalid parameter: " + name + ": the value must be a JSON object");
  }

  private static FilterPolicy filterFrom(String policy, String scope) {
    if (policy == null || policy.isEmpty()) {
      return null;
    }
    return FilterPolicy.parse(
        policy,
        scope == null ? FilterPolicy.Scope.MessageAttributes : FilterPolicy.Scope.valueOf(scope));
  }

  private static String deadLetterArn(Map<String, String> attributes) {
    String policy = attributes.get("RedrivePolicy");
    if (policy == null || policy.isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(policy).path("deadLetterTargetArn").asText(null);
    } catch (IOException e) {
      return null;
    }
  }

  private DeliveryLane newLane(Sub sub) {
    DeliveryLane lane =
        new DeliveryLane(
            sqs, sub.arn, sub.endpoint, clock, options.retryBudget(), this::notifyObservers);
    lane.deadLetterQueue(deadLetterArn(sub.attributes));
    return lane;
  }

  private TopicInfo info(Topic topic) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("TopicArn", topic.arn);
    a.put("Owner", LocalAws.ACCOUNT_ID);
    a.put("Policy", defaultPolicy(topic.arn));
    a.put("DisplayName", "");
    a.put("SubscriptionsConfirmed", Integer.toString(topic.subscriptions.size()));
    a.put("SubscriptionsPending", "0");
    a.put("SubscriptionsDeleted", "0");
    a.put(
        "EffectiveDeliveryPolicy",
        "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,\"maxDelayTarget\":20,"
            + "\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,"
            + "\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},"
            + "\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":"
            + "{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}");
    if (topic.fifo) {
      a.put("FifoTopic", "true");
      a.put("ContentBasedDeduplication", "false");
      a.put("FifoThroughputScope", "Topic");
    }
    a.putAll(topic.attributes);
    return new TopicInfo(topic.arn, topic.name, topic.fifo, Map.copyOf(a));
  }

  private static String defaultPolicy(String topicArn) {
    return "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":"
        + "\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
        + "\"Action\":[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\","
        + "\"SNS:AddPermission\",\"SNS:RemovePermission\",\"SNS:DeleteTopic\","
        + "\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\",\"SNS:Publish\"],"
        + "\"Resource\":\""
        + topicArn
        + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\""
        + LocalAws.ACCOUNT_ID
        + "\"}}}]}";
  }

  private static SubscriptionInfo info(Sub sub, String queueUrl) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("SubscriptionArn", sub.arn);
    a.put("TopicArn", sub.topicArn);
    a.put("Owner", LocalAws.ACCOUNT_ID);
    a.put("Protocol", "sqs");
    a.put("Endpoint", sub.endpoint);
    a.put("ConfirmationWasAuthenticated", "true");
    a.put("PendingConfirmation", "false");
    a.put("RawMessageDelivery", "false");
    a.put("SubscriptionPrincipal", "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":root");
    a.putAll(sub.attributes);
    if (sub.filter != null) {
      a.put("FilterPolicyScope", sub.filter.scope().name());
    } else {
      a.remove("FilterPolicyScope");
    }
    return new SubscriptionInfo(
        sub.arn, sub.topicArn, "sqs", sub.endpoint, queueUrl, Map.copyOf(a));
  }

  // ------------------------------------------------------------ persistence

  /** Writes topics and subscriptions to the state file (atomically). Called with the lock held. */
  private void save() {
    Path file = options.stateFile();
    if (file == null) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    ArrayNode topicList = root.putArray("topics");
    for (Topic t : topics.values()) {
      ObjectNode node = topicList.addObject().put("name", t.name).put("fifo", t.fifo);
      ObjectNode attrs = node.putObject("attributes");
      t.attributes.forEach(attrs::put);
    }
    ArrayNode subList = root.putArray("subscriptions");
    for (Sub s : subscriptions.values()) {
      ObjectNode node =
          subList
              .addObject()
              .put("arn", s.arn)
              .put("topicArn", s.topicArn)
              .put("endpoint", s.endpoint);
      ObjectNode attrs = node.putObject("attributes");
      s.attributes.forEach(attrs::put);
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the event bus state to " + file, e);
    }
  }

  private void load() {
    Path file = options.stateFile();
    if (file == null || !Files.exists(file)) {
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the event bus state from " + file, e);
    }
    for (JsonNode node : root.path("topics")) {
      Topic topic =
          new Topic(
              node.path("name").asText(),
              Arns.topic(node.path("name").asText()),
              node.path("fifo").asBoolean());
      node.path("attributes")
          .properties()
          .forEach(e -> topic.attributes.put(e.getKey(), e.getValue().asText()));
      topics.put(topic.arn, topic);
    }
    for (JsonNode node : root.path("subscriptions")) {
      Topic topic = topics.get(node.path("topicArn").asText());
      Arns.Queue queue = Arns.queue(node.path("endpoint").asText());
      if (topic == null || queue == null) {
        continue;
      }
      Sub sub =
          new Sub(node.path("arn").asText(), topic.arn, node.path("endpoint").asText(), queue);
      node.path("attributes")
          .properties()
          .forEach(e -> sub.attributes.put(e.getKey(), e.getValue().asText()));
      sub.filter =
          filterFrom(sub.attributes.get("FilterPolicy"), sub.attributes.get("FilterPolicyScope"));
      sub.lane = newLane(sub);
      topic.subscriptions.put(sub.arn, sub);
      subscriptions.put(sub.arn, sub);
    }
    LOG.info(
        "event bus state restored from "
            + file
            + ": "
            + topics.size()
            + " topics, "
            + subscriptions.size()
            + " subscriptions");
  }

  // ------------------------------------------------------------------ state

  private static final class Topic {
    final String name;
    final String arn;
    final boolean fifo;
    final Map<String, String> attributes = new LinkedHashMap<>();
    final Map<String, Sub> subscriptions = new LinkedHashMap<>();

    /** The deduplication window: keys in the order they were accepted. */
    final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    Topic(String name, String arn, boolean fifo) {
      this.name = name;
      this.arn = arn;
      this.fifo = fifo;
    }

    String attribute(String key) {
      String value = attributes.get(key);
      if (value != null) {
        return value;
      }
      return switch (key) {
        case "ContentBasedDeduplication" -> "false";
        case "FifoThroughputScope" -> "Topic";
        case "SignatureVersion" -> "1";
        case "DisplayName" -> "";
        default -> null;
      };
    }

    boolean contentBasedDeduplication() {
      return fifo && "true".equals(attribute("ContentBasedDeduplication"));
    }

    String signatureVersion() {
      return attribute("SignatureVersion");
    }

    /**
     * The key a message is deduplicated by: its deduplication id (or the hash of its body), within
     * the topic or, with {@code FifoThroughputScope=MessageGroup}, within its message group.
     */
    String deduplicationKey(Publication p) {
      String id =
          p.messageDeduplicationId() != null
              ? p.messageDeduplicationId()
              : Validation.contentHash(p.message());
      return "MessageGroup".equals(attribute("FifoThroughputScope"))
          ? p.messageGroupId() + '\u0000' + id
          : id;
    }

    void forgetExpired(Instant now) {
      Instant horizon = now.minus(DEDUPLICATION_WINDOW);
      for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
        Seen s = it.next();
        if (s.acceptedAt.isAfter(horizon)) {
          return;
        }
        if (s.delivered.isDone()) {
          it.remove();
        } else {
          return;
        }
      }
    }
  }

  private static final class Sub {
    final String arn;
    final String topicArn;
    final String endpoint;
    final Arns.Queue queue;
    final Map<String, String> attributes = new LinkedHashMap<>();
    FilterPolicy filter;
    DeliveryLane lane;

    Sub(String arn, String topicArn, String endpoint, Arns.Queue queue) {
      this.arn = arn;
      this.topicArn = topicArn;
      this.endpoint = endpoint;
      this.queue = queue;
    }

    boolean raw() {
      return "true".equals(attributes.get("RawMessageDelivery"));
    }
  }

  /** A deduplication key's first message: the answer its duplicates get. */
  private static final class Seen {
    final Instant acceptedAt;
    final String messageId;
    final String sequenceNumber;
    final Object owner;

    /** Completes with whether the message was published; until then, duplicates wait. */
    final CompletableFuture<Boolean> delivered = new CompletableFuture<>();

    Seen(Instant acceptedAt, String messageId, String sequenceNumber, Object owner) {
      this.acceptedAt = acceptedAt;
      this.messageId = messageId;
      this.sequenceNumber = sequenceNumber;
      this.owner = owner;
    }
  }

  /** One message taken in by {@link #accept}, on its way. */
  private static final class Accepted {
    final String messageId;
    final String sequenceNumber;
    final String key;
    final Seen seen;
    final List<CompletableFuture<Delivery.Outcome>> deliveries;
    final Seen duplicateOf;
    String failure;

    Accepted(
        String messageId,
        String sequenceNumber,
        String key,
        Seen seen,
        List<CompletableFuture<Delivery.Outcome>> deliveries,
        Seen duplicateOf) {
      this.messageId = messageId;
      this.sequenceNumber = sequenceNumber;
      this.key = key;
      this.seen = seen;
      this.deliveries = deliveries;
      this.duplicateOf = duplicateOf;
    }

    static Accepted duplicate(Seen first) {
      return new Accepted(first.messageId, first.sequenceNumber, null, null, List.of(), first);
    }

    boolean succeeded() {
      return failure == null;
    }

    String failure() {
      return failure;
    }

    PublishResult result() {
      return new PublishResult(messageId, sequenceNumber, duplicateOf != null);
    }
  }
}
