package io.innkeeper.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.PhysicalNames;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The {@link Context} of one local invocation. */
final class LocalContext implements Context {

  private final FunctionSpec function;
  private final String requestId;
  private final String logStream;
  private final long deadlineNanos;
  private final LambdaLogger logger;

  LocalContext(FunctionSpec function, String requestId, String logStream, long deadlineNanos) {
    this.function = function;
    this.requestId = requestId;
    this.logStream = logStream;
    this.deadlineNanos = deadlineNanos;
    this.logger = new StderrLogger(function.id(), requestId);
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + getFunctionName();
  }

  @Override
  public String getLogStreamName() {
    return logStream;
  }

  @Override
  public String getFunctionName() {
    return PhysicalNames.function(function.id());
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return LocalAws.functionArn(getFunctionName());
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, remaining));
  }

  @Override
  public int getMemoryLimitInMB() {
    return function.memoryMb();
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }

  /** Writes each log call as one line on stderr, tagged with function and request. */
  static final class StderrLogger implements LambdaLogger {
    private final String prefix;

    StderrLogger(String functionId, String requestId) {
      this.prefix = "[" + functionId + " " + requestId.substring(0, 8) + "] ";
    }

    @Override
    public void log(String message) {
      write(prefix + message);
    }

    @Override
    public void log(byte[] message) {
      log(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void log(String message, LogLevel level) {
      if (level == null || level == LogLevel.UNDEFINED) {
        log(message);
      } else {
        write(prefix + level + " " + message);
      }
    }

    private static void write(String line) {
      PrintStream err = System.err;
      err.println(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
    }
  }
}
