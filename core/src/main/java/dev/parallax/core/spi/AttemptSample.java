package dev.parallax.core.spi;

import java.time.Duration;

/**
 * How one attempt ended, for admission control and limiters.
 *
 * @param tool the tool that ran
 * @param latency from the start of the attempt to its end
 * @param outcome how it ended
 * @param inFlight calls of the run that were running when it started (itself included)
 */
public record AttemptSample(String tool, Duration latency, Outcome outcome, int inFlight) {

  /** Checks that no field is null. */
  public AttemptSample {
    java.util.Objects.requireNonNull(tool, "tool");
    java.util.Objects.requireNonNull(latency, "latency");
    java.util.Objects.requireNonNull(outcome, "outcome");
  }

  /** How an attempt ended. */
  public enum Outcome {
    /** The tool returned. */
    SUCCESS,
    /** The tool threw. */
    FAILURE,
    /** The attempt ran out of time. */
    TIMEOUT,
    /** The run stopped the attempt (cancel, fail-fast, run deadline). */
    CANCELLED
  }
}
