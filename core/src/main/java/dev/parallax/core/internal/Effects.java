package dev.parallax.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Work a run decided on under its lock and does after releasing it: starting attempts, interrupting
 * them, completing the run's future. Internal; may change at any time.
 */
final class Effects {

  private static final Logger LOG = Logger.getLogger(Effects.class.getName());

  private final List<Runnable> actions = new ArrayList<>(4);

  void add(Runnable action) {
    actions.add(action);
  }

  void run() {
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a Parallax run effect failed", e);
      }
    }
  }
}
