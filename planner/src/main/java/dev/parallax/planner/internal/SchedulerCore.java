package dev.parallax.planner.internal;

import dev.parallax.core.spi.ScheduledRun;
import dev.parallax.core.time.TimeSource;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.planner.share.LaneLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The state of a shared scheduler: capacity, resources and lanes in use, and the runs with calls
 * waiting. Every method runs under one lock; callbacks to runs are made after it is let go.
 *
 * <h2>Algorithm</h2>
 *
 * A call asks ({@link RunShare#tryAcquire}); if nothing waits and all it needs is free — a slot of
 * the capacity, a slot of its lane that leaves the other lanes' reserved minimums untouched, every
 * unit of its named resources — it takes all of it at once. Otherwise it waits in its run's queue,
 * in the order the run offered its calls (the run's own order: critical path first when the run
 * uses critical-path scheduling).
 *
 * <p>Whenever something may fit again (a call ended, a call was added that fits), {@link #assign}
 * hands out capacity: it orders the runs with waiting calls by key, and gives the first call that
 * fits, of the first run that has one, a <em>grant</em> — its whole demand, taken at once — then
 * orders again. The run is called back and claims the grant when it offers a call with an equal
 * demand (any of its calls, so the run's own order decides which). Nothing is ever held partially,
 * so there is no hold-and-wait and no deadlock. The first call in that order that does not fit
 * <em>claims</em> what it lacks (a resource, its lane, the unreserved capacity): calls after it may
 * not take those, so a call needing much is not starved by a stream of calls needing little, while
 * calls needing other things still fill the gaps.
 *
 * <p>A run's key, with priority {@code p}, is {@code since - p * aging}, where {@code since} is
 * when it began waiting or was last given a grant, ties broken in favour of the run served least
 * recently (never, first), then of the run that began waiting first. Giving a run a grant moves its
 * {@code since} to now: runs of equal priority take turns (round-robin by run, not by call). A
 * higher priority is worth {@code aging} of waiting per unit: a run that began waiting at {@code t}
 * goes before every run of priority {@code q} whose waiting began after {@code t + (q - p) *
 * aging}. In FIFO mode the key is the arrival of the run's oldest waiting call: one queue for all
 * runs.
 *
 * <p>Internal; may change at any time.
 */
public final class SchedulerCore {

  private static final Logger LOG = Logger.getLogger(SchedulerCore.class.getName());

  /** What a waiting call lacks; see the class comment. */
  private static final int FITS = 0;

  private static final int LACKS_CAPACITY = 1;
  private static final int LACKS_UNRESERVED = 2;
  private static final int LACKS_LANE = 3;
  private static final int LACKS_RESOURCE = 4;

  final ReentrantLock lock = new ReentrantLock();
  private final int capacity;
  private int used;
  private int peak;
  private final String[] resourceNames;
  private final int[] resourceCapacity;
  private final int[] resourceUsed;
  private final int[] resourcePeak;
  private final Map<String, Integer> resourceIndex = new HashMap<>();
  private final LaneState[] lanes;
  private final Map<String, Integer> toolLanes;
  private final Map<String, Integer> capabilityLanes;
  private final Map<String, Map<String, Integer>> toolResources;

  /** Demands by spec identity (hashing a whole spec per call costs more than the scheduling). */
  private final Map<ToolSpec, Demand> demands = new IdentityHashMap<>();

  private final boolean fifo;
  private final long agingNanos;
  private final LongSupplier clock;
  private final @Nullable TimeSource callbacks;
  private final List<RunShare> waitingRuns = new ArrayList<>();
  private long turn;
  private long arrivals;

  // counters
  private long grants;
  private long overAllocations;
  private long callbackFailures;

  /** A lane as configured: name, reserved minimum, limit. */
  public record LaneConfig(String name, int min, LaneLimit limit, int initialMax) {}

  /**
   * A scheduler's state.
   *
   * @param resources capacity by resource name
   * @param laneConfigs the lanes; tools in none of them share an unlimited default lane
   * @param toolLanes lane name by tool name
   * @param capabilityLanes lane name by capability, for tools not named in {@code toolLanes}
   * @param toolResources resources by tool name, replacing what the tool's spec declares
   * @param agingNanos how much waiting one unit of priority is worth
   */
  public SchedulerCore(
      int capacity,
      Map<String, Integer> resources,
      List<LaneConfig> laneConfigs,
      Map<String, String> toolLanes,
      Map<String, String> capabilityLanes,
      Map<String, Map<String, Integer>> toolResources,
      boolean fifo,
      long agingNanos,
      LongSupplier clock,
      @Nullable TimeSource callbacks) {
    this.capacity = capacity;
    Map<String, Integer> sorted = new TreeMap<>(resources);
    resourceNames = sorted.keySet().toArray(new String[0]);
    resourceCapacity = new int[resourceNames.length];
    for (int i = 0; i < resourceNames.length; i++) {
      resourceCapacity[i] = sorted.get(resourceNames[i]);
      resourceIndex.put(resourceNames[i], i);
    }
    resourceUsed = new int[resourceNames.length];
    resourcePeak = new int[resourceNames.length];
    lanes = new LaneState[laneConfigs.size() + 1];
    lanes[0] = new LaneState("default", 0, () -> Integer.MAX_VALUE, Integer.MAX_VALUE);
    Map<String, Integer> laneIndex = new HashMap<>();
    for (int i = 0; i < laneConfigs.size(); i++) {
      LaneConfig c = laneConfigs.get(i);
      lanes[i + 1] = new LaneState(c.name(), c.min(), c.limit(), c.initialMax());
      laneIndex.put(c.name(), i + 1);
    }
    this.toolLanes = new HashMap<>();
    toolLanes.forEach((tool, lane) -> this.toolLanes.put(tool, laneIndex.get(lane)));
    this.capabilityLanes = new HashMap<>();
    capabilityLanes.forEach((cap, lane) -> this.capabilityLanes.put(cap, laneIndex.get(lane)));
    this.toolResources = Map.copyOf(toolResources);
    this.fifo = fifo;
    this.agingNanos = agingNanos;
    this.clock = clock;
    this.callbacks = callbacks;
  }

  /** Opens the share of one run. */
  public RunShare open(ScheduledRun run, Runnable capacityAvailable) {
    return new RunShare(this, run, capacityAvailable);
  }

  // ---- demands ----

  /** The demand of a call of {@code tool}; under the lock. */
  Demand demandOf(Tool<?, ?> tool) {
    ToolSpec spec = tool.spec();
    Demand known = demands.get(spec);
    if (known != null) {
      return known;
    }
    Map<String, Integer> declared = toolResources.getOrDefault(spec.name(), spec.resources());
    Map<String, Integer> counted = new TreeMap<>();
    declared.forEach(
        (name, units) -> {
          Integer index = resourceIndex.get(name);
          if (index == null) {
            return; // a resource this scheduler does not limit
          }
          if (units > resourceCapacity[index]) {
            throw new IllegalArgumentException(
                "tool '"
                    + spec.name()
                    + "' needs "
                    + units
                    + " of resource '"
                    + name
                    + "' but its capacity is "
                    + resourceCapacity[index]
                    + ": it could never start");
          }
          counted.put(name, units);
        });
    int[] indexes = new int[counted.size()];
    int[] units = new int[counted.size()];
    int i = 0;
    for (Map.Entry<String, Integer> e : counted.entrySet()) {
      indexes[i] = resourceIndex.get(e.getKey());
      units[i++] = e.getValue();
    }
    Demand demand = new Demand(spec.name(), laneOf(spec), indexes, units);
    if (demands.size() >= 10_000) {
      demands.clear(); // specs made per call: keep the cache bounded
    }
    demands.put(spec, demand);
    return demand;
  }

  private int laneOf(ToolSpec spec) {
    Integer lane = toolLanes.get(spec.name());
    if (lane != null) {
      return lane;
    }
    int found = 0;
    for (String capability : spec.capabilities().stream().sorted().toList()) {
      Integer byCapability = capabilityLanes.get(capability);
      if (byCapability != null) {
        found = byCapability;
        break;
      }
    }
    return found;
  }

  // ---- fitting ----

  /** Whether the demand fits now, or the first thing it lacks. */
  private int fit(Demand d) {
    if (used >= capacity) {
      return LACKS_CAPACITY;
    }
    LaneState lane = lanes[d.lane];
    int laneMax = lane.max();
    if (lane.used >= laneMax) {
      return LACKS_LANE;
    }
    if (lane.gap(laneMax) == 0 && capacity - used - 1 < reservedGap(d.lane)) {
      return LACKS_UNRESERVED;
    }
    for (int i = 0; i < d.resources.length; i++) {
      int r = d.resources[i];
      if (resourceUsed[r] + d.units[i] > resourceCapacity[r]) {
        return LACKS_RESOURCE;
      }
    }
    return FITS;
  }

  /** Reserved and unused slots of the lanes other than {@code except}. */
  private int reservedGap(int except) {
    int gap = 0;
    for (int i = 1; i < lanes.length; i++) {
      if (i != except) {
        gap += lanes[i].gap(lanes[i].max());
      }
    }
    return gap;
  }

  /** Whether the demand fits at all (ignoring what others wait for). */
  boolean fitsNow(Demand d) {
    return fit(d) == FITS;
  }

  /** Takes the demand; it must fit. */
  void take(Demand d) {
    used++;
    peak = Math.max(peak, used);
    LaneState lane = lanes[d.lane];
    lane.used++;
    lane.peak = Math.max(lane.peak, lane.used);
    boolean over = used > capacity;
    for (int i = 0; i < d.resources.length; i++) {
      int r = d.resources[i];
      resourceUsed[r] += d.units[i];
      resourcePeak[r] = Math.max(resourcePeak[r], resourceUsed[r]);
      over |= resourceUsed[r] > resourceCapacity[r];
    }
    if (over) {
      overAllocations++; // never, by construction; counted so that tests and benchmarks can see it
    }
    grants++;
  }

  /** Gives the demand back. */
  void free(Demand d) {
    used--;
    lanes[d.lane].used--;
    for (int i = 0; i < d.resources.length; i++) {
      resourceUsed[d.resources[i]] -= d.units[i];
    }
  }

  int laneInFlight(Demand d) {
    return lanes[d.lane].used;
  }

  void sample(Demand d, long latencyNanos, int inFlight, boolean failed) {
    lanes[d.lane].sample(latencyNanos, inFlight, failed);
  }

  // ---- waiting runs ----

  long now() {
    return clock.getAsLong();
  }

  long nextArrival() {
    return ++arrivals;
  }

  /** A run got capacity: it goes behind the runs waiting since earlier, and those served before. */
  void served(RunShare run) {
    run.since = now();
    run.servedTurn = ++turn;
  }

  /** A run got its first waiting call: it waits from now. */
  void addWaiting(RunShare run) {
    run.since = now();
    run.listedSeq = ++turn;
    waitingRuns.add(run);
  }

  void removeWaiting(RunShare run) {
    waitingRuns.remove(run);
  }

  boolean noRunWaits() {
    return waitingRuns.isEmpty();
  }

  private long key(RunShare run) {
    if (fifo) {
      return run.oldestArrival();
    }
    long credit = run.priority * agingNanos; // at most 1000 * one day: no overflow
    try {
      return Math.subtractExact(run.since, credit);
    } catch (ArithmeticException e) {
      return credit > 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private final Comparator<RunShare> order =
      Comparator.comparingLong(this::key)
          .thenComparingLong(r -> r.servedTurn)
          .thenComparingLong(r -> r.listedSeq);

  /**
   * Hands out grants while something fits; see the class comment. Returns the runs to call back.
   * {@code asking}, when not null, is a run asking right now: it is considered even if parked.
   */
  List<RunShare> assign(@Nullable RunShare asking) {
    List<RunShare> granted = null;
    while (used < capacity && !waitingRuns.isEmpty()) {
      RunShare[] runs = waitingRuns.toArray(new RunShare[0]);
      Arrays.sort(runs, order);
      boolean claimedUnreserved = false;
      boolean[] claimedLanes = new boolean[lanes.length];
      boolean[] claimedResources = new boolean[resourceNames.length];
      boolean claimed = false;
      boolean grantedOne = false;
      for (RunShare run : runs) {
        if ((run.parked && run != asking) || !run.hasRoom()) {
          continue;
        }
        for (RunShare.Waiter w : run.waiters()) {
          Demand d = w.demand;
          if (claimed && blockedByClaims(d, claimedUnreserved, claimedLanes, claimedResources)) {
            continue;
          }
          int fit = fit(d);
          if (fit == FITS) {
            take(d);
            run.granted(w);
            served(run);
            if (!run.callbackPending) { // one call back makes the run offer all its calls again
              run.callbackPending = true;
              if (granted == null) {
                granted = new ArrayList<>();
              }
              granted.add(run);
            }
            grantedOne = true;
            break;
          }
          if (fit == LACKS_CAPACITY) {
            return granted == null ? List.of() : granted;
          }
          if (!claimed) { // the first call that does not fit keeps what it lacks for itself
            claimed = true;
            switch (fit) {
              case LACKS_UNRESERVED -> claimedUnreserved = true;
              case LACKS_LANE -> claimedLanes[d.lane] = true;
              default -> {
                for (int i = 0; i < d.resources.length; i++) {
                  int r = d.resources[i];
                  if (resourceUsed[r] + d.units[i] > resourceCapacity[r]) {
                    claimedResources[r] = true;
                  }
                }
              }
            }
          }
        }
        if (grantedOne) {
          break;
        }
      }
      if (!grantedOne) {
        break;
      }
      waitingRuns.removeIf(RunShare::noWaiters);
    }
    return granted == null ? List.of() : granted;
  }

  private boolean blockedByClaims(
      Demand d, boolean unreserved, boolean[] claimedLanes, boolean[] claimedResources) {
    if (claimedLanes[d.lane]) {
      return true;
    }
    if (unreserved && lanes[d.lane].gap(lanes[d.lane].max()) == 0) {
      return true;
    }
    for (int r : d.resources) {
      if (claimedResources[r]) {
        return true;
      }
    }
    return false;
  }

  /** Calls the runs back, outside the lock. */
  void notify(List<RunShare> runs, @Nullable RunShare except) {
    for (RunShare run : runs) {
      if (run == except) {
        continue;
      }
      try {
        if (callbacks != null) { // through the timer: in virtual time, in the clock's own order
          callbacks.schedule(Duration.ZERO, run.capacityAvailable);
        } else {
          run.capacityAvailable.run();
        }
      } catch (Throwable e) {
        lock.lock();
        try {
          callbackFailures++;
        } finally {
          lock.unlock();
        }
        LOG.log(Level.WARNING, "the capacity callback of run " + run.runId + " threw", e);
      }
    }
  }

  // ---- statistics ----

  /** A snapshot of the counters, under the lock. */
  public Snapshot snapshot() {
    lock.lock();
    try {
      Map<String, Integer> resourcePeaks = new LinkedHashMap<>();
      Map<String, Integer> resourcesInUse = new LinkedHashMap<>();
      for (int i = 0; i < resourceNames.length; i++) {
        resourcePeaks.put(resourceNames[i], resourcePeak[i]);
        resourcesInUse.put(resourceNames[i], resourceUsed[i]);
      }
      Map<String, Integer> lanePeaks = new LinkedHashMap<>();
      for (int i = 1; i < lanes.length; i++) {
        lanePeaks.put(lanes[i].name, lanes[i].peak);
      }
      int waitingCalls = 0;
      for (RunShare run : waitingRuns) {
        waitingCalls += run.waitingCount();
      }
      return new Snapshot(
          used,
          peak,
          Map.copyOf(resourcesInUse),
          Map.copyOf(resourcePeaks),
          Map.copyOf(lanePeaks),
          grants,
          overAllocations,
          waitingCalls,
          callbackFailures);
    } finally {
      lock.unlock();
    }
  }

  /** The counters; see {@code SchedulerStats}. */
  public record Snapshot(
      int inUse,
      int peakInUse,
      Map<String, Integer> resourcesInUse,
      Map<String, Integer> resourcePeaks,
      Map<String, Integer> lanePeaks,
      long grants,
      long overAllocations,
      int waitingCalls,
      long callbackFailures) {}
}
