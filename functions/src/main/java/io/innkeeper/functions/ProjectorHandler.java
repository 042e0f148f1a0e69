package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.Priming;
import io.innkeeper.core.ReadOnly;
import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.core.domain.PrimingSamples;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.obs.Log;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.RowStore;
import java.util.Map;

/** projector: the one reader of the events stream; feeds every projection. */
public final class ProjectorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  /** The function's id in the topology, as every log line names it. */
  static final String FUNCTION = "projector";

  private final ProjectorRuntime runtime;
  private final Priming priming;

  /** Lambda's constructor: SDK clients are built once here, primed, and captured by SnapStart. */
  public ProjectorHandler() {
    this(Domains.load());
    priming.register();
  }

  private ProjectorHandler(Domain domain) {
    this(
        domain,
        new DynamoRowStore(Aws.dynamoDb()),
        Tables.fromEnvironment(domain.queryTables()),
        Env.require("WATERMARKS_TABLE"));
  }

  public ProjectorHandler(Domain domain, RowStore store, Tables tables, String watermarksTable) {
    this.runtime =
        new ProjectorRuntime(
            domain.projections(tables),
            store,
            new Watermarks(store, watermarksTable),
            domain.eventTypes());
    // The real projection path over a store that refuses the commit: priming does the reads and
    // the work a stream record does, and cannot change a row whatever the samples hold.
    RowStore readOnly = ReadOnly.rows(store);
    var dryRun =
        new ProjectorRuntime(
            domain.projections(tables),
            readOnly,
            new Watermarks(readOnly, watermarksTable),
            domain.eventTypes());
    this.priming = new Priming(FUNCTION);
    for (PrimingSamples.Event sample : domain.primingSamples().events()) {
      priming.step(
          sample.type() + " v" + sample.schemaVersion() + ": projected, stopped at the commit",
          () -> prime(dryRun, PrimingEvents.eventImage(sample)));
    }
  }

  private static void prime(ProjectorRuntime dryRun, Map<String, AttributeValue> image) {
    var stored = ProjectorRuntime.decode(image);
    ReadOnly.untilFirstWrite(() -> dryRun.project(stored));
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
      return runtime.handle(event, io.innkeeper.core.aws.Deadline.of(context));
    }
  }
}
