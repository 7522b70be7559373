package dev.parallax.core.call;

/** How a call ended. */
public enum CallStatus {
  /** The tool returned (possibly {@code null}). */
  SUCCEEDED,
  /** The tool threw on its last attempt (or its input could not be computed). */
  FAILED,
  /** The last attempt, or the run, ran out of time while the tool was running. */
  TIMED_OUT,
  /** The run was cancelled, failed fast or hit its deadline before the call could finish. */
  CANCELLED,
  /** The call never ran because a call it depends on did not succeed. */
  SKIPPED;

  /** Whether the call ended successfully. */
  public boolean isSuccess() {
    return this == SUCCEEDED;
  }
}
