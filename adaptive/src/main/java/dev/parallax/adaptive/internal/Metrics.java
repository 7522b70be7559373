package dev.parallax.adaptive.internal;

import java.util.Arrays;

/**
 * Evaluation figures: quantiles (AUC is public: {@link dev.parallax.adaptive.Auc}).
 *
 * <p>Internal: may change at any time.
 */
public final class Metrics {

  private Metrics() {}

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
