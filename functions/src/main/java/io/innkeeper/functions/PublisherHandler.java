package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.Priming;
import io.innkeeper.core.aws.Deadline;
import io.innkeeper.core.bus.PublisherRuntime;
import io.innkeeper.core.bus.SnsTopic;
import io.innkeeper.core.bus.TopicPort;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.obs.MetricCatalog;
import io.innkeeper.events.published.CloudEvent;

/**
 * publisher: the events stream's second reader; publishes each event's integration event on the
 * event bus (an SNS FIFO topic).
 */
public final class PublisherHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  /** The function's id in the topology, as every log line names it. */
  static final String FUNCTION = "publisher";

  /** The variable holding the topic's ARN. */
  public static final String TOPIC_ARN = "EVENT_TOPIC_ARN";

  private final PublisherRuntime runtime;
  private final Priming priming;

  /** Lambda's constructor: SDK clients are built once here, primed, and captured by SnapStart. */
  public PublisherHandler() {
    this(
        Domains.load(),
        new SnsTopic(Aws.sns(), Env.require(TOPIC_ARN)),
        Env.get(MetricCatalog.SERVICE_NAME_ENV).orElse(MetricCatalog.LOCAL_SERVICE_NAME));
    priming.register();
  }

  /**
   * @param deployment the deployment's name, the middle of every event's {@code source}
   */
  public PublisherHandler(Domain domain, TopicPort topic, String deployment) {
    String source = CloudEvent.sourceOf(deployment, domain.name());
    this.runtime =
        new PublisherRuntime(domain.publishedLanguage(), domain.eventTypes(), topic, source);
    // The mapping and the envelope of each sample, up to the entry a call would send: nothing is
    // published while priming.
    this.priming = new Priming(FUNCTION);
    for (PrimingSamples.Event sample : domain.primingSamples().events()) {
      priming.step(
          sample.type() + " v" + sample.schemaVersion() + ": mapped, not published",
          () ->
              runtime
                  .integrationEvent(
                      io.innkeeper.core.projection.ProjectorRuntime.decode(
                          PrimingEvents.eventImage(sample)))
                  .ifPresent(e -> PublisherRuntime.entry("0", e).size()));
    }
  }

  /** The SnapStart hook; package-private so tests can prime directly. */
  Priming priming() {
    return priming;
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    try (Log.Scope scope =
        Log.invocation(
            FUNCTION, "awsRequestId", context == null ? null : context.getAwsRequestId())) {
      return runtime.handle(event, Deadline.of(context));
    }
  }
}
