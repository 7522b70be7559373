package dev.parallax.core.internal;

import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.SchedulingPolicy;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Ready calls in submission order (by plan index), so a call offered again after a retry delay or a
 * refused admission keeps its place.
 *
 * <p>Calls mostly arrive in increasing index order (a batch, a parallel plan); those go to a plain
 * deque in O(1). A call that arrives out of order goes to a small heap; {@link #poll} takes the
 * smaller head of the two. Internal; may change at any time.
 *
 * @param <C> the type of the calls
 */
public final class FifoQueue<C extends PendingCall> implements ReadyQueue<C> {

  /** The policy making these queues: {@link SchedulingPolicy#fifo()}. */
  public static final SchedulingPolicy POLICY =
      new SchedulingPolicy() {
        @Override
        public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
          return new FifoQueue<>(calls.size());
        }

        @Override
        public String toString() {
          return "SchedulingPolicy.fifo()";
        }
      };

  private final ArrayDeque<C> inOrder;
  private final PriorityQueue<C> outOfOrder =
      new PriorityQueue<>(Comparator.comparingInt(PendingCall::index));

  /** An empty queue. */
  public FifoQueue() {
    this(0);
  }

  /**
   * An empty queue with room for {@code calls} calls in order (a run's calls), so that queueing a
   * large run does not grow the queue step by step.
   */
  public FifoQueue(int calls) {
    inOrder = new ArrayDeque<>(Math.max(0, calls));
  }

  @Override
  public void add(C call) {
    C last = inOrder.peekLast();
    if (last == null || last.index() < call.index()) {
      inOrder.addLast(call);
    } else {
      outOfOrder.add(call);
    }
  }

  @Override
  public @Nullable C poll() {
    C first = inOrder.peekFirst();
    C other = outOfOrder.peek();
    if (other != null && (first == null || other.index() < first.index())) {
      return outOfOrder.poll();
    }
    return inOrder.pollFirst();
  }
}
