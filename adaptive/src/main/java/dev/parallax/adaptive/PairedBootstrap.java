package dev.parallax.adaptive;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/*
 * A paired, stratified percentile bootstrap of an error ratio.
 *
 * A stratum is a set of rows, each with two errors: the model's and the reference's on the same
 * call (paired: what both find hard cancels out). Its ratio is sum(model) / sum(reference).
 * Strata are grouped (e.g. held-out instances of one application); the statistic is the unweighted
 * average over groups of the unweighted average over each group's strata of their ratios, so every
 * stratum keeps its weight whatever its size. One replicate draws every stratum's rows with
 * replacement within that stratum, as many as it has, and computes the statistic; the interval is
 * the (1 - level)/2 and (1 + level)/2 quantiles of the replicates (linear interpolation between
 * order statistics). The draws come from one SplittableRandom seeded once, in a fixed order
 * (group, stratum, row), so an interval is reproducible.
 *
 * One stratum in one group is the plain paired bootstrap of one ratio (Gain.bootstrap).
 */
/**
 * The one paired bootstrap of error ratios used wherever a gain is reported with its interval: the
 * gate and model reports ({@link Gain#bootstrap}), and the analysis module's leave-one-instance-out
 * figures (per instance, per application, over applications).
 *
 * <p>Stateless and thread-safe; deterministic for a given seed.
 */
public final class PairedBootstrap {

  /** Resamples unless told otherwise: 1,000. */
  public static final int DEFAULT_RESAMPLES = 1000;

  /** Confidence level unless told otherwise: 0.95. */
  public static final double DEFAULT_LEVEL = 0.95;

  private PairedBootstrap() {}

  /**
   * The paired errors of one stratum (for example the scored rows of one held-out instance).
   *
   * @param model the model's error per row, non-negative
   * @param reference the reference's error per row, same rows in the same order
   */
  public record Stratum(double[] model, double[] reference) {

    /**
     * Copies.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public Stratum {
      if (model.length != reference.length) {
        throw new IllegalArgumentException(
            "paired errors differ in length: " + model.length + " vs " + reference.length);
      }
      model = model.clone();
      reference = reference.clone();
    }

    /** Rows. */
    public int rows() {
      return model.length;
    }

    /** sum(model) / sum(reference), see {@link PairedBootstrap#ratio}; NaN without rows. */
    public double ratio() {
      return model.length == 0 ? Double.NaN : PairedBootstrap.ratio(sum(model), sum(reference));
    }

    @Override
    public double[] model() {
      return model.clone();
    }

    @Override
    public double[] reference() {
      return reference.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Stratum s
          && Arrays.equals(model, s.model)
          && Arrays.equals(reference, s.reference);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(model) + Arrays.hashCode(reference);
    }

    @Override
    public String toString() {
      return "Stratum[" + model.length + " rows]";
    }
  }

  /**
   * The interval {low, high} at {@code level} of the unweighted average over {@code groups} of the
   * unweighted average of each group's strata's ratios, from {@code resamples} stratified paired
   * draws; {NaN, NaN} if there is no group, a group is empty or a stratum has no rows.
   *
   * @throws IllegalArgumentException if {@code resamples} is below 1 or {@code level} is not in (0,
   *     1)
   */
  public static double[] interval(
      List<List<Stratum>> groups, int resamples, double level, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be at least 1, was " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), was " + level);
    }
    if (groups.isEmpty()
        || groups.stream().anyMatch(g -> g.isEmpty() || g.stream().anyMatch(s -> s.rows() == 0))) {
      return new double[] {Double.NaN, Double.NaN};
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] draws = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double overall = 0;
      for (List<Stratum> strata : groups) {
        double total = 0;
        for (Stratum s : strata) {
          double m = 0;
          double r = 0;
          int n = s.model.length;
          for (int i = 0; i < n; i++) {
            int row = random.nextInt(n);
            m += s.model[row];
            r += s.reference[row];
          }
          total += ratio(m, r);
        }
        overall += total / strata.size();
      }
      draws[b] = overall / groups.size();
    }
    Arrays.sort(draws);
    return new double[] {quantile(draws, (1 - level) / 2), quantile(draws, (1 + level) / 2)};
  }

  /**
   * The interval {low, high} at {@code level} of sum(model) / sum(reference) over all rows when the
   * rows come in clusters whose errors go together (the calls of one run share its machine, its
   * inputs, its day): a replicate draws as many clusters as there are, with replacement, each with
   * all of its rows (a cluster, or block, bootstrap). Rows of one run are not independent evidence,
   * so resampling rows would give an interval as if there were as many runs as rows; resampling
   * runs gives one as wide as the runs disagree. {NaN, NaN} if there is no cluster or a cluster has
   * no rows.
   *
   * @throws IllegalArgumentException if {@code resamples} is below 1 or {@code level} is not in (0,
   *     1)
   */
  public static double[] clusterInterval(
      List<Stratum> clusters, int resamples, double level, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be at least 1, was " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), was " + level);
    }
    if (clusters.isEmpty() || clusters.stream().anyMatch(c -> c.rows() == 0)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    int c = clusters.size();
    double[] model = new double[c];
    double[] reference = new double[c];
    for (int i = 0; i < c; i++) {
      model[i] = sum(clusters.get(i).model);
      reference[i] = sum(clusters.get(i).reference);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] draws = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double m = 0;
      double r = 0;
      for (int i = 0; i < c; i++) {
        int pick = random.nextInt(c);
        m += model[pick];
        r += reference[pick];
      }
      draws[b] = ratio(m, r);
    }
    Arrays.sort(draws);
    return new double[] {quantile(draws, (1 - level) / 2), quantile(draws, (1 + level) / 2)};
  }

  /** {@code model / reference}; 1 if both are 0, positive infinity if only the reference is 0. */
  public static double ratio(double model, double reference) {
    if (reference == 0) {
      return model == 0 ? 1 : Double.POSITIVE_INFINITY;
    }
    return model / reference;
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    double fraction = pos - lo;
    if (fraction == 0 || sorted[lo] == sorted[hi]) {
      return sorted[lo];
    }
    if (Double.isInfinite(sorted[hi])) {
      return sorted[hi];
    }
    return sorted[lo] + fraction * (sorted[hi] - sorted[lo]);
  }

  static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
