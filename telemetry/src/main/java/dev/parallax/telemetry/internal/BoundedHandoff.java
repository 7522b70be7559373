package dev.parallax.telemetry.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/*
 * A bounded hand-off from many producers to one consumer, with back-pressure and stall detection.
 *
 * The items live in a lock-free queue; an atomic counter reserves the slots, so a producer that
 * finds room never takes a lock. A producer that finds the queue full waits on a condition for a
 * slot; the consumer signals it only while someone waits, so the consumer's path stays lock-free
 * too. Waiting is bounded by the consumer's progress, not by a deadline: a producer keeps waiting
 * as long as the consumer takes an item every stall timeout; if one whole stall timeout passes
 * without the consumer taking anything, the consumer is declared stalled, the producer gives up,
 * and every producer that finds the queue full from then on gives up at once, without waiting,
 * until the consumer takes an item again (a stall episode). So a slow consumer slows producers to
 * its pace, and a stuck one costs them one stall timeout in all, not one per item.
 *
 * Waiting producers are woken once a batch of slots is free (every WAKE_BATCH items taken, or when
 * the queue runs empty), not after every item: waking a producer for each single free slot made a
 * producer and the consumer take turns item by item, paying a lock and a thread wake-up per item
 * while a burst larger than the capacity went through. A producer's wait stays bounded as before:
 * the consumer either takes WAKE_BATCH more items or empties the queue, and both wake it.
 */

/**
 * A bounded multi-producer, single-consumer queue whose producers wait for room while the consumer
 * makes progress. Thread-safe. Internal: may change at any time.
 *
 * @param <T> the items
 */
public final class BoundedHandoff<T> {

  /** What became of an offered item. */
  public enum Outcome {
    /** Queued at once. */
    QUEUED,
    /** Queued after waiting for room. */
    QUEUED_AFTER_WAIT,
    /** Not queued: this producer waited a whole stall timeout and the consumer took nothing. */
    STALL_STARTED,
    /** Not queued: the consumer is stalled (an episode is going on). */
    STALLED,
    /** Not queued: the hand-off is closed. */
    CLOSED;

    /** Whether the item was queued. */
    public boolean queued() {
      return this == QUEUED || this == QUEUED_AFTER_WAIT;
    }
  }

  /** Items taken between two wake-ups of waiting producers (see the comment above the class). */
  static final int WAKE_BATCH = 64;

  private final Queue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong taken = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicBoolean stalled = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition room = lock.newCondition();
  private final int capacity;
  private final long stallNanos;
  private volatile boolean closed;

  /**
   * @param capacity how many items may wait for the consumer
   * @param stallNanos how long the consumer may take no item before producers stop waiting
   */
  public BoundedHandoff(int capacity, long stallNanos) {
    if (capacity < 1 || stallNanos < 0) {
      throw new IllegalArgumentException(
          "capacity must be >= 1 and stall >= 0, was " + capacity + ", " + stallNanos);
    }
    this.capacity = capacity;
    this.stallNanos = stallNanos;
  }

  /**
   * Queues {@code item}, waiting for room if the queue is full and {@code mayWait} (see the class
   * comment). Without {@code mayWait} a full queue takes the item anyway, beyond its capacity: for
   * the consumer's own thread, which must never wait for itself.
   */
  public Outcome offer(T item, boolean mayWait) {
    if (closed) {
      return Outcome.CLOSED;
    }
    Outcome outcome = Outcome.QUEUED;
    if (!tryReserve()) {
      if (!mayWait) {
        size.incrementAndGet();
      } else if (stalled.get()) {
        return Outcome.STALLED;
      } else {
        outcome = awaitRoom();
        if (!outcome.queued()) {
          return outcome;
        }
      }
    }
    queue.offer(item);
    return outcome;
  }

  private boolean tryReserve() {
    int s;
    do {
      s = size.get();
      if (s >= capacity) {
        return false;
      }
    } while (!size.compareAndSet(s, s + 1));
    return true;
  }

  private Outcome awaitRoom() {
    boolean interrupted = false;
    waiting.incrementAndGet();
    lock.lock();
    try {
      long seen = taken.get();
      long left = stallNanos;
      while (true) {
        if (closed) {
          return Outcome.CLOSED;
        }
        if (tryReserve()) {
          return Outcome.QUEUED_AFTER_WAIT;
        }
        if (stalled.get()) {
          return Outcome.STALLED;
        }
        if (left <= 0) {
          long now = taken.get();
          if (now == seen) {
            return stalled.compareAndSet(false, true) ? Outcome.STALL_STARTED : Outcome.STALLED;
          }
          seen = now;
          left = stallNanos;
        }
        try {
          left = room.awaitNanos(left);
        } catch (InterruptedException e) {
          // the span's thread keeps its interrupt, but a slot is still worth waiting for
          interrupted = true;
        }
      }
    } finally {
      lock.unlock();
      waiting.decrementAndGet();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The consumer takes the oldest item, or {@code null}; frees its slot and, once a batch of slots
   * is free or the queue is empty, wakes the waiting producers.
   */
  public @Nullable T poll() {
    T item = queue.poll();
    if (item != null) {
      size.decrementAndGet();
      long n = taken.incrementAndGet();
      if (waiting.get() > 0 && (n % WAKE_BATCH == 0 || queue.isEmpty())) {
        signalAll();
      }
    }
    return item;
  }

  /** Whether nothing is queued. */
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Items queued now. */
  public int size() {
    return Math.max(0, size.get());
  }

  /** Whether a producer is waiting for room now. */
  public boolean hasWaitingProducers() {
    return waiting.get() > 0;
  }

  /** Whether producers give up at once because the consumer is stalled. */
  public boolean stalled() {
    return stalled.get();
  }

  /**
   * Ends a stall episode; called by the consumer once it took an item again.
   *
   * @return whether an episode was going on
   */
  public boolean endStall() {
    return stalled.get() && stalled.compareAndSet(true, false);
  }

  /** From now on offers are refused; waiting producers give up. Queued items stay to be polled. */
  public void close() {
    closed = true;
    signalAll();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  private void signalAll() {
    lock.lock();
    try {
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
