package dev.parallax.core.spi;

import dev.parallax.core.internal.FifoQueue;
import java.util.List;

/** Decides which ready call runs next. The default runs them in submission order. */
@FunctionalInterface
public interface SchedulingPolicy {

  /** Submission order: among ready calls, the one given first runs first. */
  static SchedulingPolicy fifo() {
    return calls -> new FifoQueue();
  }

  /**
   * Creates the queue of ready calls for one run.
   *
   * @param calls every call of the run, in plan order (ready or not), for policies that look at the
   *     whole graph
   */
  ReadyQueue newQueue(List<? extends PendingCall> calls);
}
