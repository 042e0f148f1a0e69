package io.innkeeper.cdk;

import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.FunctionSpec.EnvValue;
import io.innkeeper.topology.OutputNames;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.AssetCode;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Innkeeper on AWS, derived entirely from a {@link Topology}: its tables, queues, functions (with
 * their triggers and least-privilege access) and HTTP routes, plus the Cognito user pool, a few
 * alarms and the outputs that tooling uses to find the deployed resources.
 *
 * <p>Later additions (dashboards, alarm actions, cdk-nag) hook in through the accessors: every
 * resource is reachable by its topology id.
 */
public final class InnkeeperStack extends Stack {

  private final Topology topology;
  private final Map<String, Table> tables;
  private final Map<String, Queue> queues;
  private final Map<String, Topic> topics;
  private final Map<String, InnkeeperFunction> functions;
  private final InnkeeperApi api;
  private final List<Alarm> alarms;
  private final Dashboard dashboard;

  /** Builds the stack described by {@code props.topology()}. */
  public InnkeeperStack(Construct scope, String id, InnkeeperStackProps props) {
    super(scope, id, StackProps.builder().description(props.description()).build());
    this.topology = props.topology();
    TopologyRules.check(topology);

    this.tables = Tables.create(this, topology.tables());
    this.queues = Queues.create(this, topology.queues());
    this.topics = Topics.create(this, topology.topics());
    Topics.subscribe(topology.subscriptions(), topics, queues);

    // One asset for all functions: the jar is uploaded once and every function shares it.
    AssetCode code = Code.fromAsset(props.functionsJar().toString());
    Construct functionGroup = new Construct(this, "Functions");
    Map<String, InnkeeperFunction> built = new LinkedHashMap<>();
    for (FunctionSpec spec : topology.functions()) {
      var fn =
          new InnkeeperFunction(
              functionGroup,
              Names.pascal(spec.id()),
              new InnkeeperFunction.Props(
                  spec,
                  code,
                  environment(spec),
                  props.logRetention(),
                  props.reserveConcurrency()
                      ? ReservedConcurrency.byFunction().get(spec.id())
                      : null));
      AccessGrants.apply(fn.role(), spec.access(), tables, queues, topics);
      Triggers.bind(fn, tables, queues);
      acknowledgeWildcards(fn);
      built.put(spec.id(), fn);
    }
    this.functions = Collections.unmodifiableMap(built);

    this.api =
        new InnkeeperApi(
            this,
            "Api",
            new InnkeeperApi.Props(
                topology.routes(),
                functions,
                props.apiRateLimit(),
                props.apiBurstLimit(),
                props.logRetention()));
    var metrics = new CatalogMetrics(serviceName());
    this.alarms = List.copyOf(Alarms.create(this, topology, queues, functions, metrics));
    this.dashboard =
        OnCallDashboard.create(
            this,
            api.httpApi(),
            queues,
            functions,
            Alarms.parkingQueues(topology),
            topology.projections(),
            topics,
            topology.subscriptions().stream().map(sub -> subscriberOf(sub.queueId())).toList(),
            metrics,
            alarms);
    outputs();
  }

  /**
   * The deployment's name in the functions' metrics ({@code SERVICE_NAME}): the stack name, which
   * is unique per account and region and known to CloudFormation, so synthesis needs no account.
   */
  public static String serviceName() {
    return Aws.STACK_NAME;
  }

  /**
   * The only {@code *} resources in a function's policy are the ones AWS offers nothing narrower
   * for; AccessTest.REQUIRED_WILDCARDS fails the build on any other action on {@code *}.
   */
  private static void acknowledgeWildcards(InnkeeperFunction fn) {
    String reason =
        "Resource * only for actions without resource-level permissions: X-Ray's"
            + " PutTraceSegments and PutTelemetryRecords (active tracing)";
    if (fn.spec().triggers().stream().anyMatch(Trigger.StreamTrigger.class::isInstance)) {
      reason += ", and dynamodb:ListStreams, which the stream event source mapping calls";
    }
    Nag.acknowledge(
        fn.role().getNode().findChild("DefaultPolicy"),
        "IAM5[Resource::*]",
        reason + ". Every other statement names its table, stream, queue or log group.");
  }

  /** The function that consumes {@code queueId}: a subscriber service, named by its id. */
  private String subscriberOf(String queueId) {
    return topology.functions().stream()
        .filter(
            f ->
                f.triggers().stream()
                    .anyMatch(
                        t -> t instanceof Trigger.SqsTrigger q && q.queueId().equals(queueId)))
        .map(FunctionSpec::id)
        .findFirst()
        .orElse(queueId);
  }

  private Map<String, String> environment(FunctionSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    spec.environment().forEach((name, value) -> env.put(name, resolve(value)));
    return env;
  }

  private String resolve(EnvValue value) {
    if (value instanceof EnvValue.Literal literal) {
      return literal.value();
    } else if (value instanceof EnvValue.TableName table) {
      return AccessGrants.table(tables, table.tableId()).getTableName();
    } else if (value instanceof EnvValue.QueueUrl queue) {
      return AccessGrants.queue(queues, queue.queueId()).getQueueUrl();
    } else if (value instanceof EnvValue.TopicArn topic) {
      return Topics.topic(topics, topic.topicId()).getTopicArn();
    } else if (value instanceof EnvValue.ServiceName) {
      return serviceName();
    } else if (value instanceof EnvValue.DeploymentKey) {
      // The UUID at the end of the stack's id: unique to this deployment, stable across updates,
      // visible to the account's operators but never to API callers. Synthesis stays
      // deterministic because CloudFormation fills it in at deploy time.
      return Fn.select(2, Fn.split("/", Aws.STACK_ID));
    }
    throw new IllegalArgumentException("unknown environment value " + value);
  }

  private void outputs() {
    output(OutputNames.API_URL, api.stage().getUrl(), "Base URL of the HTTP API");
    output(
        OutputNames.USER_POOL_ID,
        api.userPool().getUserPoolId(),
        "Cognito user pool of API callers");
    output("DashboardName", dashboard.getDashboardName(), "The on-call CloudWatch dashboard");
    output(
        OutputNames.USER_POOL_CLIENT_ID,
        api.userPoolClient().getUserPoolClientId(),
        "Cognito app client for InitiateAuth (USER_PASSWORD_AUTH or SRP)");
    tables.forEach(
        (id, table) ->
            output(tableNameOutput(id), table.getTableName(), "Name of the " + id + " table"));
    queues.forEach(
        (id, queue) ->
            output(queueUrlOutput(id), queue.getQueueUrl(), "URL of the " + id + " queue"));
    topics.forEach(
        (id, topic) ->
            output(
                OutputNames.topicArn(id),
                topic.getTopicArn(),
                "ARN of the " + id + " topic: subscribe a queue to it to follow the events"));
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  /**
   * The output holding the physical name of table {@code tableId}, e.g. {@code TableEventsName}.
   */
  public static String tableNameOutput(String tableId) {
    return OutputNames.tableName(tableId);
  }

  /** The output holding the URL of queue {@code queueId}, e.g. {@code QueueCommandQueueUrl}. */
  public static String queueUrlOutput(String queueId) {
    return OutputNames.queueUrl(queueId);
  }

  /** The topology this stack was built from. */
  public Topology topology() {
    return topology;
  }

  /** Tables by topology id, in topology order. */
  public Map<String, Table> tables() {
    return Collections.unmodifiableMap(tables);
  }

  /** Queues by topology id, in topology order. */
  public Map<String, Queue> queues() {
    return Collections.unmodifiableMap(queues);
  }

  /** Topics by topology id, in topology order. */
  public Map<String, Topic> topics() {
    return Collections.unmodifiableMap(topics);
  }

  /** Functions by topology id, in topology order. */
  public Map<String, InnkeeperFunction> functions() {
    return functions;
  }

  /** The HTTP API with its user pool. */
  public InnkeeperApi api() {
    return api;
  }

  /** The on-call dashboard. */
  public Dashboard dashboard() {
    return dashboard;
  }

  /** The alarms, without actions: add them here. */
  public List<Alarm> alarms() {
    return alarms;
  }
}
