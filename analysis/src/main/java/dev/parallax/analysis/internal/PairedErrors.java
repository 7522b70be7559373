package dev.parallax.analysis.internal;

import java.util.List;
import java.util.SplittableRandom;

/*
 * The confidence interval of an error ratio is a paired percentile bootstrap: draw the scored rows
 * with replacement (the model's and the baseline's error of a row stay together, so what both find
 * hard cancels out), compute sum(model) / sum(baseline) on the draw, repeat; the interval is the
 * (1 - level)/2 and (1 + level)/2 quantiles of the draws. For the average of the ratios of several
 * held-out instances, each replicate draws every instance's rows within that instance (a stratified
 * bootstrap: an instance keeps its weight 1/k whatever its size) and averages the k ratios. The
 * random draws come from one seeded SplittableRandom, so the interval is reproducible.
 */
/**
 * The model's and the baseline's absolute errors on the same scored rows, and bootstrap confidence
 * intervals of their ratio. Immutable. Internal; may change at any time.
 */
public final class PairedErrors {

  private final double[] model;
  private final double[] baseline;

  /**
   * @param model the model's error per row
   * @param baseline the baseline's error per row, same rows in the same order
   * @throws IllegalArgumentException if the lengths differ
   */
  public PairedErrors(double[] model, double[] baseline) {
    if (model.length != baseline.length) {
      throw new IllegalArgumentException(
          "paired errors need as many rows each, were " + model.length + " and " + baseline.length);
    }
    this.model = model.clone();
    this.baseline = baseline.clone();
  }

  /** Rows. */
  public int rows() {
    return model.length;
  }

  /** The model's mean error, {@code NaN} without rows. */
  public double modelMean() {
    return mean(model);
  }

  /** The baseline's mean error, {@code NaN} without rows. */
  public double baselineMean() {
    return mean(baseline);
  }

  /** The model's mean error over the baseline's; {@code NaN} without rows or baseline error. */
  public double ratio() {
    return model.length == 0 ? Double.NaN : ratio(sum(model), sum(baseline));
  }

  /**
   * The interval {low, high} of {@link #ratio()} at {@code level} (e.g. 0.95) from {@code
   * resamples} paired bootstrap draws; {NaN, NaN} without rows.
   */
  public double[] ratioInterval(int resamples, double level, long seed) {
    return averageRatioInterval(List.of(this), resamples, level, seed);
  }

  /**
   * The interval {low, high} of the unweighted average of the {@link #ratio()}s of {@code
   * instances}, from a stratified paired bootstrap; {NaN, NaN} if some instance has no rows.
   */
  public static double[] averageRatioInterval(
      List<PairedErrors> instances, int resamples, double level, long seed) {
    return averageOfAveragesInterval(List.of(instances), resamples, level, seed);
  }

  /**
   * The interval {low, high} of the unweighted average over groups (applications) of the unweighted
   * average of each group's instances' {@link #ratio()}s, from a stratified paired bootstrap; {NaN,
   * NaN} if a group is empty or some instance has no rows.
   */
  public static double[] averageOfAveragesInterval(
      List<List<PairedErrors>> groups, int resamples, double level, long seed) {
    if (groups.isEmpty()
        || groups.stream().anyMatch(g -> g.isEmpty() || g.stream().anyMatch(e -> e.rows() == 0))) {
      return new double[] {Double.NaN, Double.NaN};
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] draws = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double overall = 0;
      for (List<PairedErrors> instances : groups) {
        double total = 0;
        for (PairedErrors e : instances) {
          double m = 0;
          double base = 0;
          int n = e.rows();
          for (int i = 0; i < n; i++) {
            int row = random.nextInt(n);
            m += e.model[row];
            base += e.baseline[row];
          }
          total += ratio(m, base);
        }
        overall += total / instances.size();
      }
      draws[b] = overall / groups.size();
    }
    java.util.Arrays.sort(draws);
    return new double[] {quantile(draws, (1 - level) / 2), quantile(draws, (1 + level) / 2)};
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double ratio(double model, double baseline) {
    if (baseline == 0) {
      return model == 0 ? 1 : Double.POSITIVE_INFINITY;
    }
    return model / baseline;
  }

  private static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }

  private static double mean(double[] values) {
    return values.length == 0 ? Double.NaN : sum(values) / values.length;
  }
}
