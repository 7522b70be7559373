package dev.parallax.core.spi;

import dev.parallax.core.internal.FifoQueue;
import java.util.List;

/**
 * Decides which ready call runs next. The default runs them in submission order.
 *
 * <p>{@link #newQueue} is generic in the engine's type of call, so it is implemented by a class (or
 * an anonymous class), not a lambda:
 *
 * <pre>{@code
 * SchedulingPolicy lastFirst = new SchedulingPolicy() {
 *   public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
 *     return new LastFirstQueue<>();
 *   }
 * };
 * }</pre>
 */
public interface SchedulingPolicy {

  /** Submission order: among ready calls, the one given first runs first. */
  static SchedulingPolicy fifo() {
    return FifoQueue.POLICY;
  }

  /**
   * Creates the queue of ready calls for one run.
   *
   * @param calls every call of the run, in plan order (ready or not), for policies that look at the
   *     whole graph
   * @param <C> the engine's type of call: the queue holds and returns calls of this list
   */
  <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls);
}
