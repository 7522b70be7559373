package dev.parallax.core.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Runs submitted events one at a time, in the order they were submitted, on whichever thread finds
 * it idle — a lock-free replacement for a lock around a state machine.
 *
 * <p>A submitter adds its event to a queue and increments {@code pending}; the one that moves it
 * from 0 becomes the drainer and runs events until {@code pending} falls back to 0 (the usual
 * "work-in-progress counter" drain loop). Other submitters never wait: their event runs on the
 * drainer's thread. Successive drainers are ordered by the atomic counter, so the state touched
 * only inside events needs no further synchronisation.
 *
 * <p>A submitter that should not linger (the caller of {@code start} or {@code cancel}, the timer
 * thread) asks for hand-off: it runs the events up to and including the first one, then leaves any
 * others to a new virtual thread. Internal; may change at any time.
 */
final class SerialInbox {

  private static final Logger LOG = Logger.getLogger(SerialInbox.class.getName());

  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Runnable afterEach;
  private volatile @Nullable Thread drainer;

  /** An inbox that runs {@code afterEach} after every event, on the same thread. */
  SerialInbox(Runnable afterEach) {
    this.afterEach = afterEach;
  }

  /** Whether the current thread is running events right now. */
  boolean isDrainingHere() {
    return drainer == Thread.currentThread();
  }

  /**
   * Runs {@code event} after the events submitted before it, on this thread if the inbox is idle.
   *
   * @param handOff leave events beyond the first to another thread
   */
  void submit(Runnable event, boolean handOff) {
    events.offer(event);
    if (pending.getAndIncrement() == 0) {
      drain(1, handOff);
    }
  }

  private void drain(int missed, boolean handOff) {
    Thread self = Thread.currentThread();
    drainer = self;
    while (true) {
      Runnable event;
      while ((event = events.poll()) != null) {
        run(event);
        if (handOff && !events.isEmpty()) {
          int owed = missed;
          drainer = null;
          Thread.ofVirtual().start(() -> drain(owed, false));
          return;
        }
      }
      drainer = null;
      missed = pending.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
      drainer = self;
    }
  }

  private void run(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "a Parallax run event failed; the run may not finish", e);
    }
    afterEach.run();
  }
}
