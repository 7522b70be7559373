package dev.parallax.samples.bench.workload;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.samples.bench.model.Stats;
import java.util.ArrayList;
import java.util.List;

/**
 * Times several variants of the same work in the same loop, rotating which goes first in each
 * round, so that drifting machine load, JIT compilation and garbage collection hit every variant
 * alike. Wall time is read with {@link System#nanoTime()} around one blocking run.
 */
final class Interleaved {

  private Interleaved() {}

  /** One variant: does the work once, blocking until it is done. */
  @FunctionalInterface
  interface Variant {
    /** Runs once and says what happened. */
    Outcome runOnce();
  }

  /**
   * What one run of a variant did.
   *
   * @param calls calls made
   * @param succeeded calls that succeeded
   * @param cacheHits calls answered by a cache
   */
  record Outcome(int calls, int succeeded, int cacheHits) {

    /** The outcome of an executor run. */
    static Outcome of(RunResult run) {
      int hits = 0;
      for (CallResult<?> r : run.results()) {
        hits += r.cacheHit() ? 1 : 0;
      }
      return new Outcome(run.results().size(), run.report().count(CallStatus.SUCCEEDED), hits);
    }
  }

  /**
   * The measured rounds of one variant.
   *
   * @param millis wall time of each measured run
   * @param calls calls made in the measured runs
   * @param succeeded of which succeeded
   * @param cacheHits of which came from a cache
   */
  record Timing(double[] millis, long calls, long succeeded, long cacheHits) {

    double medianMs() {
      return Stats.median(millis);
    }

    double p95Ms() {
      return Stats.percentile(millis, 95);
    }

    double successRate() {
      return calls == 0 ? 1 : (double) succeeded / calls;
    }

    /** Successful calls per second at the median run time. */
    double throughputPerS() {
      return succeeded / (double) millis.length / (medianMs() / 1000);
    }
  }

  /**
   * Runs each variant {@code warmups} times unmeasured, then {@code rounds} times measured; one
   * progress step per round.
   *
   * @param afterWarmup run between the warm-up and the measured rounds (to reset counters)
   * @return one timing per variant, in the given order
   */
  static List<Timing> time(
      int warmups,
      int rounds,
      List<Variant> variants,
      ProgressListener progress,
      String what,
      Runnable afterWarmup) {
    int k = variants.size();
    progress.phase(what + ": warm-up", warmups);
    for (int round = 0; round < warmups; round++) {
      for (int j = 0; j < k; j++) {
        variants.get((round + j) % k).runOnce();
      }
      progress.step();
    }
    afterWarmup.run();
    progress.phase(what, rounds);
    double[][] millis = new double[k][rounds];
    long[][] counts = new long[k][3];
    for (int round = 0; round < rounds; round++) {
      for (int j = 0; j < k; j++) {
        int v = (round + j) % k;
        long start = System.nanoTime();
        Outcome outcome = variants.get(v).runOnce();
        millis[v][round] = (System.nanoTime() - start) / 1e6;
        counts[v][0] += outcome.calls();
        counts[v][1] += outcome.succeeded();
        counts[v][2] += outcome.cacheHits();
      }
      progress.step();
    }
    List<Timing> timings = new ArrayList<>(k);
    for (int v = 0; v < k; v++) {
      timings.add(new Timing(millis[v], counts[v][0], counts[v][1], counts[v][2]));
    }
    return timings;
  }
}
