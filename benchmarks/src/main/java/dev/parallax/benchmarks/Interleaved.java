package dev.parallax.benchmarks;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times several variants of a run in the same loop, rotating which goes first in each round, so
 * that drifting machine load and warm-up affect every variant alike.
 */
final class Interleaved {

  private Interleaved() {}

  /**
   * Runs each variant {@code warmups} times unmeasured, then {@code repetitions} times measured.
   *
   * @return the measured wall times, one {@link Samples} per variant, in the given order
   * @throws IllegalStateException if a run had a call that did not succeed
   */
  static List<Samples> time(int warmups, int repetitions, List<Supplier<RunResult>> variants) {
    int k = variants.size();
    for (int round = 0; round < warmups; round++) {
      for (int j = 0; j < k; j++) {
        once(variants.get((round + j) % k));
      }
    }
    long[][] nanos = new long[k][repetitions];
    for (int round = 0; round < repetitions; round++) {
      for (int j = 0; j < k; j++) {
        int v = (round + j) % k;
        nanos[v][round] = once(variants.get(v));
      }
    }
    return Arrays.stream(nanos).map(Samples::new).toList();
  }

  private static long once(Supplier<RunResult> variant) {
    long start = System.nanoTime();
    RunResult run = variant.get();
    long elapsed = System.nanoTime() - start;
    if (!run.allSucceeded()) {
      CallResult<?> failed =
          run.results().stream().filter(r -> !r.isSuccess()).findFirst().orElseThrow();
      throw new IllegalStateException(
          "run " + run.runId() + ": call " + failed.callId() + " " + failed.status(),
          failed.error());
    }
    return elapsed;
  }
}
