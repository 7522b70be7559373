package dev.parallax.adaptive;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The area under the ROC curve: how well scores rank positives above negatives. The figure the
 * success model is judged by ({@link ModelReport}), open to anyone who scores predictions, for
 * example against recorded outcomes. Stateless and thread-safe.
 */
public final class Auc {

  private Auc() {}

  /**
   * The chance that a random positive scores above a random negative (ties count half), by the
   * rank-sum (Mann-Whitney) formula. {@code NaN} when one class is missing.
   *
   * @param scores one score per case, higher meaning more likely positive
   * @param positive whether each case is positive, in the order of {@code scores}
   * @throws IllegalArgumentException if the two arrays differ in length
   */
  public static double of(double[] scores, boolean[] positive) {
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          scores.length + " scores for " + positive.length + " outcomes");
    }
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double rankSumPositive = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1; // mean rank of the tie group, ranks from 1
      for (int k = i; k <= j; k++) {
        if (positive[order[k]]) {
          rankSumPositive += rank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
