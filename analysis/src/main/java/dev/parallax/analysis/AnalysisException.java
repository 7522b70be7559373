package dev.parallax.analysis;

/**
 * An input that cannot be analysed: a missing file, malformed JSON, an unknown format, a cycle, a
 * task without a runtime, an analysis that needs more inputs. Its message is one line that names
 * the file and what is wrong.
 */
public final class AnalysisException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message} (one line). */
  public AnalysisException(String message) {
    super(message);
  }

  /** A problem described by {@code message} (one line), caused by {@code cause}. */
  public AnalysisException(String message, Throwable cause) {
    super(message, cause);
  }
}
