package io.innkeeper.local.lambda;

/**
 * Invokes a function of the topology the way the Lambda Java runtime does: the event arrives as
 * Lambda-format JSON, is deserialized with {@code aws-lambda-java-serialization} into the handler's
 * input type, and the handler's answer is serialized back to JSON.
 */
public interface FunctionInvoker {

  /**
   * Invokes function {@code functionId} (a topology function id) with one event.
   *
   * @param functionId e.g. {@code query-api}
   * @param eventJson the event exactly as Lambda would deliver it
   * @return the handler's response as JSON ({@code null} for a void handler)
   * @throws FunctionError when the handler throws (the invocation failed, as Lambda reports it)
   */
  String invoke(String functionId, String eventJson) throws FunctionError;

  /** A failed invocation: the handler threw, timed out or could not be constructed. */
  final class FunctionError extends Exception {
    private static final long serialVersionUID = 1L;

    public FunctionError(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
