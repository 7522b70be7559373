package dev.parallax.planner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.sim.HeterogeneousGraphs;
import dev.parallax.planner.sim.ScheduledCall;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.SimulationResult;
import dev.parallax.planner.sim.Simulator;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Critical-path scheduling, run through the real executor in the simulator. */
class CriticalPathSchedulingTest {

  private static SimulatedCall call(String id, long millis, String... dependsOn) {
    return SimulatedCall.of(id, "t_" + id.charAt(0), Duration.ofMillis(millis), dependsOn);
  }

  private static SimulationResult run(SchedulingPolicy policy, int slots, SimulatedCall... calls) {
    try (Simulator sim = Simulator.builder().slots(slots).scheduling(policy).build()) {
      return sim.run(new Workload("w", List.of(calls)));
    }
  }

  private static List<String> startOrder(SimulationResult result) {
    return result.schedule().stream()
        .sorted(Comparator.comparing(ScheduledCall::start).thenComparing(ScheduledCall::id))
        .map(ScheduledCall::id)
        .toList();
  }

  /** Predicts a fixed latency per call id; none for ids not listed. */
  private static Predictor predicting(Map<String, Long> millisById) {
    return call -> {
      Long ms = millisById.get(call.callId());
      return ms == null
          ? null
          : new Prediction(Duration.ofMillis(ms), Duration.ofMillis(ms), 1, "test");
    };
  }

  @Test
  void independentCallsBeyondTheLimit_longestPredictedStartsFirst() {
    SimulationResult r =
        run(
            CriticalPathScheduling.using(Simulator.oracle()),
            1,
            call("a", 10),
            call("b", 30),
            call("c", 20));
    assertThat(startOrder(r)).containsExactly("b", "c", "a");
  }

  @Test
  void graph_theReadyCallHoldingTheLongestPathStartsFirst_andShortensTheRun() {
    SimulatedCall[] calls = {
      call("b1", 50), call("b2", 50), call("a", 10), call("c", 100, "a"),
    };
    SimulationResult fifo = run(SchedulingPolicy.fifo(), 2, calls);
    SimulationResult critical = run(CriticalPathScheduling.using(Simulator.oracle()), 2, calls);

    assertThat(fifo.makespan()).isEqualTo(Duration.ofMillis(160));
    assertThat(critical.makespan()).isEqualTo(Duration.ofMillis(110));
    assertThat(critical.makespan()).isEqualTo(critical.lowerBound());
    assertThat(startOrder(critical)).startsWith("a", "b1");
  }

  @Test
  void equalPredictions_keepSubmissionOrder() {
    SimulationResult r =
        run(
            CriticalPathScheduling.using(predicting(Map.of("x", 5L, "y", 5L, "z", 5L))),
            1,
            call("z", 30),
            call("x", 10),
            call("y", 20));
    assertThat(startOrder(r)).containsExactly("z", "x", "y");
  }

  @Test
  void missingPredictions_fallBackToTheNextPredictor() {
    Predictor learned = predicting(Map.of("a", 10L));
    Predictor baseline = predicting(Map.of("a", 1L, "b", 30L, "c", 20L));
    SimulationResult r =
        run(
            CriticalPathScheduling.using(learned, baseline),
            1,
            call("a", 10),
            call("b", 30),
            call("c", 20));
    assertThat(startOrder(r)).containsExactly("b", "c", "a");
  }

  @Test
  void noPredictionsAtAll_orAThrowingPredictor_runInSubmissionOrder_withoutFailing() {
    Predictor broken =
        call -> {
          throw new IllegalStateException("model file corrupt");
        };
    for (Predictor predictor : List.of(Predictor.NONE, broken)) {
      SimulationResult r =
          run(
              CriticalPathScheduling.using(predictor),
              1,
              call("a", 10),
              call("b", 30),
              call("c", 20));
      assertThat(startOrder(r)).containsExactly("a", "b", "c");
      assertThat(r.successRate()).isEqualTo(1.0);
    }
  }

  @Test
  void measuredDurations_reRankTheToolsStillWaiting() {
    // tool x is predicted ten times too fast: once x1 has run, x2 is re-estimated at 400 ms
    SimulatedCall[] calls = {
      call("x1", 600), call("y1", 50), call("x2", 400), call("y2", 50),
    };
    Predictor underestimates = predicting(Map.of("x1", 60L, "y1", 50L, "x2", 40L, "y2", 50L));

    SimulationResult reRanked = run(CriticalPathScheduling.using(underestimates), 1, calls);
    SimulationResult fixed =
        run(
            CriticalPathScheduling.builder()
                .predictor(underestimates)
                .rerankThreshold(Double.POSITIVE_INFINITY)
                .build(),
            1,
            calls);

    assertThat(startOrder(reRanked)).containsExactly("x1", "x2", "y1", "y2");
    assertThat(startOrder(fixed)).containsExactly("x1", "y1", "y2", "x2");
  }

  @Test
  void fewerReadyCallsThanSlots_neverWorseThanFifo_bothReachTheCriticalPath() {
    HeterogeneousGraphs graphs = new HeterogeneousGraphs(11, 20, 60, 5);
    for (int i = 0; i < 20; i++) {
      Workload w = graphs.next();
      int slots = w.size(); // every ready call can start at once
      try (Simulator fifo = Simulator.builder().slots(slots).build();
          Simulator critical =
              Simulator.builder()
                  .slots(slots)
                  .scheduling(CriticalPathScheduling.using(Simulator.oracle()))
                  .build()) {
        SimulationResult a = fifo.run(w);
        SimulationResult b = critical.run(w);
        assertThat(b.makespan()).isEqualTo(a.makespan()).isEqualTo(w.criticalPath());
      }
    }
  }

  @Test
  void rerankThreshold_mustBePositive() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> CriticalPathScheduling.builder().rerankThreshold(0))
        .withMessageContaining("rerankThreshold must be > 0, was 0.0");
  }
}
