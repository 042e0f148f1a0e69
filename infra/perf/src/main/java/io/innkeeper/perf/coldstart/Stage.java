package io.innkeeper.perf.coldstart;

import io.innkeeper.client.HttpApi;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.fixture.ColdStartChain;
import io.innkeeper.local.LocalOptions;
import io.innkeeper.local.LocalRuntime;
import io.innkeeper.local.emulators.AwsEndpoints;
import io.innkeeper.local.emulators.Emulators;
import io.innkeeper.local.lambda.LambdaEnvironment;
import io.innkeeper.local.resources.Provisioner;
import io.innkeeper.local.resources.Provisioner.Resources;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.SubscriptionSpec;
import io.innkeeper.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the measured functions run against: DynamoDB Local, ElasticMQ and the local event bus (SNS)
 * in this JVM with the topology's tables, queues, topics and subscriptions, and what the domain's
 * chain needs ({@link io.innkeeper.core.domain.fixture.ColdStartChain#setUp}, e.g. a hotel with
 * rooms to book).
 *
 * <p>That is set up through a local runtime of its own on these emulators, which is then stopped:
 * while the function JVMs run, no poller consumes the command queue, the events stream or a
 * subscribed queue, so each event a child gets is exactly the one the chain put there, and nothing
 * else competes for the CPU. What the setup's publisher had not yet delivered when the runtime
 * stopped is cleared from the subscribed queues, so a run's subscriber reads only the bus's
 * delivery of its own command. The setup also takes the emulators once through every path a run
 * uses, so the first measured run does not pay for the emulators' own warm-up.
 */
final class Stage implements AutoCloseable {

  private final Emulators emulators;
  private final DynamoDbClient dynamoDb;
  private final DynamoDbStreamsClient streams;
  private final SqsClient sqs;
  private final Resources resources;
  private final Map<String, String> resolved;
  private String summary = "";

  private Stage(Emulators emulators, Resources resources, Topology topology) {
    this.emulators = emulators;
    this.resolved =
        LambdaEnvironment.resolve(
            topology, resources::tableName, resources::queueUrl, resources::topicArn);
    AwsEndpoints endpoints = emulators.endpoints();
    this.dynamoDb = LocalAws.dynamoDb(endpoints.dynamoDb());
    this.streams = LocalAws.dynamoDbStreams(endpoints.dynamoDbStreams());
    this.sqs = LocalAws.sqs(endpoints.sqs());
    this.resources = resources;
  }

  /**
   * @param chain the domain's chain, which keeps what its setup made for the runs' commands
   */
  static Stage start(Topology topology, Domain domain, ColdStartChain chain) throws Exception {
    long started = System.nanoTime();
    Emulators emulators = Emulators.start(null);
    Stage stage = null;
    try {
      Resources resources;
      try (DynamoDbClient ddb = LocalAws.dynamoDb(emulators.endpoints().dynamoDb());
          SqsClient sqs = LocalAws.sqs(emulators.endpoints().sqs());
          SnsClient sns = LocalAws.sns(emulators.endpoints().sns())) {
        resources = new Provisioner(topology, ddb, sqs, sns).provision();
      }
      stage = new Stage(emulators, resources, topology);
      long emulatorsReady = System.nanoTime();
      String setUp = stage.setUp(topology, domain, chain);
      stage.clearSubscribedQueues(topology);
      stage.summary =
          String.format(
              "emulators %d ms, %s set up in %d ms",
              (emulatorsReady - started) / 1_000_000,
              setUp,
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

  /** Sets up what the chain's command needs, through the API of a runtime of its own. */
  private String setUp(Topology topology, Domain domain, ColdStartChain chain) throws Exception {
    LocalOptions options =
        LocalOptions.of(domain)
            .withTopology(topology)
            .withPort(0)
            .withSeed(false)
            .withExternal(emulators.endpoints());
    try (LocalRuntime runtime = LocalRuntime.start(options)) {
      return chain.setUp(new HttpApi(runtime.apiUrl(), runtime::mintToken));
    }
  }

  /**
   * Deletes what is on each subscribed queue: deliveries of the setup's events the setup's
   * subscribers did not take before their runtime stopped.
   */
  private void clearSubscribedQueues(Topology topology) {
    for (SubscriptionSpec subscription : topology.subscriptions()) {
      String url = resources.queueUrl(subscription.queueId());
      List<Message> messages;
      do {
        messages =
            sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                .messages();
        messages.forEach(
            m -> sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle())));
      } while (!messages.isEmpty());
    }
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

  /**
   * Deletes what a run received, as Lambda's poller does after a batch (a failed one too here), so
   * the next run's message is not held up behind it in its FIFO group.
   */
  void deleteAll(String queueUrl, List<Message> messages) {
    messages.forEach(
        m -> sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
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
        emulators.endpoints().sqs().toString(),
        LambdaEnvironment.SNS_ENDPOINT,
        emulators.endpoints().sns().toString());
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
}
