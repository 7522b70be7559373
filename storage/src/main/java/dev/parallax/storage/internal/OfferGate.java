package dev.parallax.storage.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A gate that callers pass through while it is open and that closes only once nobody is inside:
 * after {@link #close()} returns, no caller is between {@link #enter()} and {@link #leave()} and
 * none will enter again. One atomic word holds a closed bit and the number of callers inside, so
 * entering and leaving cost one atomic add each and never wait. Thread-safe. Internal: may change
 * at any time.
 */
public final class OfferGate {

  private static final long CLOSED = 1L << 62;
  private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final AtomicLong state = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile @Nullable Thread closer;

  /**
   * Enters the gate.
   *
   * @return {@code false} if it is closed; then the caller must not call {@link #leave()}
   */
  public boolean enter() {
    if ((state.incrementAndGet() & CLOSED) != 0) {
      leave();
      return false;
    }
    return true;
  }

  /** Leaves the gate after a successful {@link #enter()}. */
  public void leave() {
    if (state.decrementAndGet() == CLOSED) {
      Thread waiting = closer;
      if (waiting != null) {
        LockSupport.unpark(waiting);
      }
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }

  /**
   * Closes the gate and waits until every caller inside has left. Idempotent.
   *
   * @return whether this call closed it
   */
  public boolean close() {
    closer = Thread.currentThread();
    boolean first = closing.compareAndSet(false, true);
    if (first) {
      // one add, never retried however busy the gate is
      state.getAndAdd(CLOSED);
    }
    while (!isClosed()) {
      Thread.onSpinWait(); // a second closer, while the first is between its two lines above
    }
    awaitEmpty();
    return first;
  }

  private void awaitEmpty() {
    while ((state.get() & ~CLOSED) != 0) {
      // woken by the last caller to leave; the timeout covers a second closer
      LockSupport.parkNanos(this, WAIT_NANOS);
    }
  }
}
