package dev.parallax.planner.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The dependencies between {@code n} calls, as indices {@code 0..n-1} in submission order, and one
 * topological order of them. Immutable and thread-safe.
 *
 * <p>Built from each call's id and the ids it depends on. A dependency on an id that names no call
 * is ignored; when two calls share an id, dependencies on it name the later one. A dependency
 * listed twice counts twice (it is still one edge for every figure computed here). A graph may have
 * a cycle: {@link #hasCycle()} tells, and {@link #topologicalOrder()} then leaves out the calls on
 * or behind it.
 */
public final class DependencyGraph {

  private final int[][] dependents;
  private final int[][] dependencies;
  private final int[] order;

  private DependencyGraph(int[][] dependents, int[][] dependencies) {
    this.dependents = dependents;
    this.dependencies = dependencies;
    this.order = kahn(dependents);
  }

  /**
   * The graph of {@code calls}.
   *
   * @param calls the calls, in submission order (the order of their indices)
   * @param id a call's id
   * @param dependsOn the ids a call depends on, in the order given
   * @param <T> the call type
   */
  public static <T> DependencyGraph of(
      List<? extends T> calls,
      Function<? super T, String> id,
      Function<? super T, ? extends Collection<String>> dependsOn) {
    int n = calls.size();
    Map<String, Integer> indexById = new HashMap<>(Math.max(16, n * 2));
    for (int i = 0; i < n; i++) {
      indexById.put(id.apply(calls.get(i)), i);
    }
    List<List<Integer>> after = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      after.add(new ArrayList<>(2));
    }
    int[][] before = new int[n][];
    for (int i = 0; i < n; i++) {
      List<Integer> known = new ArrayList<>(2);
      for (String dependency : dependsOn.apply(calls.get(i))) {
        Integer d = indexById.get(dependency);
        if (d != null) {
          after.get(d).add(i);
          known.add(d);
        }
      }
      before[i] = toArray(known);
    }
    int[][] dependents = new int[n][];
    for (int i = 0; i < n; i++) {
      dependents[i] = toArray(after.get(i));
    }
    return new DependencyGraph(dependents, before);
  }

  /** The number of calls. */
  public int size() {
    return dependents.length;
  }

  /** The calls that depend on call {@code i}, in index order (a copy). */
  public int[] dependents(int i) {
    return dependents[i].clone();
  }

  /** The calls call {@code i} depends on, in the order its dependencies were given (a copy). */
  public int[] dependencies(int i) {
    return dependencies[i].clone();
  }

  /** Whether the dependencies form a cycle. */
  public boolean hasCycle() {
    return order.length < size();
  }

  /**
   * Every call after the calls it depends on (Kahn's algorithm, first in first out from the calls
   * without dependencies in index order); without the calls on or behind a cycle, if there is one.
   * A copy.
   */
  public int[] topologicalOrder() {
    return order.clone();
  }

  int[] dependentsView(int i) {
    return dependents[i];
  }

  int[] dependenciesView(int i) {
    return dependencies[i];
  }

  int[] orderView() {
    return order;
  }

  private static int[] kahn(int[][] dependents) {
    int n = dependents.length;
    int[] pending = new int[n];
    for (int[] ds : dependents) {
      for (int d : ds) {
        pending[d]++;
      }
    }
    int[] order = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (pending[i] == 0) {
        order[tail++] = i;
      }
    }
    while (head < tail) {
      int i = order[head++];
      for (int d : dependents[i]) {
        if (--pending[d] == 0) {
          order[tail++] = d;
        }
      }
    }
    return tail == n ? order : java.util.Arrays.copyOf(order, tail);
  }

  private static int[] toArray(List<Integer> list) {
    int[] array = new int[list.size()];
    for (int k = 0; k < array.length; k++) {
      array[k] = list.get(k);
    }
    return array;
  }
}
