package io.innkeeper.local.sns;

/**
 * An SNS error as the service reports it: the error code, the HTTP status and whether the caller is
 * at fault. The codes and statuses are the ones in SNS's own API model (2010-03-31), so an AWS SDK
 * raises its matching exception type: {@code InvalidParameter} 400 is {@code
 * InvalidParameterException}, {@code ParameterValueInvalid} 400 is {@code
 * InvalidParameterValueException}, {@code NotFound} 404 is {@code NotFoundException}, and so on.
 */
public final class SnsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;
  private final int status;
  private final boolean senderFault;

  public SnsException(String code, int status, boolean senderFault, String message) {
    super(message);
    this.code = code;
    this.status = status;
    this.senderFault = senderFault;
  }

  /** The error code, e.g. {@code InvalidParameter}. */
  public String code() {
    return code;
  }

  /** The HTTP status SNS answers this error with. */
  public int status() {
    return status;
  }

  /** {@code true} when the request was wrong, {@code false} when the service failed. */
  public boolean senderFault() {
    return senderFault;
  }

  static SnsException invalidParameter(String message) {
    return new SnsException("InvalidParameter", 400, true, message);
  }

  /**
   * SNS's {@code InvalidParameterValueException}, whose wire code is {@code ParameterValueInvalid}.
   */
  static SnsException invalidParameterValue(String message) {
    return new SnsException("ParameterValueInvalid", 400, true, message);
  }

  static SnsException notFound(String message) {
    return new SnsException("NotFound", 404, true, message);
  }

  static SnsException internalError(String message) {
    return new SnsException("InternalError", 500, false, message);
  }

  static SnsException emptyBatch() {
    return new SnsException(
        "EmptyBatchRequest", 400, true, "The batch request doesn't contain any entries.");
  }

  static SnsException tooManyEntries() {
    return new SnsException(
        "TooManyEntriesInBatchRequest",
        400,
        true,
        "The batch request contains more entries than permissible.");
  }

  static SnsException batchIdsNotDistinct() {
    return new SnsException(
        "BatchEntryIdsNotDistinct",
        400,
        true,
        "Two or more batch entries in the request have the same Id.");
  }

  static SnsException invalidBatchEntryId(String id) {
    return new SnsException(
        "InvalidBatchEntryId",
        400,
        true,
        "The Id of a batch entry in a batch request doesn't abide by the specification: " + id);
  }

  static SnsException batchTooLong() {
    return new SnsException(
        "BatchRequestTooLong",
        400,
        true,
        "The length of all the messages put together is more than the limit.");
  }
}
