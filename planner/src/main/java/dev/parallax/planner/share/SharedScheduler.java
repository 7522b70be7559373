package dev.parallax.planner.share;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.spi.RunScheduler;
import dev.parallax.core.spi.ScheduledRun;
import dev.parallax.core.time.TimeSource;
import dev.parallax.planner.internal.SchedulerCore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One executor's capacity shared by all its runs: run priorities, named resources and lanes.
 *
 * <pre>{@code
 * SharedScheduler shared = SharedScheduler.builder()
 *     .capacity(16)                         // calls running at once, all runs together
 *     .resource("db", 2)                    // a tool declaring db=1 holds one of 2 units
 *     .lane("query", 4, LaneLimit.fixed(12)) // 4 slots reserved for the lane, 12 at most
 *     .capabilityLane("search", "query")
 *     .build();
 * ToolExecutor executor = ToolExecutor.builder().runScheduler(shared).build();
 * executor.execute(ExecutionPlan.parallel(interactive).withPriority(10));
 * }</pre>
 *
 * <p><b>What a call takes.</b> A call starts only when it can take, all at once, one slot of the
 * {@linkplain Builder#capacity capacity}, one slot of its lane, and the units of every named
 * resource its tool declares ({@link dev.parallax.core.tool.ToolSpec#resources()}, or {@link
 * Builder#toolResources}); it holds nothing while it waits, so calls cannot deadlock over
 * resources, and no capacity, lane maximum or resource is ever over-allocated, across all runs. It
 * gives them back when its attempt's body returns — a timed-out or cancelled attempt whose tool
 * ignores the interrupt keeps them until then, since what it uses is still busy. Resources without
 * a capacity here are not limited. A tool needing more units of a resource than its capacity fails
 * its calls at once ({@code SeamFailureException}, admission seam): they could never start.
 *
 * <p><b>Lanes.</b> A lane is a class of tools ({@link Builder#toolLane}, {@link
 * Builder#capabilityLane}) with a reserved minimum — slots of the capacity that only its calls may
 * take while it has fewer running — and a maximum, fixed or {@linkplain LaneLimit adaptive}. So a
 * flood of one class cannot starve another. Tools in no lane share the rest without a maximum of
 * their own.
 *
 * <p><b>Order.</b> When more calls wait than fit, capacity goes by run: to the run with the highest
 * priority ({@link ExecutionPlan#withPriority}), round-robin among runs of equal priority (not by
 * arrival: a run with 2,000 waiting calls takes turns with a run with 4), and within a run in the
 * order the run offers its calls (its own scheduling policy: critical path first with the planner's
 * {@code CriticalPathScheduling}). Priorities age: one unit of priority is worth {@link
 * Builder#agingInterval} of waiting (default 1 s). <b>Bound:</b> a run of priority {@code p} that
 * began waiting at {@code t} (or last got capacity at {@code t}) is served before any run of
 * priority {@code q} that began waiting, or was last served, after {@code t + (q - p) ×
 * agingInterval}; so once that time has passed it waits for at most one more call of each run that
 * was already ahead of it (measured: {@code SharedSchedulerOrderTest}), and a stream of
 * higher-priority work never starves it. Among calls that cannot all fit, the first in this order
 * that lacks a resource keeps it: later calls needing that resource wait behind it, calls needing
 * other things go on. {@link Builder#fifo()} replaces all of this with one queue by arrival, for
 * comparison.
 *
 * <p>Thread-safe; one lock guards the state, held for a few operations per call. A scheduler may be
 * shared by several executors. Builders are not thread-safe.
 */
public final class SharedScheduler implements RunScheduler {

  private final SchedulerCore core;

  private SharedScheduler(SchedulerCore core) {
    this.core = core;
  }

  /** Starts a builder with the defaults listed on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Slots open(ScheduledRun run, Runnable capacityAvailable) {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(capacityAvailable, "capacityAvailable");
    return core.open(run, capacityAvailable);
  }

  /** A snapshot of the counters. */
  public SchedulerStats stats() {
    SchedulerCore.Snapshot s = core.snapshot();
    return new SchedulerStats(
        s.inUse(),
        s.peakInUse(),
        s.resourcesInUse(),
        s.resourcePeaks(),
        s.lanePeaks(),
        s.grants(),
        s.overAllocations(),
        s.waitingCalls(),
        s.callbackFailures());
  }

  /** Configures a {@link SharedScheduler}. Not thread-safe; every setter checks its value. */
  public static final class Builder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Duration MAX_AGING = Duration.ofDays(1);

    private int capacity = Integer.MAX_VALUE;
    private final Map<String, Integer> resources = new LinkedHashMap<>();
    private final Map<String, SchedulerCore.LaneConfig> lanes = new LinkedHashMap<>();
    private final Map<String, String> toolLanes = new HashMap<>();
    private final Map<String, String> capabilityLanes = new HashMap<>();
    private final Map<String, Map<String, Integer>> toolResources = new HashMap<>();
    private boolean fifo;
    private Duration aging = Duration.ofSeconds(1);
    private LongSupplier clock = System::nanoTime;
    private @Nullable TimeSource time;

    private Builder() {}

    /**
     * Most calls running at once across all runs (default: no limit of its own; lanes and resources
     * still apply).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * The capacity of a named resource, in units (default: resources are not limited).
     *
     * @throws IllegalArgumentException if the name is not 1 to 64 letters, digits, {@code _ - . :}
     *     or the capacity is below 1
     * @throws IllegalStateException if the resource already has a capacity
     */
    public Builder resource(String name, int capacity) {
      requireName("resource", name);
      if (capacity < 1) {
        throw new IllegalArgumentException(
            "capacity of resource '" + name + "' must be >= 1, was " + capacity);
      }
      if (resources.putIfAbsent(name, capacity) != null) {
        throw new IllegalStateException("resource '" + name + "' already has a capacity");
      }
      return this;
    }

    /**
     * The resources a tool's calls hold, replacing what its spec declares (for tools you do not
     * own).
     *
     * @throws IllegalArgumentException if a unit count is below 1
     */
    public Builder toolResources(String tool, Map<String, Integer> units) {
      requireName("tool", tool);
      Objects.requireNonNull(units, "units");
      units.forEach(
          (resource, n) -> {
            requireName("resource", resource);
            if (n == null || n < 1) {
              throw new IllegalArgumentException(
                  "tool '" + tool + "': resource '" + resource + "' must be >= 1 unit, was " + n);
            }
          });
      toolResources.put(tool, Map.copyOf(units));
      return this;
    }

    /**
     * A lane with a reserved minimum and a fixed maximum; see {@link #lane(String, int,
     * LaneLimit)}.
     */
    public Builder lane(String name, int min, int max) {
      if (max < Math.max(1, min)) {
        throw new IllegalArgumentException(
            "lane '" + name + "': max must be >= max(1, min " + min + "), was " + max);
      }
      return lane(name, min, LaneLimit.fixed(max));
    }

    /**
     * A lane: {@code min} slots of the capacity are kept for its calls while fewer of them run, and
     * at most {@code max.max()} of them run at once. The minimums of all lanes together must fit in
     * the capacity.
     *
     * @throws IllegalArgumentException if {@code min} is negative or the name is invalid
     * @throws IllegalStateException if the lane exists already
     */
    public Builder lane(String name, int min, LaneLimit max) {
      requireName("lane", name);
      Objects.requireNonNull(max, "max");
      if (min < 0) {
        throw new IllegalArgumentException("lane '" + name + "': min must be >= 0, was " + min);
      }
      int initial;
      try {
        initial = max.max();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("lane '" + name + "': its limit threw", e);
      }
      if (lanes.putIfAbsent(name, new SchedulerCore.LaneConfig(name, min, max, initial)) != null) {
        throw new IllegalStateException("lane '" + name + "' exists already");
      }
      return this;
    }

    /** Puts a tool's calls in a lane (before {@link #capabilityLane}). */
    public Builder toolLane(String tool, String lane) {
      requireName("tool", tool);
      requireName("lane", lane);
      toolLanes.put(tool, lane);
      return this;
    }

    /**
     * Puts the calls of every tool with this capability in a lane, unless {@link #toolLane} places
     * the tool; a tool with several such capabilities goes by the first in alphabetical order.
     */
    public Builder capabilityLane(String capability, String lane) {
      requireName("capability", capability);
      requireName("lane", lane);
      capabilityLanes.put(capability, lane);
      return this;
    }

    /**
     * How much waiting one unit of priority is worth (default 1 second): a run of priority {@code
     * p} goes before runs of priority {@code q} that began waiting more than {@code (q - p) ×
     * interval} after it. Long intervals come close to strict priorities.
     *
     * @throws IllegalArgumentException if not positive or longer than a day
     */
    public Builder agingInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero() || interval.compareTo(MAX_AGING) > 0) {
        throw new IllegalArgumentException(
            "agingInterval must be positive and at most a day, was " + interval);
      }
      this.aging = interval;
      return this;
    }

    /**
     * One queue for all runs in arrival order, ignoring priorities (default: by priority, fair
     * among equals). For comparison.
     */
    public Builder fifo() {
      this.fifo = true;
      return this;
    }

    /**
     * The clock aging reads, and the timer through which runs are told that capacity was set aside
     * for them (default: real time, and runs are told at once on the releasing thread). Give the
     * executor's {@link dev.parallax.core.time.VirtualTime} to test in virtual time: every decision
     * then happens in the clock's own order, on the thread that advances it.
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      this.clock = time::nanoTime;
      return this;
    }

    /**
     * Builds the scheduler.
     *
     * @throws IllegalStateException if a lane named by {@link #toolLane} or {@link #capabilityLane}
     *     was not defined, or the lanes' minimums exceed the capacity
     */
    public SharedScheduler build() {
      long reserved = 0;
      for (SchedulerCore.LaneConfig lane : lanes.values()) {
        reserved += lane.min();
      }
      if (reserved > capacity) {
        throw new IllegalStateException(
            "the lanes reserve " + reserved + " slots, more than the capacity of " + capacity);
      }
      checkLanes("toolLane", toolLanes);
      checkLanes("capabilityLane", capabilityLanes);
      return new SharedScheduler(
          new SchedulerCore(
              capacity,
              resources,
              new ArrayList<>(lanes.values()),
              toolLanes,
              capabilityLanes,
              toolResources,
              fifo,
              aging.toNanos(),
              clock,
              time));
    }

    private void checkLanes(String what, Map<String, String> byName) {
      byName.forEach(
          (name, lane) -> {
            if (!lanes.containsKey(lane)) {
              throw new IllegalStateException(
                  what + "(" + name + ", " + lane + "): no lane '" + lane + "' was defined");
            }
          });
    }

    private static void requireName(String what, String name) {
      Objects.requireNonNull(name, what);
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            what + " name '" + name + "' is invalid: use 1 to 64 letters, digits, '_-.:'");
      }
    }
  }
}
