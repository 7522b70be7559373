package dev.parallax.core.spi;

import dev.parallax.core.call.CallResult;
import org.jspecify.annotations.Nullable;

/**
 * The ready calls of one run, in the order they should start. Only used from the run's serialized
 * events (one at a time), so implementations need not be thread-safe.
 */
public interface ReadyQueue {

  /** Adds a call that is ready to start (again, after a retry delay or a refused admission). */
  void add(PendingCall call);

  /** Removes and returns the call that should start next, or {@code null} if none is ready. */
  @Nullable PendingCall poll();

  /** Called when a call of the run has its final result, for policies that re-rank. */
  default void onFinished(PendingCall call, CallResult<?> result) {}
}
