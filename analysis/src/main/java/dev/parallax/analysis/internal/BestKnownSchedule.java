package dev.parallax.analysis.internal;

import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.graph.DependencyGraph;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/*
 * A yardstick, not a scheduler for production: with the TRUE durations, search for a list-scheduling
 * priority that gives a short makespan at m slots, so that the report can show how close to the
 * lower bound a schedule can get when everything is known (the critical-path oracle ranks by bottom
 * level, which is not optimal: on a wide fan-out it may even lose to FIFO).
 *
 * The search is forward-backward improvement (Li & Willis 1992; "justification" in the
 * project-scheduling literature), restarted from randomly perturbed bottom levels:
 *   1. list-schedule forward with the priority; remember the best priority seen;
 *   2. list-schedule the reversed graph with "latest finish first" as the priority;
 *   3. the new forward priority is "earliest start in that right-justified schedule first";
 * four passes per restart. Restart 0 starts from the bottom levels themselves, so the result is
 * never worse than the oracle's priority under this file's list scheduler. Random keys come from a
 * fixed seed: the same workload gives the same priority.
 *
 * The list scheduler here mirrors the executor's (a call finishing frees its slot and releases its
 * dependents before the next finish is handled, finishes at the same instant in start order); the
 * figure reported is the planner's simulator run with the priority found, not this file's estimate.
 */
/**
 * The best list-scheduling priority a small search finds with the true durations, as a {@link
 * SchedulingPolicy} for the simulator: a reference for how close to the lower bound a schedule can
 * get. Stateless. Internal; may change at any time.
 */
public final class BestKnownSchedule {

  private static final int PASSES = 4;
  private static final int RESTARTS = 50;

  /** Restarts are cut so that restarts x calls stays below this (large traces). */
  private static final long BUDGET = 2_000_000;

  private BestKnownSchedule() {}

  /**
   * A policy ordering the calls of {@code run} by the priority the search found at {@code slots};
   * calls it does not know go last, in submission order.
   */
  public static SchedulingPolicy forRun(Workload run, int slots, long seed) {
    return new FixedPriority(search(run, slots, seed));
  }

  /** The priority (higher first) of each call of {@code run}, by id. */
  static Map<String, Double> search(Workload run, int slots, long seed) {
    List<SimulatedCall> calls = run.calls();
    int n = calls.size();
    DependencyGraph graph = DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn);
    int[][] deps = new int[n][];
    int[][] kids = new int[n][];
    long[] p = new long[n];
    for (int i = 0; i < n; i++) {
      deps[i] = graph.dependencies(i);
      kids[i] = graph.dependents(i);
      p[i] = calls.get(i).duration().toNanos();
    }
    double[] bottom = bottomLevels(kids, graph.topologicalOrder(), p);
    double[] best = bottom.clone();
    long[] start = new long[n];
    long[] finish = new long[n];
    long[] backStart = new long[n];
    long[] backFinish = new long[n];
    long bestMakespan = schedule(deps, kids, p, best, slots, start, finish);
    int restarts = (int) Math.max(1, Math.min(RESTARTS, BUDGET / Math.max(1, n)));
    Random random = new Random(seed);
    for (int r = 0; r < restarts; r++) {
      double[] priority = new double[n];
      for (int i = 0; i < n; i++) {
        priority[i] = r == 0 ? bottom[i] : bottom[i] * (1 + 0.3 * random.nextDouble());
      }
      for (int pass = 0; pass < PASSES; pass++) {
        long makespan = schedule(deps, kids, p, priority, slots, start, finish);
        if (makespan < bestMakespan) {
          bestMakespan = makespan;
          best = priority.clone();
        }
        double[] latestFinishFirst = new double[n];
        for (int i = 0; i < n; i++) {
          latestFinishFirst[i] = finish[i];
        }
        long back = schedule(kids, deps, p, latestFinishFirst, slots, backStart, backFinish);
        for (int i = 0; i < n; i++) {
          priority[i] = -(back - backFinish[i]); // earliest start when right-justified first
        }
      }
    }
    Map<String, Double> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byId.put(calls.get(i).id(), best[i]);
    }
    return byId;
  }

  private static double[] bottomLevels(int[][] kids, int[] order, long[] p) {
    double[] level = new double[p.length];
    for (int k = order.length - 1; k >= 0; k--) {
      int i = order[k];
      double after = 0;
      for (int j : kids[i]) {
        after = Math.max(after, level[j]);
      }
      level[i] = p[i] + after;
    }
    return level;
  }

  /** List schedule at {@code slots}; fills start and finish times, returns the makespan. */
  static long schedule(
      int[][] deps,
      int[][] kids,
      long[] p,
      double[] priority,
      int slots,
      long[] start,
      long[] finish) {
    int n = p.length;
    int[] pending = new int[n];
    long[] sequence = new long[n];
    PriorityQueue<Integer> ready =
        new PriorityQueue<>(
            Math.max(1, n),
            Comparator.<Integer>comparingDouble(i -> -priority[i]).thenComparingInt(i -> i));
    PriorityQueue<Integer> running =
        new PriorityQueue<>(
            Math.max(1, slots),
            Comparator.<Integer>comparingLong(i -> finish[i]).thenComparingLong(i -> sequence[i]));
    for (int i = 0; i < n; i++) {
      pending[i] = deps[i].length;
      if (pending[i] == 0) {
        ready.add(i);
      }
    }
    long now = 0;
    long started = 0;
    int free = slots;
    while (true) {
      while (free > 0 && !ready.isEmpty()) {
        int i = ready.poll();
        start[i] = now;
        finish[i] = now + p[i];
        sequence[i] = started++;
        running.add(i);
        free--;
      }
      Integer done = running.poll();
      if (done == null) {
        return now;
      }
      now = finish[done];
      free++;
      for (int k : kids[done]) {
        if (--pending[k] == 0) {
          ready.add(k);
        }
      }
    }
  }

  /** Ready calls by a fixed priority per call id, higher first, ties in submission order. */
  private record FixedPriority(Map<String, Double> priority) implements SchedulingPolicy {

    @Override
    public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
      Comparator<C> order =
          Comparator.<C>comparingDouble(c -> -priorityOf(c)).thenComparingInt(PendingCall::index);
      PriorityQueue<C> ready = new PriorityQueue<>(Math.max(1, calls.size()), order);
      return new ReadyQueue<>() {
        @Override
        public void add(C call) {
          ready.add(call);
        }

        @Override
        public @Nullable C poll() {
          return ready.poll();
        }
      };
    }

    private double priorityOf(PendingCall call) {
      Double p = priority.get(call.callId());
      return p == null ? Double.NEGATIVE_INFINITY : p;
    }
  }
}
