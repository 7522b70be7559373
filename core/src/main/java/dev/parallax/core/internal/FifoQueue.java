package dev.parallax.core.internal;

import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ReadyQueue;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Ready calls in submission order (by plan index), so a call offered again after a retry delay or a
 * refused admission keeps its place.
 *
 * <p>Calls mostly arrive in increasing index order (a batch, a parallel plan); those go to a plain
 * deque in O(1). A call that arrives out of order goes to a small heap; {@link #poll} takes the
 * smaller head of the two. Internal; may change at any time.
 */
public final class FifoQueue implements ReadyQueue {

  private final ArrayDeque<PendingCall> inOrder = new ArrayDeque<>();
  private final PriorityQueue<PendingCall> outOfOrder =
      new PriorityQueue<>(Comparator.comparingInt(PendingCall::index));

  @Override
  public void add(PendingCall call) {
    PendingCall last = inOrder.peekLast();
    if (last == null || last.index() < call.index()) {
      inOrder.addLast(call);
    } else {
      outOfOrder.add(call);
    }
  }

  @Override
  public @Nullable PendingCall poll() {
    PendingCall first = inOrder.peekFirst();
    PendingCall other = outOfOrder.peek();
    if (other != null && (first == null || other.index() < first.index())) {
      return outOfOrder.poll();
    }
    return inOrder.pollFirst();
  }
}
