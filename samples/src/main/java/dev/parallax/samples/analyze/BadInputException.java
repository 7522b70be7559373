package dev.parallax.samples.analyze;

/**
 * An input file or option that cannot be analysed: a missing file, malformed JSON, an unknown
 * format, a cycle, a task without a runtime, a bad option value. Its message is one line that names
 * the file and what is wrong; the command prints it and exits with status 2.
 */
public final class BadInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message} (one line). */
  public BadInputException(String message) {
    super(message);
  }

  /** A problem described by {@code message} (one line), caused by {@code cause}. */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
