package dev.parallax.samples.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.planner.sim.HeterogeneousGraphs;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

  @Test
  void path_isAChainOfDependencies_asLongAsTheWorkloadsCriticalPath() {
    for (Workload w : new HeterogeneousGraphs(3, 20, 300, 6).next(30)) {
      CriticalPath path = CriticalPath.of(w);
      assertThat(path.length()).isEqualTo(w.criticalPath());
      Duration sum = Duration.ZERO;
      for (int i = 0; i < path.tasks().size(); i++) {
        SimulatedCall task = path.tasks().get(i);
        sum = sum.plus(task.duration());
        if (i == 0) {
          assertThat(task.dependsOn()).isEmpty();
        } else {
          assertThat(task.dependsOn()).contains(path.tasks().get(i - 1).id());
        }
      }
      assertThat(sum).isEqualTo(path.length());
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
    CriticalPath path = CriticalPath.of(w);
    assertThat(path.tasks()).extracting(SimulatedCall::id).containsExactly("a", "long", "z");
    assertThat(path.length()).isEqualTo(Duration.ofSeconds(7));
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
    assertThat(CriticalPath.of(w).tasks()).extracting(SimulatedCall::id).containsExactly("y");
  }
}
