package dev.parallax.docs.snippets;

import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.planner.sim.HeterogeneousGraphs;
import dev.parallax.planner.sim.Simulator;
import dev.parallax.planner.sim.Workload;

/** The README's virtual-time scheduling experiment. */
public class SimulationSnippet {

  /** Runs the snippet; returns the oracle's makespan over the lower bound. */
  public double run(long seed) {
    // README:begin
    Workload graph = new HeterogeneousGraphs(seed, 50, 1000, 8).next();
    try (Simulator fifo = Simulator.builder().slots(4).build();
        Simulator oracle =
            Simulator.builder()
                .slots(4)
                .scheduling(CriticalPathScheduling.using(Simulator.oracle()))
                .build()) {
      double fifoRatio = fifo.run(graph).ratioToLowerBound();
      double ratio =
          oracle.run(graph).ratioToLowerBound(); // makespan / max(critical path, work / slots)
      // README:end
      return Math.min(fifoRatio, ratio);
    }
  }
}
