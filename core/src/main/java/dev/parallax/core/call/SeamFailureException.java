package dev.parallax.core.call;

/**
 * The error of a call that failed because code the engine calls on its behalf — not the tool —
 * threw: a retry classifier, a scheduling queue, an admission control, a call runner, the input
 * function of a {@link ToolCall#derived derived} call, or the engine itself after an unexpected
 * error. The cause is what was thrown; where the call had an error of its own before (the one the
 * classifier was asked about), it is attached as suppressed.
 *
 * <p>A failure there never leaves a run unfinished: the affected calls end {@link
 * CallStatus#FAILED} with this error and the rest of the run goes on.
 */
public final class SeamFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Where the failure happened. */
  public enum Seam {
    /** The {@link dev.parallax.core.policy.RetryPolicy}'s classifier or delay. */
    RETRY_POLICY,
    /** The {@link dev.parallax.core.spi.SchedulingPolicy} or its ready queue. */
    SCHEDULING,
    /** The {@link dev.parallax.core.spi.AdmissionControl} or its admission. */
    ADMISSION,
    /** The {@link dev.parallax.core.spi.CallRunner}. */
    RUNNER,
    /** The input function of a derived call. */
    INPUT_FUNCTION,
    /**
     * The run's own event loop, after an unexpected error (out of memory, a broken time source).
     */
    ENGINE
  }

  private final Seam seam;

  /**
   * Creates the exception.
   *
   * @param seam where the failure happened
   * @param message what failed, naming the call where there is one
   * @param cause what was thrown
   */
  public SeamFailureException(Seam seam, String message, Throwable cause) {
    super(message + ": " + describe(cause), cause);
    this.seam = seam;
  }

  /** Where the failure happened. */
  public Seam seam() {
    return seam;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null
        ? cause.getClass().getName()
        : cause.getClass().getName() + ": " + message;
  }
}
