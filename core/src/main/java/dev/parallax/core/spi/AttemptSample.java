package dev.parallax.core.spi;

import dev.parallax.core.internal.SampleValue;
import java.time.Duration;

/**
 * How one attempt ended, for admission control and limiters.
 *
 * <p>The engine hands its own attempt as the sample, so that a release allocates nothing: read it
 * during {@link Admission#release}; to keep it longer, keep {@link #copyOf copyOf(sample)} (the
 * engine's attempt holds on to the call's input). Its values never change.
 */
public interface AttemptSample {

  /** The tool that ran (after a fallback, not necessarily the call's own). */
  String tool();

  /** From the start of the attempt to its end. */
  Duration latency();

  /** {@link #latency()} in nanoseconds, without making a {@link Duration}. */
  default long latencyNanos() {
    return latency().toNanos();
  }

  /** How it ended. */
  Outcome outcome();

  /** Calls of the run that were running when it started (itself included). */
  int inFlight();

  /**
   * A sample with these values, for tests, simulators and copies.
   *
   * @throws NullPointerException if {@code tool}, {@code latency} or {@code outcome} is null
   */
  static AttemptSample of(String tool, Duration latency, Outcome outcome, int inFlight) {
    return new SampleValue(tool, latency, outcome, inFlight);
  }

  /** An immutable copy that holds nothing but the four values. */
  static AttemptSample copyOf(AttemptSample sample) {
    return sample instanceof SampleValue value
        ? value
        : of(sample.tool(), sample.latency(), sample.outcome(), sample.inFlight());
  }

  /** How an attempt ended. */
  enum Outcome {
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
