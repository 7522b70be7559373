package dev.parallax.core.policy;

/** What a run does when a call fails (after its retries) or times out. */
public enum FailureMode {
  /**
   * Stop: running calls are interrupted and every unfinished call is reported {@code CANCELLED}.
   */
  FAIL_FAST,
  /** Go on: every error is collected; in a graph only the failed call's dependents are skipped. */
  CONTINUE
}
