package dev.parallax.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Wall times of repeated measurements, in nanoseconds, with their median and mean. */
final class Samples {

  private final long[] sorted;

  Samples(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  double medianNanos() {
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
  }

  double meanNanos() {
    double sum = 0;
    for (long nanos : sorted) {
      sum += nanos;
    }
    return sum / sorted.length;
  }

  double medianMillis() {
    return medianNanos() / 1e6;
  }

  double medianMicros() {
    return medianNanos() / 1e3;
  }

  double meanMicros() {
    return meanNanos() / 1e3;
  }

  /** Median, min and max in milliseconds, for a line of detail. */
  String describeMillis() {
    return String.format(
        Locale.ROOT,
        "median %.1f ms [%.1f..%.1f] n=%d",
        medianMillis(),
        sorted[0] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        sorted.length);
  }
}
