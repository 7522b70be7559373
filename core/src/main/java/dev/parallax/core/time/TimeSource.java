package dev.parallax.core.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock and timer of an executor. {@link SystemTimeSource} uses real time; {@link VirtualTime}
 * moves only when told to. Implementations must be thread-safe.
 */
public interface TimeSource {

  /** The current instant, for timestamps. */
  Instant now();

  /** A monotonic time in nanoseconds, for measuring durations. */
  long nanoTime();

  /**
   * Runs {@code task} once after {@code delay}. The task must be short: it runs on the timer's
   * thread.
   *
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Duration delay, Runnable task);
}
