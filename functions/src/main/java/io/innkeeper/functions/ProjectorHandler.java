package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.core.readmodel.DynamoRowStore;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.hotel.HotelDomain;

/** projector: the one reader of the events stream; feeds every projection. */
public final class ProjectorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private final ProjectorRuntime runtime;

  /** Lambda's constructor: SDK clients are built once here (and captured by SnapStart). */
  public ProjectorHandler() {
    this(
        new DynamoRowStore(Aws.dynamoDb()),
        HotelDomain.QueryTables.fromEnvironment(),
        Env.require("WATERMARKS_TABLE"));
  }

  public ProjectorHandler(RowStore store, HotelDomain.QueryTables tables, String watermarksTable) {
    this.runtime =
        new ProjectorRuntime(
            HotelDomain.projections(tables), store, new Watermarks(store, watermarksTable));
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    return runtime.handle(event);
  }
}
