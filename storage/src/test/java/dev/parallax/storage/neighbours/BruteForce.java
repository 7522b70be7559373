package dev.parallax.storage.neighbours;

import dev.parallax.core.record.ExecutionRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The neighbour rule computed by brute force over a list, with no store: the tests' reference. */
final class BruteForce {

  private BruteForce() {}

  /** Mean log seconds of the k nearest records of {@code tool}, ties included; NaN if too few. */
  static double estimate(
      List<ExecutionRecord> history,
      ToolScaledVectorizer space,
      int k,
      String tool,
      Map<String, Double> features) {
    float[] q = space.vector(tool, features);
    List<ExecutionRecord> rows = history.stream().filter(r -> r.tool().equals(tool)).toList();
    if (rows.size() < k) {
      return Double.NaN;
    }
    double[] d = new double[rows.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = squared(q, space.vectorize(rows.get(i)));
    }
    double[] sorted = d.clone();
    Arrays.sort(sorted);
    double kth = sorted[k - 1];
    double sum = 0;
    int count = 0;
    for (int i = 0; i < d.length; i++) {
      if (d[i] <= kth) {
        sum += Math.log(Math.max(1e-6, rows.get(i).duration().toNanos() / 1e9));
        count++;
      }
    }
    return sum / count;
  }

  private static double squared(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double x = (double) a[i] - b[i];
      s += x * x;
    }
    return s;
  }
}
