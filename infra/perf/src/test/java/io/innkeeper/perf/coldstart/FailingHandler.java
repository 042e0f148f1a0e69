package io.innkeeper.perf.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A function whose constructor fails, as one does when its configuration is missing. */
public final class FailingHandler implements RequestHandler<Map<String, Object>, String> {

  public FailingHandler() {
    throw new IllegalStateException("environment variable NOT_THERE is not set");
  }

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    return "unreachable";
  }
}
