package dev.parallax.planner.sim;

import dev.parallax.planner.internal.Cycles;
import java.time.Duration;
import java.util.ArrayDeque;
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
    finishTimes(calls); // throws on a cycle
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
    Duration longest = Duration.ZERO;
    for (Duration end : finishTimes(calls).values()) {
      longest = end.compareTo(longest) > 0 ? end : longest;
    }
    return longest;
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

  /**
   * Earliest finish of each call with unlimited slots, in topological order (Kahn's algorithm);
   * what is left over lies on or behind a cycle, which is then named.
   */
  private static Map<String, Duration> finishTimes(List<SimulatedCall> calls) {
    Map<String, List<SimulatedCall>> dependents = new HashMap<>();
    Map<String, Integer> pending = new HashMap<>();
    for (SimulatedCall call : calls) {
      pending.put(call.id(), call.dependsOn().size());
      for (String dependency : call.dependsOn()) {
        dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(call);
      }
    }
    Map<String, Duration> start = new HashMap<>();
    Map<String, Duration> finish = new HashMap<>();
    ArrayDeque<SimulatedCall> ready = new ArrayDeque<>();
    calls.stream().filter(c -> c.dependsOn().isEmpty()).forEach(ready::add);
    while (!ready.isEmpty()) {
      SimulatedCall call = ready.poll();
      Duration end = start.getOrDefault(call.id(), Duration.ZERO).plus(call.duration());
      finish.put(call.id(), end);
      for (SimulatedCall next : dependents.getOrDefault(call.id(), List.of())) {
        start.merge(next.id(), end, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        if (pending.merge(next.id(), -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    if (finish.size() < calls.size()) {
      throw new IllegalArgumentException("the dependencies form a cycle: " + cycle(calls, finish));
    }
    return finish;
  }

  /** Walks unfinished dependencies from an unfinished call until an id repeats. */
  private static String cycle(List<SimulatedCall> calls, Map<String, Duration> finished) {
    Map<String, SimulatedCall> byId = new HashMap<>();
    calls.forEach(c -> byId.put(c.id(), c));
    SimulatedCall at = calls.stream().filter(c -> !finished.containsKey(c.id())).findFirst().get();
    List<String> path = new ArrayList<>();
    Map<String, Integer> positions = new HashMap<>(); // path.contains would be quadratic
    while (!positions.containsKey(at.id())) {
      positions.put(at.id(), path.size());
      path.add(at.id());
      at =
          byId.get(at.dependsOn().stream().filter(d -> !finished.containsKey(d)).findFirst().get());
    }
    List<String> cycle = new ArrayList<>(path.subList(positions.get(at.id()), path.size()));
    cycle.add(at.id());
    java.util.Collections.reverse(cycle);
    return Cycles.describe(cycle, "calls");
  }
}
