package dev.parallax.samples.bench.workload;

import java.util.List;
import java.util.Objects;

/**
 * How much work each workload does. {@link #full()} gives figures worth reporting in a few minutes
 * on two cores; {@link #quick()} is a smoke test (the figures are still measured, on too little
 * data to mean much).
 *
 * @param overhead how {@code overhead} measures
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
 * @param cluster how {@code cluster} measures
 */
public record Sizes(
    Overhead overhead,
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
    int learningHeldOut,
    Cluster cluster) {

  /** Checks that every size is usable. */
  public Sizes {
    Objects.requireNonNull(overhead, "overhead");
    Objects.requireNonNull(cluster, "cluster");
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
    if (seedWarmups < 0 || fastWarmups < 0) {
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
        new Overhead(List.of(10, 100, 1_000, 10_000), 100, 2, 7, 15, 4_000),
        2,
        7,
        1000,
        2000,
        20,
        200,
        50,
        1000,
        20,
        300,
        30,
        250,
        8,
        4000,
        250,
        1000,
        new Cluster(300, 3, 600));
  }

  /** Sizes for a smoke test: seconds, not minutes. */
  public static Sizes quick() {
    return new Sizes(
        new Overhead(List.of(10, 100), 100, 1, 5, 5, 1_000),
        0,
        1,
        10,
        20,
        4,
        3,
        20,
        60,
        8,
        60,
        10,
        20,
        4,
        600,
        200,
        200,
        new Cluster(60, 1, 120));
  }

  /** The same sizes with another number of test graphs. */
  public Sizes withTestGraphs(int graphs) {
    return new Sizes(
        overhead,
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
        learningHeldOut,
        cluster);
  }

  /**
   * How {@code overhead} measures: for each number of calls per fan-out, {@code warmupRepeats +
   * repeats} repeats of {@code samplesPerRepeat} samples per variant, the variants alternating
   * sample by sample; a sample is as many fan-outs back to back as make about {@code
   * callsPerSample} calls (at least one fan-out).
   *
   * @param callCounts the numbers of no-op calls per fan-out measured, in run order
   * @param headlineCalls the number of calls whose ratios are the workload's headline ({@code
   *     ratio_vs_virtual_threads}); one of {@code callCounts}
   * @param warmupRepeats repeats run and discarded before the measured ones, for each count
   * @param repeats measured repeats, for each count; the median and min–max are over these
   * @param samplesPerRepeat samples of each variant in one repeat
   * @param callsPerSample calls timed together as one sample
   */
  public record Overhead(
      List<Integer> callCounts,
      int headlineCalls,
      int warmupRepeats,
      int repeats,
      int samplesPerRepeat,
      int callsPerSample) {

    /** Checks the sizes. */
    public Overhead {
      callCounts = List.copyOf(callCounts);
      if (callCounts.isEmpty()) {
        throw new IllegalArgumentException("overhead needs at least one number of calls");
      }
      callCounts.forEach(n -> positive("overhead calls per fan-out", n));
      if (!callCounts.contains(headlineCalls)) {
        throw new IllegalArgumentException(
            "headline calls " + headlineCalls + " is not among " + callCounts);
      }
      if (warmupRepeats < 0) {
        throw new IllegalArgumentException("overhead warm-up repeats must be >= 0");
      }
      positive("overhead repeats", repeats);
      positive("overhead samples per repeat", samplesPerRepeat);
      positive("overhead calls per sample", callsPerSample);
    }

    /** Fan-outs of {@code calls} calls timed together as one sample: at least one. */
    public int fanOutsPerSample(int calls) {
      return Math.max(1, (callsPerSample + calls - 1) / calls);
    }
  }

  /**
   * How {@code cluster} measures.
   *
   * @param calls calls of each measured batch
   * @param repeats measured batches of each cluster size, the sizes interleaved
   * @param killCalls calls of the batch during which a member is killed
   */
  public record Cluster(int calls, int repeats, int killCalls) {

    /** Checks the sizes. */
    public Cluster {
      positive("cluster calls", calls);
      positive("cluster repeats", repeats);
      if (killCalls < 3) {
        throw new IllegalArgumentException("cluster kill calls must be >= 3, was " + killCalls);
      }
    }
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, was " + value);
    }
  }
}
