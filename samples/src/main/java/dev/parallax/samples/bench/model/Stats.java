package dev.parallax.samples.bench.model;

import java.util.Arrays;

/** Order statistics of measurements. */
public final class Stats {

  private Stats() {}

  /**
   * The median: the middle value, or the mean of the two middle values.
   *
   * @throws IllegalArgumentException if there are no values
   */
  public static double median(double[] values) {
    double[] sorted = sorted(values);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * The {@code p}-th percentile by the nearest-rank method: the smallest value with at least {@code
   * p}% of the values at or below it.
   *
   * @throws IllegalArgumentException if there are no values or {@code p} is not in {@code (0, 100]}
   */
  public static double percentile(double[] values, double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
    }
    double[] sorted = sorted(values);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** The mean. */
  public static double mean(double[] values) {
    double[] checked = sorted(values);
    double sum = 0;
    for (double v : checked) {
      sum += v;
    }
    return sum / checked.length;
  }

  private static double[] sorted(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }
}
