package dev.parallax.planner.internal;

import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.RunScheduler;
import dev.parallax.core.spi.ScheduledRun;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One run's share of a {@link SchedulerCore}: its waiting calls in the order it offered them, the
 * grants made to it and not yet claimed, and the demands its running calls hold. Every method takes
 * the scheduler's lock. Internal; may change at any time.
 */
public final class RunShare implements RunScheduler.Slots {

  private static final Logger LOG = Logger.getLogger(RunShare.class.getName());

  /** A call waiting for its demand. */
  static final class Waiter {
    final PendingCall call;
    final Demand demand;
    final long arrival;

    Waiter(PendingCall call, Demand demand, long arrival) {
      this.call = call;
      this.demand = demand;
      this.arrival = arrival;
    }
  }

  /** A demand a call holds while its attempt runs. */
  private record Held(PendingCall call, Demand demand, long startNanos, int laneInFlight) {}

  private final SchedulerCore core;
  final String runId;
  final int priority;
  private final int maxConcurrency;
  final Runnable capacityAvailable;
  private final LinkedHashMap<PendingCall, Waiter> waiting = new LinkedHashMap<>();
  private final List<Demand> grants = new ArrayList<>(2);
  private final List<Held> held = new ArrayList<>();

  /** When the run began waiting or last got a grant, and the tie-breaker; set by the core. */
  long since;

  long servedTurn;

  long listedSeq;

  /** The run was called back and has not offered a call since: no need to call it again. */
  boolean callbackPending;

  /** An admission after the scheduler refused one of its grants: no grants until it releases. */
  boolean parked;

  private boolean stopped;
  private boolean listed;

  RunShare(SchedulerCore core, ScheduledRun run, Runnable capacityAvailable) {
    this.core = core;
    this.runId = run.runId();
    this.priority = run.priority();
    this.maxConcurrency = Math.max(1, run.maxConcurrency());
    this.capacityAvailable = capacityAvailable;
  }

  @Override
  public boolean tryAcquire(PendingCall call) {
    List<RunShare> toNotify;
    boolean admitted;
    boolean skipSelf;
    core.lock.lock();
    try {
      if (stopped) {
        return false;
      }
      callbackPending = false; // the run is offering its calls: a later grant needs a new call back
      Demand demand = core.demandOf(call.tool());
      if (claim(call, demand)) {
        return true;
      }
      Waiter already = waiting.get(call);
      if (already == null) {
        if (!listed && core.fitsNow(demand) && hasRoom() && nobodyWaits()) {
          core.take(demand); // nothing waits and it fits: no queue, no grant
          core.served(this);
          hold(call, demand);
          return true;
        }
        waiting.put(call, new Waiter(call, demand, core.nextArrival()));
        if (!listed) {
          listed = true;
          core.addWaiting(this);
        }
        if (!core.fitsNow(demand)) {
          return false; // nothing changed that could let anyone in
        }
      } else if (!parked) {
        return false; // still waiting; a grant will call the run back
      }
      toNotify = core.assign(this);
      admitted = claim(call, demand);
      skipSelf = admitted && grants.isEmpty(); // its grant went to this very call
      if (skipSelf) {
        callbackPending = false; // not called back after all
      }
    } finally {
      core.lock.unlock();
    }
    core.notify(toNotify, skipSelf ? this : null);
    return admitted;
  }

  private boolean nobodyWaits() {
    return core.noRunWaits();
  }

  /** Claims a grant of an equal demand for the call, if there is one. */
  private boolean claim(PendingCall call, Demand demand) {
    for (int i = 0; i < grants.size(); i++) {
      if (grants.get(i).equals(demand)) {
        Demand granted = grants.remove(i);
        Waiter w = waiting.remove(call);
        if (w != null && waiting.isEmpty()) {
          unlist();
        }
        hold(call, granted);
        return true;
      }
    }
    return false;
  }

  private void hold(PendingCall call, Demand demand) {
    held.add(new Held(call, demand, core.now(), core.laneInFlight(demand)));
  }

  @Override
  public void release(PendingCall call, AttemptSample sample) {
    List<RunShare> toNotify;
    core.lock.lock();
    try {
      Held h = removeHeld(call, sample.tool());
      if (h == null) {
        LOG.warning("run " + runId + " released " + call.callId() + ", which holds nothing");
        return;
      }
      core.free(h.demand);
      core.sample(
          h.demand,
          sample.latencyNanos(),
          h.laneInFlight,
          sample.outcome() != AttemptSample.Outcome.SUCCESS);
      parked = false;
      toNotify = core.assign(null);
    } finally {
      core.lock.unlock();
    }
    core.notify(toNotify, null);
  }

  @Override
  public void notStarted(PendingCall call) {
    List<RunShare> toNotify;
    core.lock.lock();
    try {
      Held h = null;
      for (int i = held.size() - 1; i >= 0; i--) {
        if (held.get(i).call == call) {
          h = held.remove(i);
          break;
        }
      }
      if (h == null) {
        return;
      }
      core.free(h.demand);
      parked = true;
      toNotify = core.assign(null);
    } finally {
      core.lock.unlock();
    }
    core.notify(toNotify, null);
  }

  /** The held demand of the call whose tool ran (after a fallback not the call's own). */
  private @Nullable Held removeHeld(PendingCall call, String tool) {
    int any = -1;
    for (int i = 0; i < held.size(); i++) {
      Held h = held.get(i);
      if (h.call == call) {
        if (h.demand.tool.equals(tool)) {
          return held.remove(i);
        }
        any = any < 0 ? i : any;
      }
    }
    return any < 0 ? null : held.remove(any);
  }

  @Override
  public void stopping() {
    List<RunShare> toNotify;
    core.lock.lock();
    try {
      if (stopped) {
        return;
      }
      stopped = true;
      waiting.clear();
      unlist();
      for (Demand d : grants) {
        core.free(d);
      }
      grants.clear();
      toNotify = core.assign(null);
    } finally {
      core.lock.unlock();
    }
    core.notify(toNotify, null);
  }

  @Override
  public void close() {
    stopping();
    List<RunShare> toNotify = List.of();
    core.lock.lock();
    try {
      if (!held.isEmpty()) {
        LOG.warning("run " + runId + " closed holding " + held.size() + " calls; let go");
        for (Held h : held) {
          core.free(h.demand);
        }
        held.clear();
        toNotify = core.assign(null);
      }
    } finally {
      core.lock.unlock();
    }
    core.notify(toNotify, null);
  }

  // ---- for the core, under its lock ----

  boolean hasRoom() {
    return held.size() + grants.size() < maxConcurrency;
  }

  Collection<Waiter> waiters() {
    return waiting.values();
  }

  void granted(Waiter w) {
    waiting.remove(w.call);
    grants.add(w.demand);
  }

  boolean noWaiters() {
    if (waiting.isEmpty()) {
      listed = false;
      return true;
    }
    return false;
  }

  private void unlist() {
    if (listed) {
      listed = false;
      core.removeWaiting(this);
    }
  }

  long oldestArrival() {
    for (Map.Entry<PendingCall, Waiter> e : waiting.entrySet()) {
      return e.getValue().arrival;
    }
    return Long.MAX_VALUE;
  }

  int waitingCount() {
    return waiting.size();
  }

  @Override
  public String toString() {
    return "RunShare[" + runId + ", priority " + priority + ", " + waiting.size() + " waiting]";
  }
}
