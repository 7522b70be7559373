package dev.parallax.planner.internal;

import dev.parallax.planner.share.LaneLimit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A lane's configuration and use; guarded by the scheduler's lock. Internal. */
final class LaneState {

  private static final Logger LOG = Logger.getLogger(LaneState.class.getName());

  final String name;
  final int min;
  private final LaneLimit limit;
  private int lastMax;
  int used;
  int peak;
  long limitFailures;

  LaneState(String name, int min, LaneLimit limit, int initialMax) {
    this.name = name;
    this.min = min;
    this.limit = limit;
    this.lastMax = Math.max(1, initialMax);
  }

  /** The lane's limit now; what the limit throws leaves the last good value. */
  int max() {
    try {
      lastMax = Math.max(1, limit.max());
    } catch (Throwable e) {
      limitFailures++;
      LOG.log(Level.WARNING, "the lane limit of lane '" + name + "' threw; keeping " + lastMax, e);
    }
    return lastMax;
  }

  /** Slots of the capacity this lane still has reserved and unused. */
  int gap(int max) {
    return Math.max(0, Math.min(min, max) - used);
  }

  void sample(long latencyNanos, int inFlight, boolean failed) {
    try {
      limit.onSample(latencyNanos, inFlight, failed);
    } catch (Throwable e) {
      limitFailures++;
      LOG.log(Level.WARNING, "the lane limit of lane '" + name + "' threw on a sample", e);
    }
  }
}
