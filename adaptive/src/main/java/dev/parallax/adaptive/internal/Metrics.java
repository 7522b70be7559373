package dev.parallax.adaptive.internal;

import java.util.Arrays;

/**
 * Evaluation figures: AUC as a rank statistic, quantiles.
 *
 * <p>Internal: may change at any time.
 */
public final class Metrics {

  private Metrics() {}

  /**
   * The area under the ROC curve of {@code scores} for the positives in {@code positive}: the
   * probability that a random positive scores above a random negative (ties count half), computed
   * from ranks (Mann-Whitney U). {@code NaN} if either class is empty.
   */
  public static double auc(double[] scores, boolean[] positive) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double[] rank = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        rank[order[k]] = avg;
      }
      i = j + 1;
    }
    long pos = 0;
    double rankSum = 0;
    for (int k = 0; k < n; k++) {
      if (positive[k]) {
        pos++;
        rankSum += rank[k];
      }
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** The {@code q}-quantile (nearest rank) of the values; {@code NaN} if empty. */
  public static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int idx = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }
}
