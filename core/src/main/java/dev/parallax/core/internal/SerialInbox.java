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
 * drainer's thread. Successive drainers are ordered by the atomic counter, so state touched only
 * inside events needs no further synchronisation.
 *
 * <p>After each event the owner's {@link Effects} run: what the event decided to do outside the
 * state machine (start threads, interrupt them, complete futures). A submitter that should not
 * linger (the caller of {@code start} or {@code cancel}, the timer thread) asks for hand-off: it
 * runs its event, gives up the drainer role — leaving any further events to a new virtual thread —
 * and only then runs the effects of its event, so that starting many threads overlaps with handling
 * their completions. Internal; may change at any time.
 */
final class SerialInbox {

  /** The work events leave behind, owned by the state machine. */
  interface Effects {
    /** Runs the pending effects now, on the drainer's thread. */
    void runNow();

    /** Takes the pending effects out, to be run after the drainer role is given up. */
    Runnable detach();
  }

  private static final Logger LOG = Logger.getLogger(SerialInbox.class.getName());

  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Effects effects;
  private volatile @Nullable Thread drainer;

  SerialInbox(Effects effects) {
    this.effects = effects;
  }

  /** Whether the current thread is running events right now. */
  boolean isDrainingHere() {
    return drainer == Thread.currentThread();
  }

  /**
   * Runs {@code event} after the events submitted before it, on this thread if the inbox is idle.
   *
   * @param handOff leave events beyond the first to another thread, and run the first one's effects
   *     outside the drainer role
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
        if (handOff) {
          Runnable detached = effects.detach();
          drainer = null;
          int left = pending.addAndGet(-missed);
          if (left != 0) {
            Thread.ofVirtual().start(() -> drain(left, false));
          }
          runQuietly(detached);
          return;
        }
        runQuietly(effects::runNow);
      }
      drainer = null;
      missed = pending.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
      drainer = self;
    }
  }

  private static void run(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "a Parallax run event failed; the run may not finish", e);
    }
  }

  private static void runQuietly(Runnable effects) {
    try {
      effects.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a Parallax run effect failed", e);
    }
  }
}
