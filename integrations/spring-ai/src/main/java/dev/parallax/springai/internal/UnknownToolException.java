package dev.parallax.springai.internal;

import java.io.Serial;

/** The model called a tool that the request does not offer. May change at any time. */
public final class UnknownToolException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the exception with the message the model will read. */
  public UnknownToolException(String message) {
    super(message, null, false, false);
  }
}
