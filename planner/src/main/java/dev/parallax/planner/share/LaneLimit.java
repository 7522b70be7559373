package dev.parallax.planner.share;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The most calls of one lane of a {@link SharedScheduler} that may run at once, fixed or driven by
 * an adaptive limit fed with the lane's finished calls.
 *
 * <p>An adaptive {@code ConcurrencyLimit} of the adaptive module drives a lane with two method
 * references, no code of its own:
 *
 * <pre>{@code
 * ConcurrencyLimit adaptive = AdaptiveLimit.builder().build();
 * LaneLimit lane = LaneLimit.of(
 *     adaptive::limit,
 *     (latencyNanos, inFlight, failed) -> adaptive.onSample(latencyNanos, inFlight, failed, 0));
 * }</pre>
 *
 * <p>The scheduler calls a lane's limit under its own lock, one call at a time, so an
 * implementation need not be thread-safe unless it is shared elsewhere. It must be quick and must
 * not block. What it throws is logged and ignored: the lane keeps its last good limit, and the
 * sample is lost.
 */
public interface LaneLimit {

  /** The current limit; values below 1 count as 1. */
  int max();

  /**
   * One call of the lane ended (its body returned).
   *
   * @param latencyNanos how long the attempt ran
   * @param inFlight calls of the lane running when it started, itself included
   * @param failed whether it failed, timed out or was cancelled
   */
  default void onSample(long latencyNanos, int inFlight, boolean failed) {}

  /**
   * A fixed limit.
   *
   * @throws IllegalArgumentException if below 1
   */
  static LaneLimit fixed(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("lane max must be >= 1, was " + max);
    }
    return () -> max;
  }

  /** A limit read from {@code max} and fed to {@code samples}: the adapter for adaptive limits. */
  static LaneLimit of(IntSupplier max, Samples samples) {
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(samples, "samples");
    return new LaneLimit() {
      @Override
      public int max() {
        return max.getAsInt();
      }

      @Override
      public void onSample(long latencyNanos, int inFlight, boolean failed) {
        samples.onSample(latencyNanos, inFlight, failed);
      }
    };
  }

  /** Where a lane's samples go; see {@link LaneLimit#onSample}. */
  @FunctionalInterface
  interface Samples {
    /** One call of the lane ended; see {@link LaneLimit#onSample}. */
    void onSample(long latencyNanos, int inFlight, boolean failed);
  }
}
