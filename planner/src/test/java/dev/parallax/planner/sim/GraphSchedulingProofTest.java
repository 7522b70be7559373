package dev.parallax.planner.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The proof: on heterogeneous graphs (50 to 1,000 calls, durations over two orders of
 * magnitude, 2 to 16 slots) oracle priority is within 5% of the lower bound on average, and learned
 * priority beats FIFO and moving-average priority and comes within 5% of the oracle.
 */
class GraphSchedulingProofTest {

  @Test
  void learnedPriority_beatsFifoAndMovingAverage_andApproachesTheOracle() {
    AdaptivePredictor learned = predictor();
    AdaptivePredictor movingAverage = predictor(); // never retrained: baseline only
    HeterogeneousGraphs training = new HeterogeneousGraphs(1, 50, 1000, 8);
    try (Simulator fifo = Simulator.builder().slots(8).build()) {
      for (Workload w : training.next(20)) {
        for (var record : fifo.run(w).records()) {
          learned.accept(record);
          movingAverage.accept(record);
        }
      }
    }
    assertThat(learned.retrain()).isTrue();

    Map<String, SchedulingPolicy> policies = new LinkedHashMap<>();
    policies.put("fifo", SchedulingPolicy.fifo());
    policies.put("ewma_priority", CriticalPathScheduling.using(movingAverage));
    policies.put("learned", CriticalPathScheduling.using(learned));
    policies.put("oracle", CriticalPathScheduling.using(Simulator.oracle()));
    Map<String, double[]> ratios = new LinkedHashMap<>();
    policies.keySet().forEach(p -> ratios.put(p, new double[2]));

    HeterogeneousGraphs graphs = new HeterogeneousGraphs(2, 50, 1000, 8);
    Random slotsRandom = new Random(3);
    int count = 200;
    for (int g = 0; g < count; g++) {
      Workload w = graphs.next();
      int slots = 2 + slotsRandom.nextInt(15);
      for (var e : policies.entrySet()) {
        try (Simulator sim = Simulator.builder().slots(slots).scheduling(e.getValue()).build()) {
          SimulationResult r = sim.run(w);
          ratios.get(e.getKey())[0] += r.ratioToLowerBound();
          ratios.get(e.getKey())[1] += r.makespan().toNanos() / 1e9;
        }
      }
    }
    ratios.forEach(
        (p, v) ->
            System.out.printf(
                "graphs: %-14s mean makespan / lower bound %.4f, total makespan %.1f s%n",
                p, v[0] / count, v[1]));

    double oracle = ratios.get("oracle")[0] / count;
    double learnedRatio = ratios.get("learned")[0] / count;
    assertThat(oracle).as("oracle makespan / lower bound, mean").isLessThanOrEqualTo(1.05);
    assertThat(ratios.get("learned")[1])
        .as("learned total makespan vs fifo")
        .isLessThan(ratios.get("fifo")[1]);
    assertThat(ratios.get("learned")[1])
        .as("learned total makespan vs moving average")
        .isLessThan(ratios.get("ewma_priority")[1]);
    assertThat(learnedRatio / oracle).as("learned vs oracle, mean ratio").isLessThanOrEqualTo(1.05);
  }

  private static AdaptivePredictor predictor() {
    return AdaptivePredictor.builder()
        .trainingExecutor(Runnable::run)
        .retrainEvery(Integer.MAX_VALUE)
        .windowSize(20_000)
        .seed(7)
        .build();
  }
}
