package dev.parallax.planner.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.parallax.core.call.CallStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  private static SimulatedCall call(String id, long millis, String... dependsOn) {
    return SimulatedCall.of(id, "tool", Duration.ofMillis(millis), dependsOn);
  }

  @Test
  void workload_figures_criticalPathTotalWorkAndLowerBound() {
    Workload w =
        new Workload(
            "w", List.of(call("a", 10), call("b", 40), call("c", 30, "a"), call("d", 5, "c", "b")));
    assertThat(w.totalWork()).isEqualTo(Duration.ofMillis(85));
    assertThat(w.criticalPath()).isEqualTo(Duration.ofMillis(45));
    assertThat(w.lowerBound(1)).isEqualTo(Duration.ofMillis(85));
    assertThat(w.lowerBound(4)).isEqualTo(Duration.ofMillis(45));
  }

  @Test
  void workload_badInput_isNamed() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Workload("w", List.of(call("a", 1), call("a", 2))))
        .withMessage("workload w: call id a is used twice");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Workload("w", List.of(call("a", 1, "ghost"))))
        .withMessage("workload w: call a depends on ghost, which is not in the workload");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new Workload(
                    "w",
                    List.of(
                        call("root", 1),
                        call("a", 1, "c", "root"),
                        call("b", 1, "a"),
                        call("c", 1, "b"))))
        .withMessageContaining("the dependencies form a cycle: ")
        .withMessageContaining("a -> b -> c");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> call("a", -1))
        .withMessageContaining("call a: duration is negative");
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void cycleOf100kCalls_isReportedBounded_andFound_inLinearTime() {
    // the bug: the whole ring went into the message, found with a quadratic walk
    int n = 100_000;
    List<SimulatedCall> ring = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      ring.add(call("c" + i, 1, "c" + ((i + 1) % n)));
    }
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Workload("ring", ring))
        .withMessageContaining("the dependencies form a cycle: 100000 calls: ")
        .withMessageContaining(" calls … -> ")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void run_isDeterministic_andTakesVirtualTimeOnly() {
    Workload w = new HeterogeneousGraphs(5, 200, 200, 6).next();
    try (Simulator sim = Simulator.builder().slots(3).build()) {
      SimulationResult first = sim.run(w);
      SimulationResult second = sim.run(w);
      assertThat(second.schedule()).isEqualTo(first.schedule());
      assertThat(first.makespan()).isGreaterThanOrEqualTo(first.lowerBound());
      assertThat(first.records()).hasSize(200);
      assertThat(first.records().get(0).features()).containsKey(HeterogeneousGraphs.SIZE);
    }
  }

  @Test
  void failedCall_skipsItsDependents_andCountsInTheSuccessRate() {
    SimulatedCall broken =
        new SimulatedCall("a", "tool", Map.of(), List.of(), Duration.ofMillis(5), false);
    Workload w = new Workload("w", List.of(broken, call("b", 10, "a"), call("c", 10)));
    try (Simulator sim = Simulator.builder().slots(2).build()) {
      SimulationResult r = sim.run(w);
      assertThat(r.schedule())
          .extracting(ScheduledCall::status)
          .containsExactly(CallStatus.FAILED, CallStatus.SKIPPED, CallStatus.SUCCEEDED);
      assertThat(r.successRate()).isEqualTo(1.0 / 3);
      assertThat(r.records()).hasSize(2); // the skipped call never ran
    }
  }

  @Test
  void oracle_predictsTheTrueDuration() {
    Workload w = new Workload("w", List.of(call("a", 42)));
    try (Simulator sim = Simulator.builder().slots(1).predictor(Simulator.oracle()).build()) {
      SimulationResult r = sim.run(w);
      assertThat(r.records().get(0).duration()).isEqualTo(Duration.ofMillis(42));
    }
  }

  @Test
  void generator_spreadsDurationsOverTwoOrdersOfMagnitude() {
    List<Duration> durations =
        new HeterogeneousGraphs(9, 50, 1000, 8)
            .next(5).stream()
                .flatMap(w -> w.calls().stream())
                .map(SimulatedCall::duration)
                .sorted()
                .toList();
    Duration shortest = durations.get(0);
    Duration longest = durations.get(durations.size() - 1);
    assertThat(longest.toNanos() / (double) shortest.toNanos()).isGreaterThan(100);
  }
}
