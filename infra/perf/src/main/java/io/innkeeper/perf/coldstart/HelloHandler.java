package io.innkeeper.perf.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The floor {@code coldstart} measures the functions against: the smallest Java handler Lambda can
 * run, a constant answer to any JSON object. Its artifact is a jar with only this class, built at
 * run time, and it is started and timed exactly as the functions are.
 */
public final class HelloHandler implements RequestHandler<Map<String, Object>, String> {

  /** What every invoke answers. */
  public static final String ANSWER = "hello, world";

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    return ANSWER;
  }
}
