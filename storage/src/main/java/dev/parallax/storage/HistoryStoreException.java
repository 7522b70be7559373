package dev.parallax.storage;

/** A history store could not be reached, or its storage failed. */
public class HistoryStoreException extends RuntimeException {

  /** With a message and the cause. */
  public HistoryStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** With a message. */
  public HistoryStoreException(String message) {
    super(message);
  }
}
