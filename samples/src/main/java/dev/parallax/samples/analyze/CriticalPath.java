package dev.parallax.samples.analyze;

import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The longest chain of recorded durations through a workload's dependencies: the tasks on it, in
 * order, and its length (which equals {@link Workload#criticalPath()}). With unlimited slots no
 * schedule finishes sooner.
 *
 * @param tasks the tasks on the path, first to last
 * @param length the sum of their durations
 */
public record CriticalPath(List<SimulatedCall> tasks, Duration length) {

  /** Copies. */
  public CriticalPath {
    tasks = List.copyOf(tasks);
  }

  /**
   * The critical path of {@code workload} (a valid workload has no cycle). Among equally long
   * chains, the one ending at the earliest task in submission order wins.
   */
  public static CriticalPath of(Workload workload) {
    Map<String, SimulatedCall> byId = new HashMap<>();
    Map<String, List<SimulatedCall>> dependents = new HashMap<>();
    Map<String, Integer> pending = new HashMap<>();
    for (SimulatedCall call : workload.calls()) {
      byId.put(call.id(), call);
      pending.put(call.id(), call.dependsOn().size());
      for (String dependency : call.dependsOn()) {
        dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(call);
      }
    }
    Map<String, Duration> finish = new HashMap<>();
    Map<String, String> previous = new HashMap<>();
    ArrayDeque<SimulatedCall> ready = new ArrayDeque<>();
    workload.calls().stream().filter(c -> c.dependsOn().isEmpty()).forEach(ready::add);
    while (!ready.isEmpty()) {
      SimulatedCall call = ready.poll();
      Duration start = Duration.ZERO;
      String via = null;
      for (String dependency : call.dependsOn()) {
        Duration end = finish.get(dependency);
        if (via == null || end.compareTo(start) > 0) {
          start = end;
          via = dependency;
        }
      }
      if (via != null) {
        previous.put(call.id(), via);
      }
      finish.put(call.id(), start.plus(call.duration()));
      for (SimulatedCall next : dependents.getOrDefault(call.id(), List.of())) {
        if (pending.merge(next.id(), -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    @Nullable SimulatedCall last = null;
    Duration length = Duration.ZERO;
    for (SimulatedCall call : workload.calls()) {
      Duration end = finish.get(call.id());
      if (last == null || end.compareTo(length) > 0) {
        last = call;
        length = end;
      }
    }
    List<SimulatedCall> path = new ArrayList<>();
    for (SimulatedCall at = last; at != null; at = byIdOrNull(byId, previous.get(at.id()))) {
      path.add(at);
    }
    Collections.reverse(path);
    return new CriticalPath(path, length);
  }

  private static @Nullable SimulatedCall byIdOrNull(
      Map<String, SimulatedCall> byId, @Nullable String id) {
    return id == null ? null : byId.get(id);
  }
}
