package dev.parallax.core.internal;

import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ReadyQueue;
import java.util.Comparator;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Ready calls in submission order: a heap on the call's plan index, so a call offered again after a
 * retry delay or a refused admission keeps its place. Internal; may change at any time.
 */
public final class FifoQueue implements ReadyQueue {

  private final PriorityQueue<PendingCall> heap =
      new PriorityQueue<>(Comparator.comparingInt(PendingCall::index));

  @Override
  public void add(PendingCall call) {
    heap.add(call);
  }

  @Override
  public @Nullable PendingCall poll() {
    return heap.poll();
  }
}
