package dev.parallax.core.internal;

import dev.parallax.core.event.ExecutionListener;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Delivers an event to every listener, ignoring what they throw. Internal. */
final class Listeners {

  private static final Logger LOG = Logger.getLogger(Listeners.class.getName());

  private Listeners() {}

  static void fire(List<ExecutionListener> listeners, Consumer<ExecutionListener> event) {
    for (ExecutionListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "execution listener " + listener + " threw", e);
      }
    }
  }
}
