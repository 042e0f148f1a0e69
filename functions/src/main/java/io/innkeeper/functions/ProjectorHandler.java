package io.innkeeper.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.innkeeper.core.Aws;
import io.innkeeper.core.Env;
import io.innkeeper.core.projection.Projection;
import io.innkeeper.core.projection.ProjectorRuntime;
import io.innkeeper.hotel.HotelDomain;
import java.util.List;

/** projector: the one reader of the events stream; feeds every projection. */
public final class ProjectorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private final ProjectorRuntime runtime;

  /** Lambda's constructor: SDK clients are built once here (and captured by SnapStart). */
  public ProjectorHandler() {
    this(
        HotelDomain.projections(
            Aws.dynamoDb(), new HotelDomain.QueryTables(Env.require("HOTELS_TABLE"))));
  }

  public ProjectorHandler(List<Projection> projections) {
    this.runtime = new ProjectorRuntime(projections);
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    return runtime.handle(event);
  }
}
