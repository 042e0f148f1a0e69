package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.Priming;
import io.innkeeper.core.ReadOnly;
import io.innkeeper.core.aws.Deadline;
import io.innkeeper.core.bus.SubscriberRuntime;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.domain.SubscriberService;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.events.published.CloudEvent;

/**
 * A subscriber service's consumer (e.g. {@code guest-messages}): applies the integration events its
 * SQS FIFO queue receives from the event bus to the service's own tables. {@value #SERVICE} names
 * the service among the domain's {@link Domain#subscribers()}.
 */
public final class SubscriberHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  /** The variable naming the subscriber service this function runs. */
  public static final String SERVICE = "SUBSCRIBER_SERVICE";

  private final String function;
  private final SubscriberRuntime runtime;
  private final Priming priming;

  /** Lambda's constructor: SDK clients are built once here, primed, and captured by SnapStart. */
  public SubscriberHandler() {
    this(Domains.load(), new DynamoRowStore(Aws.dynamoDb()));
    priming.register();
  }

  private SubscriberHandler(Domain domain, RowStore store) {
    this(domain, service(domain, Env.require(SERVICE)), store, null);
  }

  /**
   * @param tables the service's tables; {@code null} reads them from the environment
   */
  public SubscriberHandler(
      Domain domain, SubscriberService service, RowStore store, Tables tables) {
    Tables mine = tables != null ? tables : Tables.fromEnvironment(service.tables());
    this.function = service.id();
    this.runtime =
        new SubscriberRuntime(
            service.id(),
            domain.publishedLanguage(),
            service.subscriber().apply(mine),
            store,
            mine.name(service.marksTable()));
    var dryRun =
        new SubscriberRuntime(
            service.id(),
            domain.publishedLanguage(),
            service.subscriber().apply(mine),
            ReadOnly.rows(store),
            mine.name(service.marksTable()));
    // The domain's sample events, published as the publisher would and applied up to the write.
    this.priming = new Priming(function);
    String source = CloudEvent.sourceOf("priming", domain.name());
    for (PrimingSamples.Event sample : domain.primingSamples().events()) {
      var stored = ProjectorRuntime.decode(PrimingEvents.eventImage(sample));
      var event =
          domain
              .publishedLanguage()
              .publish(
                  source,
                  stored.streamId(),
                  stored.version(),
                  stored.occurredAt(),
                  domain.eventTypes().decode(stored.type(), stored.schemaVersion(), stored.data()));
      event.ifPresent(
          e ->
              priming.step(
                  e.type() + ": applied, stopped at the write",
                  () -> ReadOnly.untilFirstWrite(() -> dryRun.accept(e.toJson()))));
    }
  }

  /** The service named {@code id} among the domain's. */
  static SubscriberService service(Domain domain, String id) {
    return domain.subscribers().stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    SERVICE
                        + "="
                        + id
                        + " names no subscriber service of the domain "
                        + domain.name()));
  }

  /** The SnapStart hook; package-private so tests can prime directly. */
  Priming priming() {
    return priming;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    try (Log.Scope scope =
        Log.invocation(
            function, "awsRequestId", context == null ? null : context.getAwsRequestId())) {
      return runtime.handle(event, Deadline.of(context));
    }
  }
}
