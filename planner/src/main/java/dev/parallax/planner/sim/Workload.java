package dev.parallax.planner.sim;

import dev.parallax.planner.graph.CriticalPath;
import dev.parallax.planner.graph.DependencyGraph;
import dev.parallax.planner.internal.Cycles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A graph of simulated calls, with the figures any schedule is measured against.
 *
 * <p>{@link #lowerBound(int)} is {@code max(critical path, total work / slots)}: no schedule on
 * {@code slots} slots can finish sooner, whatever its order.
 *
 * @param name a name for reports
 * @param calls the calls, in submission order; every dependency must name an earlier or later call
 *     of the workload and the dependencies must not form a cycle
 */
public record Workload(String name, List<SimulatedCall> calls) {

  /** Validates: unique ids, known dependencies, no cycle. */
  public Workload {
    Objects.requireNonNull(name, "name");
    calls = List.copyOf(calls);
    Set<String> ids = new HashSet<>();
    for (SimulatedCall call : calls) {
      if (!ids.add(call.id())) {
        throw new IllegalArgumentException(
            "workload " + name + ": call id " + call.id() + " is used twice");
      }
    }
    for (SimulatedCall call : calls) {
      for (String dependency : call.dependsOn()) {
        if (!ids.contains(dependency)) {
          throw new IllegalArgumentException(
              "workload "
                  + name
                  + ": call "
                  + call.id()
                  + " depends on "
                  + dependency
                  + ", which is not in the workload");
        }
      }
    }
    requireAcyclic(calls);
  }

  /** Sum of every call's duration. */
  public Duration totalWork() {
    Duration total = Duration.ZERO;
    for (SimulatedCall call : calls) {
      total = total.plus(call.duration());
    }
    return total;
  }

  /** The longest chain of durations through the dependencies. */
  public Duration criticalPath() {
    return CriticalPath.of(graph(calls), i -> calls.get(i).duration()).length();
  }

  /** {@code max(critical path, total work / slots)}. */
  public Duration lowerBound(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be >= 1, was " + slots);
    }
    Duration perSlot = totalWork().dividedBy(slots);
    Duration path = criticalPath();
    return path.compareTo(perSlot) >= 0 ? path : perSlot;
  }

  /** The number of calls. */
  public int size() {
    return calls.size();
  }

  /** The calls' dependency graph, by index. */
  private static DependencyGraph graph(List<SimulatedCall> calls) {
    return DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn);
  }

  /** Throws naming a cycle if the dependencies form one. */
  private static void requireAcyclic(List<SimulatedCall> calls) {
    DependencyGraph graph = graph(calls);
    if (graph.hasCycle()) {
      Set<String> finished = new HashSet<>();
      for (int i : graph.topologicalOrder()) {
        finished.add(calls.get(i).id());
      }
      throw new IllegalArgumentException(
          "the dependencies form a cycle: " + cycle(calls, finished));
    }
  }

  /** Walks unfinished dependencies from an unfinished call until an id repeats. */
  private static String cycle(List<SimulatedCall> calls, Set<String> finished) {
    Map<String, SimulatedCall> byId = new HashMap<>();
    calls.forEach(c -> byId.put(c.id(), c));
    SimulatedCall at = calls.stream().filter(c -> !finished.contains(c.id())).findFirst().get();
    List<String> path = new ArrayList<>();
    Map<String, Integer> positions = new HashMap<>(); // path.contains would be quadratic
    while (!positions.containsKey(at.id())) {
      positions.put(at.id(), path.size());
      path.add(at.id());
      at = byId.get(at.dependsOn().stream().filter(d -> !finished.contains(d)).findFirst().get());
    }
    List<String> cycle = new ArrayList<>(path.subList(positions.get(at.id()), path.size()));
    cycle.add(at.id());
    java.util.Collections.reverse(cycle);
    return Cycles.describe(cycle, "calls");
  }
}
