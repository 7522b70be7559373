package dev.parallax.analysis.internal;

import dev.parallax.analysis.SimulatedMakespans;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.planner.sim.Simulator;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;

/**
 * Replays an input's recorded tasks through the planner's virtual-time simulator — the real
 * executor and scheduling code, with every task lasting its recorded runtime — under three
 * policies: FIFO, critical-path priority with the learned predictor's estimates, and critical-path
 * priority with the true durations (the oracle). Stateless. Internal; may change at any time.
 */
public final class ScheduleComparison {

  /** Seed of the best-known search's random restarts. */
  private static final long SEED = 42;

  private ScheduleComparison() {}

  /**
   * Simulates every run of {@code input} on {@code slots} slots under each policy.
   *
   * @param afterEach called after each policy, for progress
   */
  public static SimulatedMakespans run(
      TracedWorkflow input, int slots, Predictor learned, Runnable afterEach) {
    Duration fifo = makespan(input, slots, SchedulingPolicy.fifo());
    afterEach.run();
    Duration byModel = makespan(input, slots, CriticalPathScheduling.using(learned));
    afterEach.run();
    Duration oracle = makespan(input, slots, CriticalPathScheduling.using(Simulator.oracle()));
    afterEach.run();
    return new SimulatedMakespans(fifo, byModel, oracle);
  }

  /**
   * The makespan of {@code input} on {@code slots} slots, summed over its runs, under the best
   * priority a search finds with the true durations ({@link BestKnownSchedule}): how close to the
   * lower bound a scheduler that knew every duration gets.
   */
  public static Duration bestKnown(TracedWorkflow input, int slots) {
    Duration total = Duration.ZERO;
    for (Workload run : input.runs()) {
      SchedulingPolicy policy = BestKnownSchedule.forRun(run, slots, SEED);
      try (Simulator simulator = Simulator.builder().slots(slots).scheduling(policy).build()) {
        total = total.plus(simulator.run(run).makespan());
      }
    }
    return total;
  }

  private static Duration makespan(TracedWorkflow input, int slots, SchedulingPolicy policy) {
    Duration total = Duration.ZERO;
    try (Simulator simulator = Simulator.builder().slots(slots).scheduling(policy).build()) {
      for (Workload run : input.runs()) {
        total = total.plus(simulator.run(run).makespan());
      }
    }
    return total;
  }
}
