package dev.parallax.samples.bench.capacity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Counts the finished calls of one run into its {@link Backend.Outcome}. Not thread-safe. */
final class Tally {

  private final long warmupNanos;
  private final long endNanos;
  private final long binNanos;
  private final long[] bins;
  private long completed;
  private long successes;
  private double limitSum;
  private double[] latencies = new double[1024];

  Tally(Backend.Schedule schedule) {
    this.warmupNanos = (long) (schedule.warmupSeconds() * 1e9);
    this.endNanos = (long) (schedule.seconds() * 1e9);
    this.binNanos = (long) (schedule.binSeconds() * 1e9);
    this.bins = new long[(int) Math.ceil((double) endNanos / binNanos)];
  }

  /**
   * A call that finished {@code endNanos} after the run began, while the limit was {@code limit}.
   */
  void finished(long endNanos, long latencyNanos, boolean success, int limit) {
    if (endNanos >= this.endNanos || endNanos < 0) {
      return;
    }
    if (success) {
      bins[(int) (endNanos / binNanos)]++;
    }
    if (endNanos < warmupNanos) {
      return;
    }
    if (completed == latencies.length) {
      latencies = Arrays.copyOf(latencies, latencies.length * 2);
    }
    latencies[(int) completed++] = latencyNanos / 1e6;
    limitSum += limit;
    if (success) {
      successes++;
    }
  }

  Backend.Outcome outcome() {
    double measured = (endNanos - warmupNanos) / 1e9;
    double p95 = Double.NaN;
    if (completed > 0) {
      double[] sorted = Arrays.copyOf(latencies, (int) completed);
      Arrays.sort(sorted);
      p95 = sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
    }
    List<Double> perSecond = new ArrayList<>(bins.length);
    for (int i = 0; i < bins.length; i++) {
      long width = Math.min(binNanos, endNanos - (long) i * binNanos);
      perSecond.add(bins[i] / (width / 1e9));
    }
    return new Backend.Outcome(
        successes / measured,
        completed == 0 ? 0 : limitSum / completed,
        completed,
        successes,
        p95,
        perSecond);
  }
}
