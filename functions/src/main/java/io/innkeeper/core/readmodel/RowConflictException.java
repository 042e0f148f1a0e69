package io.innkeeper.core.readmodel;

/** A conditional write found a row that changed since it was read; read again and retry. */
public final class RowConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RowConflictException(String message) {
    super(message, null, false, false);
  }
}
