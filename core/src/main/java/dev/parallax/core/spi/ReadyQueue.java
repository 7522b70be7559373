package dev.parallax.core.spi;

import dev.parallax.core.call.CallResult;
import org.jspecify.annotations.Nullable;

/**
 * The ready calls of one run, in the order they should start. Only used from the run's serialized
 * events (one at a time), so implementations need not be thread-safe.
 *
 * <p>The type parameter is the engine's own type of call, which a queue cannot name or make: a
 * queue made by {@link SchedulingPolicy#newQueue} can only hand back calls it was given, so the
 * engine needs no cast and no check of what {@link #poll} returns.
 *
 * @param <C> the type of the calls, chosen by the engine
 */
public interface ReadyQueue<C extends PendingCall> {

  /** Adds a call that is ready to start (again, after a retry delay or a refused admission). */
  void add(C call);

  /** Removes and returns the call that should start next, or {@code null} if none is ready. */
  @Nullable C poll();

  /** Called when a call of the run has its final result, for policies that re-rank. */
  default void onFinished(C call, CallResult<?> result) {}
}
