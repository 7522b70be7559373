package dev.parallax.core.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Runs submitted events one at a time, in the order they were submitted, on whichever thread finds
 * it idle — a lock-free replacement for a lock around a state machine.
 *
 * <p>The inbox is one atomic reference, {@code head}: {@code null} when idle, the {@link #ACTIVE}
 * marker while a thread drains with nothing pending, or the top of a stack of pending events (each
 * event links to the one pushed before it; the bottom one links to {@code null} or {@code ACTIVE}).
 * A submitter pushes its event with one compare-and-set; if it found the inbox idle it becomes the
 * drainer. The drainer takes the whole stack at once ({@code getAndSet(ACTIVE)}), reverses it to
 * submission order, runs the events, and repeats until it can swap {@code ACTIVE} back to {@code
 * null}. Other submitters never wait and their events cost no allocation when the event is its own
 * node (attempts are). The atomic reference orders successive drainers, so the state touched only
 * inside events needs no further synchronisation.
 *
 * <p>After each event the owner's {@link Effects} run: what the event decided to do outside the
 * state machine (start threads, interrupt them, complete futures). A submitter that should not
 * linger (the caller of {@code start} or {@code cancel}, the timer thread) asks for hand-off: it
 * runs the first batch, gives up the drainer role — leaving any further events to a new virtual
 * thread — and only then runs the effects, so that starting many threads overlaps with handling
 * their completions. Internal; may change at any time.
 */
final class SerialInbox {

  /** An event, and its link in the inbox's stack. */
  abstract static class Event implements Runnable {
    @Nullable Event next;
  }

  /** The work events leave behind, owned by the state machine. */
  interface Effects {
    /** Runs the pending effects now, on the drainer's thread. */
    void runNow();

    /** Takes the pending effects out, to be run after the drainer role is given up. */
    Runnable detach();

    /**
     * An event threw: the state machine must bring itself to an end (it runs on the drainer's
     * thread, like an event). If this throws too, the failure is logged and draining goes on.
     */
    void eventFailed(Throwable failure);
  }

  private static final Logger LOG = Logger.getLogger(SerialInbox.class.getName());

  /*
   * A little heap kept aside and let go on the first VirtualMachineError inside an event, so that
   * a run hit by it has the room to end itself and wake its caller. Made when the class loads (with
   * Guard, which the failure paths call): a class first loaded while memory is out fails to load.
   */
  @SuppressWarnings("unused") // held only to be let go
  private static volatile byte @Nullable [] reserve = Guard.reserve(1 << 20);

  /** Lets the reserve go (an attempt reported running out of memory); the next GC reclaims it. */
  static void releaseReserve() {
    reserve = null;
  }

  private static final Event ACTIVE =
      new Event() {
        @Override
        public void run() {}
      };

  private final AtomicReference<@Nullable Event> head = new AtomicReference<>();
  private final Effects effects;
  private volatile @Nullable Thread drainer;

  SerialInbox(Effects effects) {
    this.effects = effects;
  }

  /** Wraps a plain action as an event. */
  static Event event(Runnable action) {
    return new Event() {
      @Override
      public void run() {
        action.run();
      }
    };
  }

  /** Whether the current thread is running events right now. */
  boolean isDrainingHere() {
    return drainer == Thread.currentThread();
  }

  /**
   * Runs {@code event} after the events submitted before it, on this thread if the inbox is idle.
   * An event object may be submitted again only after it has run.
   *
   * @param handOff leave events beyond the first batch to another thread, and run the effects
   *     outside the drainer role
   */
  void submit(Event event, boolean handOff) {
    Event top;
    do {
      top = head.get();
      event.next = top;
    } while (!head.compareAndSet(top, event));
    if (top == null) {
      drain(handOff);
    }
  }

  private void drain(boolean handOff) {
    Thread self = Thread.currentThread();
    drainer = self;
    while (true) {
      Event batch = head.getAndSet(ACTIVE);
      if (batch == ACTIVE) {
        drainer = null;
        if (head.compareAndSet(ACTIVE, null)) {
          return;
        }
        drainer = self;
        continue;
      }
      for (Event event = reverse(batch); event != null; ) {
        Event following = event.next;
        event.next = null;
        run(event);
        if (!handOff) {
          runEffectsNow();
        }
        event = following;
      }
      if (handOff) {
        Runnable detached = detachEffects();
        drainer = null;
        if (!head.compareAndSet(ACTIVE, null)) {
          passOn(); // events came meanwhile
        }
        runEffects(detached);
        return;
      }
    }
  }

  /** Hands the drainer role to a new virtual thread, or keeps it here if none can be started. */
  private void passOn() {
    try {
      Thread.ofVirtual().start(() -> drain(false));
    } catch (Throwable e) {
      drain(false);
    }
  }

  /** The events of a batch in submission order, cut off at the marker or the idle bottom. */
  private static @Nullable Event reverse(Event top) {
    Event reversed = null;
    Event event = top;
    while (event != null && event != ACTIVE) {
      Event below = event.next;
      event.next = reversed;
      reversed = event;
      event = below;
    }
    return reversed;
  }

  /*
   * Nothing may escape the drain loop: a drainer that died would leave the inbox marked active and
   * every later event of the run — its completion included — would wait forever.
   */
  private void run(Runnable event) {
    try {
      event.run();
    } catch (Throwable e) {
      try {
        if (e instanceof VirtualMachineError) {
          reserve = null; // room for the run to end itself
        }
        effects.eventFailed(e);
      } catch (Throwable again) {
        Guard.log(LOG, "a Parallax run could not end itself after an event failed", again);
      }
    }
  }

  // the three below allocate nothing of their own: they must work when memory has run out

  private void runEffectsNow() {
    try {
      effects.runNow();
    } catch (Throwable e) {
      Guard.log(LOG, "a Parallax run effect failed", e);
    }
  }

  private Runnable detachEffects() {
    try {
      return effects.detach();
    } catch (Throwable e) {
      runEffectsNow(); // could not take them out: run them here rather than lose them
      return NO_EFFECTS;
    }
  }

  private static void runEffects(Runnable detached) {
    try {
      detached.run();
    } catch (Throwable e) {
      Guard.log(LOG, "a Parallax run effect failed", e);
    }
  }

  private static final Runnable NO_EFFECTS = () -> {};
}
