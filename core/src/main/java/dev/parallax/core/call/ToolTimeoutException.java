package dev.parallax.core.call;

import java.time.Duration;

/** The error of a call whose attempt or run ran out of time. */
public final class ToolTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration limit;

  /** Creates the exception; the message should name the call and the limit. */
  public ToolTimeoutException(String message, Duration limit) {
    super(message);
    this.limit = limit;
  }

  /** The time limit that was exceeded. */
  public Duration limit() {
    return limit;
  }
}
