package dev.parallax.analysis.internal;

import dev.parallax.planner.graph.DependencyGraph;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/*
 * Lower bounds on the makespan of ANY schedule of a DAG on m identical slots (no preemption needed
 * for them to hold; every task lasts its given duration p(i)):
 *
 *  - the critical path: the longest chain of durations;
 *  - total work / m: the slots cannot do more than m units of work per unit of time;
 *  - the window bound, which combines both. head(i) is the longest chain strictly before i (no
 *    schedule starts i sooner), tail(i) the longest chain strictly after it (no schedule ends
 *    sooner than end(i) + tail(i)). For a set S of tasks, every task of S runs inside the window
 *    [min head over S, C - min tail over S], where C is the makespan, so
 *        C >= min_S head + work(S) / m + min_S tail.
 *    The sets tried are S(a, b) = {i : head(i) >= a, tail(i) >= b} for every head value a and every
 *    tail value b: one sort by tail and one scan per distinct head, O(heads x n). S(0, 0) is every
 *    task, which gives total work / m again. On a graph that starts and ends with a chain around a
 *    wide fan-out (split, many similar tasks, merge) this adds the chains to the fan-out's work per
 *    slot, where the two classic bounds take only the larger of the two.
 *
 * A graph with more distinct heads than MAX_HEADS tries an evenly spaced subset of them: every set
 * tried is still a valid bound, only possibly a lower one. Times are in whole nanoseconds and work /
 * m rounds down, so each figure is a valid bound.
 */
/**
 * Lower bounds on any schedule's makespan of a simulator workload at a number of slots: the
 * critical path, the total work per slot, and a window bound combining both (see the source). A
 * task that fails in the recording is counted like any other (the simulator skips its dependents,
 * so for a workload with failures the bound may exceed a simulated makespan). Stateless. Internal;
 * may change at any time.
 */
public final class MakespanBounds {

  /** At most this many distinct head values are tried as window starts. */
  static final int MAX_HEADS = 1024;

  private MakespanBounds() {}

  /** The bounds of one workload. */
  public record Bounds(Duration criticalPath, Duration workPerSlot, Duration window) {

    /** The largest of the three: no schedule at these slots finishes sooner. */
    public Duration lowerBound() {
      Duration max = criticalPath;
      if (workPerSlot.compareTo(max) > 0) {
        max = workPerSlot;
      }
      return window.compareTo(max) > 0 ? window : max;
    }

    /** Each figure summed with {@code other}'s (runs that happen one after another). */
    public Bounds plus(Bounds other) {
      return new Bounds(
          criticalPath.plus(other.criticalPath),
          workPerSlot.plus(other.workPerSlot),
          window.plus(other.window));
    }

    /** Zero everywhere: the sum over no runs. */
    public static Bounds zero() {
      return new Bounds(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
  }

  /**
   * The bounds of {@code runs} at {@code slots}, each figure summed over the runs (they happen one
   * after another).
   *
   * @throws IllegalArgumentException if {@code slots} is below 1
   */
  public static Bounds of(List<Workload> runs, int slots) {
    Bounds total = Bounds.zero();
    for (Workload run : runs) {
      total = total.plus(of(run, slots));
    }
    return total;
  }

  /**
   * The bounds of {@code run} at {@code slots}.
   *
   * @throws IllegalArgumentException if {@code slots} is below 1
   */
  public static Bounds of(Workload run, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be >= 1, was " + slots);
    }
    List<SimulatedCall> calls = run.calls();
    int n = calls.size();
    DependencyGraph graph = DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn);
    int[] order = graph.topologicalOrder(); // a Workload is acyclic: every call is in it
    long[] p = new long[n];
    long work = 0;
    for (int i = 0; i < n; i++) {
      p[i] = calls.get(i).duration().toNanos();
      work += p[i];
    }
    long[] head = new long[n];
    for (int i : order) {
      for (int d : graph.dependencies(i)) {
        head[i] = Math.max(head[i], head[d] + p[d]);
      }
    }
    long[] tail = new long[n];
    long path = 0;
    for (int k = order.length - 1; k >= 0; k--) {
      int i = order[k];
      for (int j : graph.dependents(i)) {
        tail[i] = Math.max(tail[i], p[j] + tail[j]);
      }
      path = Math.max(path, head[i] + p[i] + tail[i]);
    }
    long workPerSlot = work / slots;
    return new Bounds(
        Duration.ofNanos(path),
        Duration.ofNanos(workPerSlot),
        Duration.ofNanos(window(head, tail, p, slots)));
  }

  /** The largest {@code a + work(S(a, b)) / slots + b} over the sets tried (see the source). */
  private static long window(long[] head, long[] tail, long[] p, int slots) {
    int n = p.length;
    if (n == 0) {
      return 0;
    }
    Integer[] byTailDescending = new Integer[n];
    for (int i = 0; i < n; i++) {
      byTailDescending[i] = i;
    }
    Arrays.sort(byTailDescending, (x, y) -> Long.compare(tail[y], tail[x]));
    long[] heads = Arrays.stream(head).distinct().sorted().toArray();
    int tries = Math.min(heads.length, MAX_HEADS);
    long best = 0;
    for (int t = 0; t < tries; t++) {
      long a = heads[(int) ((long) t * heads.length / tries)];
      long sum = 0;
      for (int i : byTailDescending) {
        if (head[i] >= a) {
          sum += p[i];
          best = Math.max(best, a + sum / slots + tail[i]);
        }
      }
    }
    return best;
  }
}
