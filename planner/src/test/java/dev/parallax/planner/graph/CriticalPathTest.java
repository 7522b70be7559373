package dev.parallax.planner.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.planner.sim.HeterogeneousGraphs;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one critical-path implementation. The first three cases were the samples' {@code
 * CriticalPathTest} (for the analysis' own copy, now replaced); the rest pin what the scheduler and
 * the simulator rely on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CriticalPathTest {

  /** The critical path of a workload, through the shared implementation. */
  private static List<SimulatedCall> pathOf(Workload w) {
    List<SimulatedCall> calls = w.calls();
    DependencyGraph graph = DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn);
    List<SimulatedCall> path = new ArrayList<>();
    for (int i : CriticalPath.of(graph, i -> calls.get(i).duration()).indices()) {
      path.add(calls.get(i));
    }
    return path;
  }

  private static Duration lengthOf(Workload w) {
    List<SimulatedCall> calls = w.calls();
    return CriticalPath.of(
            DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn),
            i -> calls.get(i).duration())
        .length();
  }

  @Test
  void path_isAChainOfDependencies_asLongAsTheWorkloadsCriticalPath() {
    for (Workload w : new HeterogeneousGraphs(3, 20, 300, 6).next(30)) {
      List<SimulatedCall> path = pathOf(w);
      assertThat(lengthOf(w)).isEqualTo(w.criticalPath());
      Duration sum = Duration.ZERO;
      for (int i = 0; i < path.size(); i++) {
        SimulatedCall task = path.get(i);
        sum = sum.plus(task.duration());
        if (i == 0) {
          assertThat(task.dependsOn()).isEmpty();
        } else {
          assertThat(task.dependsOn()).contains(path.get(i - 1).id());
        }
      }
      assertThat(sum).isEqualTo(lengthOf(w));
    }
  }

  @Test
  void diamond_takesTheLongerBranch() {
    Workload w =
        new Workload(
            "diamond",
            List.of(
                SimulatedCall.of("a", "t", Duration.ofSeconds(1)),
                SimulatedCall.of("short", "t", Duration.ofSeconds(2), "a"),
                SimulatedCall.of("long", "t", Duration.ofSeconds(5), "a"),
                SimulatedCall.of("z", "t", Duration.ofSeconds(1), "short", "long")));
    assertThat(pathOf(w)).extracting(SimulatedCall::id).containsExactly("a", "long", "z");
    assertThat(lengthOf(w)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void independentTasks_pathIsTheLongestOne() {
    Workload w =
        new Workload(
            "flat",
            List.of(
                SimulatedCall.of("x", "t", Duration.ofSeconds(1)),
                SimulatedCall.of("y", "t", Duration.ofSeconds(3)),
                SimulatedCall.of("z", "t", Duration.ofSeconds(2))));
    assertThat(pathOf(w)).extracting(SimulatedCall::id).containsExactly("y");
  }

  @Test
  void equallyLongChains_pathEndsAtTheEarliestCall_andStepsBackToTheFirstDependencyListed() {
    Workload w =
        new Workload(
            "ties",
            List.of(
                SimulatedCall.of("a", "t", Duration.ofSeconds(2)),
                SimulatedCall.of("b", "t", Duration.ofSeconds(2)),
                SimulatedCall.of("c", "t", Duration.ofSeconds(1), "b", "a"),
                SimulatedCall.of("d", "t", Duration.ofSeconds(3))));
    assertThat(pathOf(w)).extracting(SimulatedCall::id).containsExactly("b", "c");
  }

  @Test
  void upwardRanks_areTheLongestWeightedPathToTheEnd_andTheLargestIsTheCriticalPath() {
    for (Workload w : new HeterogeneousGraphs(5, 20, 300, 6).next(20)) {
      List<SimulatedCall> calls = w.calls();
      DependencyGraph graph =
          DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn);
      double[] ranks = new double[calls.size()];
      CriticalPath.upwardRanks(graph, i -> calls.get(i).duration().toNanos(), ranks);
      double largest = 0;
      for (int i = 0; i < ranks.length; i++) {
        double after = 0;
        for (int j : graph.dependents(i)) {
          after = Math.max(after, ranks[j]);
        }
        assertThat(ranks[i]).isEqualTo(calls.get(i).duration().toNanos() + after);
        largest = Math.max(largest, ranks[i]);
      }
      assertThat(largest).isEqualTo((double) w.criticalPath().toNanos());
    }
  }

  @Test
  void graph_ignoresUnknownDependencies_andReportsACycle() {
    record Node(String id, List<String> dependsOn) {}
    DependencyGraph graph =
        DependencyGraph.of(
            List.of(
                new Node("a", List.of("ghost")),
                new Node("b", List.of("a", "c")),
                new Node("c", List.of("b"))),
            Node::id,
            Node::dependsOn);
    assertThat(graph.dependencies(0)).isEmpty();
    assertThat(graph.dependents(0)).containsExactly(1);
    assertThat(graph.hasCycle()).isTrue();
    assertThat(graph.topologicalOrder()).containsExactly(0);
    assertThatThrownBy(() -> CriticalPath.of(graph, i -> Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void emptyGraph_hasAnEmptyPathOfLengthZero() {
    DependencyGraph graph = DependencyGraph.of(List.<String>of(), s -> s, s -> List.of());
    CriticalPath path = CriticalPath.of(graph, i -> Duration.ZERO);
    assertThat(path.indices()).isEmpty();
    assertThat(path.length()).isEqualTo(Duration.ZERO);
  }
}
