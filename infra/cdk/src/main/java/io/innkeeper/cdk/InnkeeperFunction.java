package io.innkeeper.cdk;

import io.innkeeper.topology.FunctionSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One topology function on AWS: its own role (which starts with nothing but its log group and
 * X-Ray), its log group, the function with SnapStart and active tracing, and the {@value #ALIAS}
 * alias. Everything that invokes the function targets the alias, because SnapStart only applies to
 * published versions.
 */
public final class InnkeeperFunction extends Construct {

  /** The alias that triggers and routes invoke. */
  public static final String ALIAS = "live";

  private final FunctionSpec spec;
  private final Role role;
  private final LogGroup logGroup;
  private final Function function;
  private final Alias alias;

  /**
   * Properties of an {@link InnkeeperFunction}.
   *
   * @param reservedConcurrency executions reserved for the function (also its ceiling), or {@code
   *     null} for none
   */
  public record Props(
      FunctionSpec spec,
      Code code,
      Map<String, String> environment,
      RetentionDays logRetention,
      Integer reservedConcurrency) {
    public Props {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(code, "code");
      environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
      Objects.requireNonNull(logRetention, "logRetention");
    }

    /** Without reserved concurrency. */
    public Props(
        FunctionSpec spec, Code code, Map<String, String> environment, RetentionDays logRetention) {
      this(spec, code, environment, logRetention, null);
    }
  }

  /** Builds the function described by {@code props.spec()} under {@code scope}. */
  public InnkeeperFunction(Construct scope, String id, Props props) {
    super(scope, id);
    this.spec = props.spec();
    this.logGroup =
        LogGroup.Builder.create(this, "Logs")
            .retention(props.logRetention())
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    // An explicit role instead of the default one with AWSLambdaBasicExecutionRole: that managed
    // policy lets a function write to any log group, this one only to its own.
    this.role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description("Innkeeper function " + spec.id())
            .build();
    logGroup.grantWrite(role);
    this.function =
        Function.Builder.create(this, "Function")
            .description("Innkeeper " + spec.id())
            .runtime(Runtime.JAVA_21)
            .architecture(Architecture.ARM_64)
            .memorySize(spec.memoryMb())
            .timeout(Duration.seconds(spec.timeoutSeconds()))
            .handler(spec.handler() + "::handleRequest")
            .code(props.code())
            .environment(props.environment())
            .role(role)
            .logGroup(logGroup)
            .reservedConcurrentExecutions(props.reservedConcurrency())
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            // Also grants the role X-Ray's PutTraceSegments and PutTelemetryRecords.
            .tracing(Tracing.ACTIVE)
            .build();
    Nag.acknowledge(
        function,
        "L1",
        "java21 is the runtime docs/architecture.md names (an LTS runtime with SnapStart). The"
            + " code is compiled for Java 21 (the release flag keeps newer APIs out): moving to"
            + " java25 is a change of its own, with its cold start measured, not a synth-time"
            + " default.");
    Annotations.of(function)
        .acknowledgeWarning(
            "@aws-cdk/aws-lambda:snapStartRequirePublish",
            "Every trigger and route invokes the published version behind the '"
                + ALIAS
                + "' alias");
    this.alias =
        Alias.Builder.create(this, "Live")
            .aliasName(ALIAS)
            .version(function.getCurrentVersion())
            .build();
  }

  /** What the topology says about this function. */
  public FunctionSpec spec() {
    return spec;
  }

  /** The execution role; grants go here. */
  public Role role() {
    return role;
  }

  /** The log group the function writes to. */
  public LogGroup logGroup() {
    return logGroup;
  }

  /** The unpublished function ({@code $LATEST}); invoke {@link #alias()} instead. */
  public Function function() {
    return function;
  }

  /** The {@value #ALIAS} alias: the published, SnapStart-enabled version everything invokes. */
  public Alias alias() {
    return alias;
  }
}
