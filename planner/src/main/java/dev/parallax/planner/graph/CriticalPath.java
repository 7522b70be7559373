package dev.parallax.planner.graph;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/*
 * Both figures are the longest path through a DAG, computed in one pass over a topological order
 * (Kahn's, from DependencyGraph):
 *
 *  - forward, for the critical path itself: finish(i) = duration(i) + max(finish(d) for d that i
 *    depends on). Its length is the largest finish; the path is followed back from the call that
 *    ends it through the dependency that finished last. Ties: the path ends at the earliest call in
 *    submission order, and steps back to the first dependency (in the order given) among those that
 *    finished last.
 *  - backward, for scheduling: the upward rank rank(i) = weight(i) + max(rank(j) for j depending
 *    on i), the length of the longest path from a call to the end of the graph. Ordering ready
 *    calls by it is the classic HEFT list-scheduling priority. The largest rank equals the
 *    critical path's length for the same weights.
 */
/**
 * The longest chain of durations through a {@link DependencyGraph}: with unlimited slots no
 * schedule finishes sooner. Also the upward ranks critical-path scheduling orders calls by. One
 * implementation, shared by the planner's critical-path scheduling, the simulator's {@code
 * Workload.criticalPath()} and trace analysis. Immutable and thread-safe.
 */
public final class CriticalPath {

  private final int[] indices;
  private final Duration length;

  private CriticalPath(int[] indices, Duration length) {
    this.indices = indices;
    this.length = length;
  }

  /**
   * The critical path of {@code graph} when call {@code i} lasts {@code duration.apply(i)}. Among
   * equally long chains, the one ending at the earliest call in submission order wins; along it,
   * each call's predecessor is its first dependency (in the order given) among those that finished
   * last. An empty graph has an empty path of length zero.
   *
   * @param duration each call's duration, not negative; asked once per call
   * @throws IllegalArgumentException if the graph has a cycle
   */
  public static CriticalPath of(DependencyGraph graph, IntFunction<Duration> duration) {
    requireAcyclic(graph);
    int n = graph.size();
    Duration[] finish = new Duration[n];
    int[] previous = new int[n];
    for (int i : graph.orderView()) {
      Duration start = Duration.ZERO;
      int via = -1;
      for (int d : graph.dependenciesView(i)) {
        if (via < 0 || finish[d].compareTo(start) > 0) {
          start = finish[d];
          via = d;
        }
      }
      previous[i] = via;
      finish[i] = start.plus(duration.apply(i));
    }
    int last = -1;
    Duration length = Duration.ZERO;
    for (int i = 0; i < n; i++) {
      if (last < 0 || finish[i].compareTo(length) > 0) {
        last = i;
        length = finish[i];
      }
    }
    int[] path = new int[n];
    int size = 0;
    for (int at = last; at >= 0; at = previous[at]) {
      path[size++] = at;
    }
    int[] ordered = new int[size];
    for (int k = 0; k < size; k++) {
      ordered[k] = path[size - 1 - k];
    }
    return new CriticalPath(ordered, length);
  }

  /**
   * Writes the upward rank of every call into {@code ranks}: {@code rank(i) = weight(i) +
   * max(rank(j) for every j depending on i)}, the longest weighted path from a call to the end of
   * the graph, call {@code i} included.
   *
   * @param weight each call's weight (an estimated duration); asked once per call
   * @param ranks where the ranks go, at least {@link DependencyGraph#size()} long
   * @throws IllegalArgumentException if the graph has a cycle or {@code ranks} is too short
   */
  public static void upwardRanks(
      DependencyGraph graph, IntToDoubleFunction weight, double[] ranks) {
    requireAcyclic(graph);
    if (ranks.length < graph.size()) {
      throw new IllegalArgumentException(
          "ranks has " + ranks.length + " elements, the graph " + graph.size() + " calls");
    }
    int[] order = graph.orderView();
    for (int k = order.length - 1; k >= 0; k--) {
      int i = order[k];
      double longestAfter = 0;
      for (int j : graph.dependentsView(i)) {
        longestAfter = Math.max(longestAfter, ranks[j]);
      }
      ranks[i] = weight.applyAsDouble(i) + longestAfter;
    }
  }

  /** The indices of the calls on the path, first to last (a copy). */
  public int[] indices() {
    return indices.clone();
  }

  /** The sum of their durations: the largest finish time with unlimited slots. */
  public Duration length() {
    return length;
  }

  @Override
  public String toString() {
    return "CriticalPath" + Arrays.toString(indices) + " " + length;
  }

  private static void requireAcyclic(DependencyGraph graph) {
    if (graph.hasCycle()) {
      throw new IllegalArgumentException("the dependencies form a cycle");
    }
  }
}
