package dev.parallax.analysis.internal;

import dev.parallax.adaptive.PairedBootstrap;
import java.util.List;

/*
 * The intervals come from the adaptive module's PairedBootstrap (the same bootstrap as the gate's
 * Gain), with each held-out instance a stratum and each application a group. In short: a paired percentile bootstrap: draw the scored rows
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
    List<List<PairedBootstrap.Stratum>> strata =
        groups.stream()
            .map(
                g -> g.stream().map(e -> new PairedBootstrap.Stratum(e.model, e.baseline)).toList())
            .toList();
    return PairedBootstrap.interval(strata, resamples, level, seed);
  }

  private static double ratio(double model, double baseline) {
    return PairedBootstrap.ratio(model, baseline);
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
