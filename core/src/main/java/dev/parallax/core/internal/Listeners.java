package dev.parallax.core.internal;

import dev.parallax.core.event.ExecutionListener;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Delivers an event to every listener, ignoring what they throw — any {@link Throwable}, an {@link
 * Error} included: a listener only watches, so its failure must never stall or change a run.
 * Internal.
 */
final class Listeners {

  private static final Logger LOG = Logger.getLogger(Listeners.class.getName());

  private Listeners() {}

  static void fire(List<ExecutionListener> listeners, Consumer<ExecutionListener> event) {
    for (ExecutionListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (Throwable e) {
        Guard.log(LOG, "execution listener " + listener + " threw; ignored", e);
      }
    }
  }
}
