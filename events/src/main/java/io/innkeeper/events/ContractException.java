package io.innkeeper.events;

/** A payload does not fit the published contract: unknown type, missing or mistyped field. */
public final class ContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContractException(String message) {
    super(message);
  }

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
