package io.innkeeper.local.resources;

import io.innkeeper.topology.PhysicalNames;
import io.innkeeper.topology.QueueSpec;
import io.innkeeper.topology.SubscriptionSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.TableSpec.KeyAttribute;
import io.innkeeper.topology.TableSpec.StreamView;
import io.innkeeper.topology.TopicSpec;
import io.innkeeper.topology.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Creates the topology's tables and queues, or adopts them when a data directory already has them
 * (so a restart keeps its data).
 */
public final class Provisioner {

  private final Topology topology;
  private final DynamoDbClient dynamoDb;
  private final SqsClient sqs;
  private final SnsClient sns;

  /** Without SNS: a topology whose topics are left out (the coldstart's stage). */
  public Provisioner(Topology topology, DynamoDbClient dynamoDb, SqsClient sqs) {
    this(topology, dynamoDb, sqs, null);
  }

  /**
   * @param sns where the topology's topics are created and its queues subscribed, with the SNS API
   *     as on AWS; {@code null} leaves them out
   */
  public Provisioner(Topology topology, DynamoDbClient dynamoDb, SqsClient sqs, SnsClient sns) {
    this.topology = topology;
    this.dynamoDb = dynamoDb;
    this.sqs = sqs;
    this.sns = sns;
  }

  /**
   * Physical names, queue URLs and ARNs, stream ARNs, topic ARNs and subscription ARNs (by queue
   * id) of what was provisioned.
   */
  public record Resources(
      Map<String, String> tableNames,
      Map<String, String> streamArns,
      Map<String, String> queueUrls,
      Map<String, String> queueArns,
      Map<String, String> topicArns,
      Map<String, String> subscriptionArns) {

    public Resources {
      tableNames = Map.copyOf(tableNames);
      streamArns = Map.copyOf(streamArns);
      queueUrls = Map.copyOf(queueUrls);
      queueArns = Map.copyOf(queueArns);
      topicArns = Map.copyOf(topicArns);
      subscriptionArns = Map.copyOf(subscriptionArns);
    }

    public Resources(
        Map<String, String> tableNames,
        Map<String, String> streamArns,
        Map<String, String> queueUrls,
        Map<String, String> queueArns) {
      this(tableNames, streamArns, queueUrls, queueArns, Map.of(), Map.of());
    }

    public String topicArn(String topicId) {
      return required(topicArns, topicId, "topic");
    }

    public String tableName(String tableId) {
      return required(tableNames, tableId, "table");
    }

    public String streamArn(String tableId) {
      return required(streamArns, tableId, "stream of table");
    }

    public String queueUrl(String queueId) {
      return required(queueUrls, queueId, "queue");
    }

    public String queueArn(String queueId) {
      return required(queueArns, queueId, "queue");
    }

    private static String required(Map<String, String> map, String id, String what) {
      String value = map.get(id);
      if (value == null) {
        throw new IllegalArgumentException("no " + what + " " + id);
      }
      return value;
    }
  }

  /** Creates (or adopts) everything, all tables and the queues in parallel. */
  public Resources provision() throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            topology.tables().size() + 1,
            r -> {
              Thread t = new Thread(r, "provision");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<Map<String, String[]>> queues = pool.submit(this::provisionQueues);
      Map<String, Future<TableDescription>> tables = new LinkedHashMap<>();
      for (TableSpec table : topology.tables()) {
        tables.put(table.id(), pool.submit(() -> ensureTable(table)));
      }
      Map<String, String> tableNames = new LinkedHashMap<>();
      Map<String, String> streamArns = new LinkedHashMap<>();
      for (Map.Entry<String, Future<TableDescription>> table : tables.entrySet()) {
        TableDescription description = await(table.getValue());
        tableNames.put(table.getKey(), description.tableName());
        if (description.latestStreamArn() != null) {
          streamArns.put(table.getKey(), description.latestStreamArn());
        }
      }
      Map<String, String> queueUrls = new LinkedHashMap<>();
      Map<String, String> queueArns = new LinkedHashMap<>();
      await(queues)
          .forEach(
              (id, urlAndArn) -> {
                queueUrls.put(id, urlAndArn[0]);
                queueArns.put(id, urlAndArn[1]);
              });
      Map<String, String> topicArns = new LinkedHashMap<>();
      Map<String, String> subscriptionArns = new LinkedHashMap<>();
      if (sns != null) {
        provisionTopics(queueArns, topicArns, subscriptionArns);
      }
      return new Resources(
          tableNames, streamArns, queueUrls, queueArns, topicArns, subscriptionArns);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Creates each topic (or adopts it: {@code CreateTopic} is idempotent for the same attributes)
   * and subscribes each subscription's queue with its attributes ({@code Subscribe} returns the
   * existing subscription for the same queue and attributes, and changed ones are set again).
   */
  private void provisionTopics(
      Map<String, String> queueArns,
      Map<String, String> topicArns,
      Map<String, String> subscriptionArns) {
    for (TopicSpec topic : topology.topics()) {
      Map<String, String> attributes = new LinkedHashMap<>();
      if (topic.fifo()) {
        attributes.put("FifoTopic", "true");
        attributes.put(
            "ContentBasedDeduplication", Boolean.toString(topic.contentBasedDeduplication()));
      }
      String arn =
          sns.createTopic(r -> r.name(PhysicalNames.topic(topic)).attributes(attributes))
              .topicArn();
      topicArns.put(topic.id(), arn);
    }
    for (SubscriptionSpec s : topology.subscriptions()) {
      String topicArn = topicArns.get(s.topicId());
      String queueArn = queueArns.get(s.queueId());
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("RawMessageDelivery", Boolean.toString(s.rawMessageDelivery()));
      if (s.filterPolicy() != null) {
        attributes.put("FilterPolicy", s.filterPolicy());
      }
      String existing = null;
      for (var sub :
          sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topicArn)).subscriptions()) {
        if (queueArn.equals(sub.endpoint())) {
          existing = sub.subscriptionArn();
        }
      }
      String arn;
      if (existing == null) {
        arn =
            sns.subscribe(
                    r ->
                        r.topicArn(topicArn)
                            .protocol("sqs")
                            .endpoint(queueArn)
                            .attributes(attributes)
                            .returnSubscriptionArn(true))
                .subscriptionArn();
      } else {
        // Kept from an earlier run: brought in line with the topology.
        arn = existing;
        String subscription = existing;
        attributes.forEach(
            (name, value) ->
                sns.setSubscriptionAttributes(
                    r ->
                        r.subscriptionArn(subscription).attributeName(name).attributeValue(value)));
      }
      subscriptionArns.put(s.queueId(), arn);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private TableDescription ensureTable(TableSpec table) {
    String name = PhysicalNames.table(table.id());
    List<KeySchemaElement> keySchema = keySchema(table.partitionKey(), table.sortKey());
    Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
    define(attributes, table.partitionKey());
    define(attributes, table.sortKey());
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (TableSpec.IndexSpec index : table.globalIndexes()) {
      define(attributes, index.partitionKey());
      define(attributes, index.sortKey());
      indexes.add(
          GlobalSecondaryIndex.builder()
              .indexName(index.name())
              .keySchema(keySchema(index.partitionKey(), index.sortKey()))
              .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
              .build());
    }
    var request =
        CreateTableRequest.builder()
            .tableName(name)
            .keySchema(keySchema)
            .attributeDefinitions(attributes.values())
            .billingMode(BillingMode.PAY_PER_REQUEST);
    if (!indexes.isEmpty()) {
      request.globalSecondaryIndexes(indexes);
    }
    if (table.stream() != StreamView.NONE) {
      request.streamSpecification(
          StreamSpecification.builder()
              .streamEnabled(true)
              .streamViewType(StreamViewType.fromValue(table.stream().name()))
              .build());
    }
    TableDescription description;
    try {
      description = dynamoDb.createTable(request.build()).tableDescription();
    } catch (ResourceInUseException alreadyThere) {
      description = dynamoDb.describeTable(r -> r.tableName(name)).table();
    }
    if (table.ttlAttribute() != null) {
      ensureTimeToLive(name, table.ttlAttribute());
    }
    return description;
  }

  private void ensureTimeToLive(String tableName, String attribute) {
    var current = dynamoDb.describeTimeToLive(r -> r.tableName(tableName)).timeToLiveDescription();
    if (current != null
        && current.timeToLiveStatus() == TimeToLiveStatus.ENABLED
        && attribute.equals(current.attributeName())) {
      return;
    }
    dynamoDb.updateTimeToLive(
        r ->
            r.tableName(tableName)
                .timeToLiveSpecification(s -> s.enabled(true).attributeName(attribute)));
  }

  private static List<KeySchemaElement> keySchema(KeyAttribute hash, KeyAttribute range) {
    List<KeySchemaElement> schema = new ArrayList<>();
    schema.add(KeySchemaElement.builder().attributeName(hash.name()).keyType(KeyType.HASH).build());
    if (range != null) {
      schema.add(
          KeySchemaElement.builder().attributeName(range.name()).keyType(KeyType.RANGE).build());
    }
    return schema;
  }

  private static void define(Map<String, AttributeDefinition> attributes, KeyAttribute key) {
    if (key == null) {
      return;
    }
    var definition =
        AttributeDefinition.builder()
            .attributeName(key.name())
            .attributeType(ScalarAttributeType.fromValue(key.type().name()))
            .build();
    AttributeDefinition previous = attributes.putIfAbsent(key.name(), definition);
    if (previous != null && !previous.equals(definition)) {
      throw new IllegalArgumentException(
          "attribute " + key.name() + " is used with two types: " + previous + ", " + definition);
    }
  }

  /** Queue id to {url, arn}; dead-letter targets first, since a redrive policy names their ARN. */
  private Map<String, String[]> provisionQueues() {
    Map<String, String[]> done = new HashMap<>();
    List<QueueSpec> pending = new ArrayList<>(topology.queues());
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (var it = pending.iterator(); it.hasNext(); ) {
        QueueSpec queue = it.next();
        if (queue.deadLetter() != null && !done.containsKey(queue.deadLetter().queueId())) {
          continue;
        }
        String dlqArn =
            queue.deadLetter() == null ? null : done.get(queue.deadLetter().queueId())[1];
        done.put(queue.id(), ensureQueue(queue, dlqArn));
        it.remove();
        progress = true;
      }
      if (!progress) {
        throw new IllegalArgumentException(
            "dead-letter queues missing or cyclic for "
                + pending.stream().map(QueueSpec::id).toList());
      }
    }
    return done;
  }

  private String[] ensureQueue(QueueSpec queue, String deadLetterArn) {
    String name = PhysicalNames.queue(queue);
    Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
    attributes.put(
        QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(queue.visibilityTimeoutSeconds()));
    attributes.put(
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(queue.retentionSeconds()));
    if (deadLetterArn != null) {
      attributes.put(
          QueueAttributeName.REDRIVE_POLICY,
          "{\"deadLetterTargetArn\":\""
              + deadLetterArn
              + "\",\"maxReceiveCount\":"
              + queue.deadLetter().maxReceiveCount()
              + "}");
    }
    Map<QueueAttributeName, String> createAttributes = new LinkedHashMap<>(attributes);
    if (queue.fifo()) {
      createAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    String url;
    try {
      url =
          sqs.createQueue(
                  CreateQueueRequest.builder().queueName(name).attributes(createAttributes).build())
              .queueUrl();
    } catch (QueueNameExistsException differentAttributes) {
      // Kept from an earlier run with other settings: bring it in line with the topology.
      url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
      String existing = url;
      sqs.setQueueAttributes(r -> r.queueUrl(existing).attributes(attributes));
    }
    String queueUrl = url;
    String arn =
        sqs.getQueueAttributes(
                r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    return new String[] {url, arn};
  }
}
