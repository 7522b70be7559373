package dev.parallax.samples.bench.workload;

/**
 * How much work each workload does. {@link #full()} gives figures worth reporting in a few minutes
 * on two cores; {@link #quick()} is a smoke test (the figures are still measured, on too little
 * data to mean much).
 *
 * @param overheadCalls no-op calls per fan-out in {@code overhead}
 * @param overheadWarmups unmeasured rounds of {@code overhead} (one fan-out per policy each)
 * @param overheadRounds measured rounds of {@code overhead}
 * @param seedWarmups unmeasured rounds of the 100 ms scenarios of {@code seed}
 * @param seedRounds measured rounds of the 100 ms scenarios
 * @param fastWarmups unmeasured rounds of the 0.1 ms scenario
 * @param fastRounds measured rounds of the 0.1 ms scenario
 * @param trainingGraphs graphs run FIFO to train the predictors of {@code graphs}
 * @param testGraphs graphs every policy of {@code graphs} is measured on
 * @param minCalls fewest calls of a graph
 * @param maxCalls most calls of a graph
 * @param capacity the simulated backend's capacity in {@code capacity}
 * @param capacitySeconds virtual seconds of each {@code capacity} run
 * @param capacityWarmupSeconds virtual seconds at the start of each run not counted
 * @param flakyTurns agent turns in {@code flaky}
 * @param flakyCallsPerTurn calls per turn, all run at once
 * @param learningRecords records streamed to the predictors in {@code learning}
 * @param learningBlock records between two retrainings (one point of the error curve)
 * @param learningHeldOut held-out records the final errors are measured on
 */
public record Sizes(
    int overheadCalls,
    int overheadWarmups,
    int overheadRounds,
    int seedWarmups,
    int seedRounds,
    int fastWarmups,
    int fastRounds,
    int trainingGraphs,
    int testGraphs,
    int minCalls,
    int maxCalls,
    int capacity,
    int capacitySeconds,
    int capacityWarmupSeconds,
    int flakyTurns,
    int flakyCallsPerTurn,
    int learningRecords,
    int learningBlock,
    int learningHeldOut) {

  /** Checks that every size is usable. */
  public Sizes {
    positive("overheadCalls", overheadCalls);
    positive("overheadRounds", overheadRounds);
    positive("seedRounds", seedRounds);
    positive("fastRounds", fastRounds);
    positive("trainingGraphs", trainingGraphs);
    positive("testGraphs", testGraphs);
    positive("minCalls", minCalls);
    positive("capacity", capacity);
    positive("flakyTurns", flakyTurns);
    positive("flakyCallsPerTurn", flakyCallsPerTurn);
    positive("learningBlock", learningBlock);
    positive("learningHeldOut", learningHeldOut);
    if (overheadWarmups < 0 || seedWarmups < 0 || fastWarmups < 0) {
      throw new IllegalArgumentException("warm-up rounds must be >= 0");
    }
    if (maxCalls < minCalls) {
      throw new IllegalArgumentException("maxCalls " + maxCalls + " is below minCalls " + minCalls);
    }
    if (capacityWarmupSeconds < 0 || capacitySeconds <= capacityWarmupSeconds) {
      throw new IllegalArgumentException(
          "capacity run of "
              + capacitySeconds
              + " s must be longer than its warm-up of "
              + capacityWarmupSeconds
              + " s");
    }
    if (learningRecords < learningBlock) {
      throw new IllegalArgumentException(
          "learningRecords " + learningRecords + " is below one block of " + learningBlock);
    }
  }

  /** Sizes for figures worth reporting. */
  public static Sizes full() {
    return new Sizes(
        100, 2000, 5000, 2, 7, 1000, 2000, 20, 200, 50, 1000, 20, 300, 30, 250, 8, 4000, 250, 1000);
  }

  /** Sizes for a smoke test: seconds, not minutes. */
  public static Sizes quick() {
    return new Sizes(20, 20, 30, 0, 1, 10, 20, 4, 3, 20, 60, 8, 60, 10, 20, 4, 600, 150, 200);
  }

  /** The same sizes with another number of test graphs. */
  public Sizes withTestGraphs(int graphs) {
    return new Sizes(
        overheadCalls,
        overheadWarmups,
        overheadRounds,
        seedWarmups,
        seedRounds,
        fastWarmups,
        fastRounds,
        trainingGraphs,
        graphs,
        minCalls,
        maxCalls,
        capacity,
        capacitySeconds,
        capacityWarmupSeconds,
        flakyTurns,
        flakyCallsPerTurn,
        learningRecords,
        learningBlock,
        learningHeldOut);
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, was " + value);
    }
  }
}
