package dev.parallax.adaptive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a prediction's error compares with a reference's on the same rows, with its confidence
 * interval: {@code ratio} is the model's mean error divided by the reference's (below 1 means the
 * model is better; {@code 0.8} is a 20% lower error), {@code [low, high]} its 95% paired bootstrap
 * interval, {@code rows} the number of rows compared. Use it wherever a gain is reported (model
 * reports, bench, analysis, demo): a ratio without its interval and rows claims more than it shows.
 *
 * <p>The interval comes from {@link #bootstrap}: rows are resampled with replacement, each row
 * keeping its pair of errors (model and reference on the same call), {@value #RESAMPLES} times; the
 * 2.5th and 97.5th percentiles of the resampled ratios (interpolated between order statistics) are
 * the bounds. It is the one-stratum case of {@link PairedBootstrap}, which the analysis module uses
 * for its stratified intervals. {@link #none()} (no rows) has every figure {@code NaN} and {@code
 * rows} 0.
 *
 * @param ratio model error over reference error on all rows ({@code NaN} if undefined)
 * @param low lower bound of the interval of the ratio (95% unless built with another level)
 * @param high upper bound of the interval of the ratio (95% unless built with another level)
 * @param rows rows compared
 */
public record Gain(double ratio, double low, double high, int rows) {

  /** Bootstrap resamples of {@link #bootstrap}. */
  public static final int RESAMPLES = 1000;

  /** Validates. */
  public Gain {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, was " + rows);
    }
  }

  /** No rows: nothing is known. */
  public static Gain none() {
    return new Gain(Double.NaN, Double.NaN, Double.NaN, 0);
  }

  /**
   * The ratio of the mean model error to the mean reference error, with its 95% paired bootstrap
   * interval. Errors are per row and non-negative (absolute errors, squared errors); the arrays are
   * paired by index. Deterministic for a given seed.
   *
   * @throws IllegalArgumentException if the arrays differ in length
   */
  public static Gain bootstrap(double[] modelErrors, double[] referenceErrors, long seed) {
    return bootstrap(modelErrors, referenceErrors, RESAMPLES, PairedBootstrap.DEFAULT_LEVEL, seed);
  }

  /**
   * The ratio of the mean model error to the mean reference error, with its paired bootstrap
   * interval at {@code level} from {@code resamples} draws ({@link PairedBootstrap}, one stratum).
   * Deterministic for a given seed.
   *
   * @throws IllegalArgumentException if the arrays differ in length, {@code resamples} is below 1
   *     or {@code level} is not in (0, 1)
   */
  public static Gain bootstrap(
      double[] modelErrors, double[] referenceErrors, int resamples, double level, long seed) {
    PairedBootstrap.Stratum rows = new PairedBootstrap.Stratum(modelErrors, referenceErrors);
    if (rows.rows() == 0) {
      return none();
    }
    double[] interval = PairedBootstrap.interval(List.of(List.of(rows)), resamples, level, seed);
    return new Gain(rows.ratio(), interval[0], interval[1], rows.rows());
  }

  /**
   * The ratio of the mean model error to the mean reference error over all rows, with the 95%
   * interval of a cluster bootstrap ({@link PairedBootstrap#clusterInterval}): rows with the same
   * {@code cluster} (for example the calls of one run) are drawn together. {@link #rows()} counts
   * rows, as for {@link #bootstrap}. Deterministic for a given seed.
   *
   * @throws IllegalArgumentException if the arrays differ in length
   */
  public static Gain clusterBootstrap(
      double[] modelErrors, double[] referenceErrors, String[] cluster, long seed) {
    if (modelErrors.length != referenceErrors.length || cluster.length != modelErrors.length) {
      throw new IllegalArgumentException(
          "paired errors and clusters differ in length: "
              + modelErrors.length
              + ", "
              + referenceErrors.length
              + ", "
              + cluster.length);
    }
    if (modelErrors.length == 0) {
      return none();
    }
    Map<String, List<Integer>> rowsOf = new TreeMap<>();
    for (int i = 0; i < cluster.length; i++) {
      rowsOf.computeIfAbsent(cluster[i], c -> new ArrayList<>()).add(i);
    }
    List<PairedBootstrap.Stratum> clusters = new ArrayList<>(rowsOf.size());
    for (List<Integer> rows : rowsOf.values()) {
      clusters.add(
          new PairedBootstrap.Stratum(
              rows.stream().mapToDouble(i -> modelErrors[i]).toArray(),
              rows.stream().mapToDouble(i -> referenceErrors[i]).toArray()));
    }
    double[] interval =
        PairedBootstrap.clusterInterval(clusters, RESAMPLES, PairedBootstrap.DEFAULT_LEVEL, seed);
    double ratio =
        PairedBootstrap.ratio(
            PairedBootstrap.sum(modelErrors), PairedBootstrap.sum(referenceErrors));
    return new Gain(ratio, interval[0], interval[1], modelErrors.length);
  }

  /**
   * Whether the model is better than the reference with confidence: the whole 95% interval lies
   * below {@code bound} (a one-sided test at 2.5%); false with no rows.
   */
  public boolean confidentlyBelow(double bound) {
    return rows > 0 && high < bound;
  }

  /** The relative error reduction {@code 1 - ratio} (0.2 means 20% lower error). */
  public double reduction() {
    return 1 - ratio;
  }

  /** For example {@code "0.612 [0.571, 0.655], 412 rows"}. */
  @Override
  public String toString() {
    if (rows == 0) {
      return "n/a (0 rows)";
    }
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f], %d rows", ratio, low, high, rows);
  }
}
