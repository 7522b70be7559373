package dev.parallax.core.event;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.spi.PendingCall;
import java.time.Duration;

/**
 * Receives the lifecycle events of runs and calls. Every method has an empty default.
 *
 * <p>Events are delivered synchronously on the executor's threads (tool threads, the timer thread,
 * the caller's thread) from inside the run's events, which run one at a time, so the events of a
 * run arrive in the order they happened and all of them before {@link #onRunFinished} and before
 * the run's result is published. The events of one call arrive in order: queued, then per attempt
 * started and possibly attempt-failed and retry-scheduled, then finished or skipped.
 * Implementations must be thread-safe, quick and non-blocking; whatever they throw — an {@link
 * Error} too — is caught, logged and ignored: a listener can neither change nor stall a run.
 */
public interface ExecutionListener {

  /** A run started with this many calls. */
  default void onRunStarted(String runId, int calls) {}

  /** A call's dependencies are met (or it has none) and it waits for a slot. */
  default void onQueued(PendingCall call) {}

  /**
   * A call has to wait for capacity: when it became ready the run had more ready calls than free
   * slots under its {@code maxConcurrency} (one of them waits; which one is the scheduling policy's
   * choice), or the admission control refused it. May be told more than once for a call; not told
   * while ready calls fit the free slots, nor for the calls of a sequence waiting their turn.
   * Default: nothing.
   */
  default void onWaitingForCapacity(PendingCall call) {}

  /** An attempt of a call started. */
  default void onStarted(PendingCall call, int attempt) {}

  /** An attempt failed or timed out; a retry or a final failure follows. */
  default void onAttemptFailed(PendingCall call, int attempt, Throwable error) {}

  /** Another attempt will start after {@code delay}. */
  default void onRetryScheduled(PendingCall call, int nextAttempt, Duration delay) {}

  /** A call has its final result (any status but {@code SKIPPED}). */
  default void onFinished(PendingCall call, CallResult<?> result) {}

  /** A call was skipped because a dependency did not succeed. */
  default void onSkipped(PendingCall call, CallResult<?> result) {}

  /** A run ended; every result is final. */
  default void onRunFinished(RunResult result) {}
}
