package dev.parallax.adaptive.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/*
 * k nearest neighbours of one tool, in memory, built at training time from the tool's training
 * rows (the history's similarity search, without a store query on the call path: a query to the
 * embedded store or to Chroma costs hundreds of microseconds, the call path allows 10).
 *
 * Space: the tool's "log.NAME" features (signed log1p of each numeric call feature) that vary
 * among its training rows, each standardised by its mean and standard deviation over those rows;
 * a feature a call lacks counts as 0, as in training. Distance: squared Euclidean.
 *
 * Prediction: the mean log latency of the k nearest training rows, ties at the k-th distance
 * included (so a call whose features equal those of many past calls gets their mean, not an
 * arbitrary k of them). Two passes over at most MAX_POINTS rows (the newest), no allocation but a
 * k-array: about 1-3 µs for a few features (PredictionBenchmark).
 *
 * Reach: a call whose k-th nearest training row is farther (squared distance) than the index's reach
 * gets no answer (NaN; the caller's average answers). The selection sets the reach to the farthest
 * k-th-neighbour distance among the out-of-fold calls the index's candidate was judged on: the
 * model answers only for calls as close to what it knows as the calls its gate saw. A call unlike
 * every training call (a feature combination never seen, e.g. a size recorded in one run and
 * missing in the others) is otherwise answered by whatever rows happen to be nearest, with an error
 * the gate never measured. Unlimited (positive infinity) unless set. The out-of-fold distances come
 * from the folds' indexes, each standardised on its own training rows; the refitted index
 * standardises on all rows and holds the scored rows too, so its distances for calls like those are
 * at most about as large: the reach errs toward answering.
 */
/**
 * An in-memory k-nearest-neighbour regression of one tool's log latency. Immutable and thread-safe.
 * Internal: may change at any time.
 */
public final class KnnIndex {

  /** Most training rows kept per tool (the newest). */
  public static final int MAX_POINTS = 512;

  private static final String LOG_PREFIX = "log.";

  private final int k;
  private final String[] features;
  private final double[] mean;
  private final double[] scale;
  private final double[] points; // row-major, n x d, standardised
  private final double[] logLatency;
  private final double reach;

  /**
   * @param k neighbours
   * @param features feature names (as encoded, {@code log.NAME})
   * @param mean per feature, its mean over the training rows
   * @param scale per feature, its standard deviation (positive)
   * @param points standardised training points, row-major
   * @param logLatency the training rows' log latencies
   * @throws IllegalArgumentException if the shapes disagree
   */
  public KnnIndex(
      int k,
      String[] features,
      double[] mean,
      double[] scale,
      double[] points,
      double[] logLatency) {
    this(k, features, mean, scale, points, logLatency, Double.POSITIVE_INFINITY);
  }

  /**
   * An index that answers only within {@code reach}.
   *
   * @param reach the farthest squared distance of the k-th neighbour for which the index answers
   *     (positive infinity: always)
   * @throws IllegalArgumentException if the shapes disagree or {@code reach} is negative or NaN
   */
  public KnnIndex(
      int k,
      String[] features,
      double[] mean,
      double[] scale,
      double[] points,
      double[] logLatency,
      double reach) {
    if (!(reach >= 0)) {
      throw new IllegalArgumentException("reach must be >= 0, was " + reach);
    }
    int d = features.length;
    if (k < 1
        || mean.length != d
        || scale.length != d
        || logLatency.length == 0
        || points.length != d * logLatency.length) {
      throw new IllegalArgumentException(
          "k-nearest-neighbour index of inconsistent shape: k="
              + k
              + ", "
              + d
              + " features, "
              + logLatency.length
              + " rows, "
              + points.length
              + " coordinates");
    }
    this.k = k;
    this.features = features.clone();
    this.mean = mean.clone();
    this.scale = scale.clone();
    this.points = points.clone();
    this.logLatency = logLatency.clone();
    this.reach = reach;
  }

  /** The same index answering only within {@code reach} (see the class comment). */
  public KnnIndex withReach(double reach) {
    return new KnnIndex(k, features, mean, scale, points, logLatency, reach);
  }

  /**
   * The index of one tool's training rows, or {@code null} if no feature varies among them or there
   * are fewer than {@code 2k} rows.
   */
  public static @Nullable KnnIndex build(List<Row> toolRows, int k) {
    List<Row> rows =
        toolRows.size() > MAX_POINTS
            ? toolRows.subList(toolRows.size() - MAX_POINTS, toolRows.size())
            : toolRows;
    if (rows.size() < 2 * k) {
      return null;
    }
    TreeSet<String> names = new TreeSet<>();
    for (Row r : rows) {
      for (String name : r.names()) {
        if (name.startsWith(LOG_PREFIX)) {
          names.add(name);
        }
      }
    }
    List<String> varying = new ArrayList<>();
    List<double[]> stats = new ArrayList<>();
    for (String name : names) {
      double sum = 0;
      double sq = 0;
      for (Row r : rows) {
        double v = value(r.names(), r.values(), name);
        sum += v;
        sq += v * v;
      }
      double m = sum / rows.size();
      double var = Math.max(0, sq / rows.size() - m * m);
      if (var > 1e-12) {
        varying.add(name);
        stats.add(new double[] {m, Math.sqrt(var)});
      }
    }
    if (varying.isEmpty()) {
      return null;
    }
    int d = varying.size();
    String[] f = varying.toArray(String[]::new);
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      mean[j] = stats.get(j)[0];
      scale[j] = stats.get(j)[1];
    }
    double[] points = new double[rows.size() * d];
    double[] y = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      for (int j = 0; j < d; j++) {
        points[i * d + j] = (value(r.names(), r.values(), f[j]) - mean[j]) / scale[j];
      }
      y[i] = r.logLatency();
    }
    return new KnnIndex(k, f, mean, scale, points, y);
  }

  /**
   * The mean log latency of the k nearest training rows to the encoded call; NaN if the k-th of
   * them is beyond the reach.
   */
  public double predict(String[] names, double[] values) {
    double[] x = standardised(names, values);
    double limit = kthDistance(x);
    if (limit > reach) {
      return Double.NaN;
    }
    double sum = 0;
    int count = 0;
    for (int i = 0; i < logLatency.length; i++) {
      if (distance(x, i) <= limit) {
        sum += logLatency[i];
        count++;
      }
    }
    return sum / count;
  }

  /** The squared distance of the encoded call's k-th nearest training row. */
  public double kthDistance(String[] names, double[] values) {
    return kthDistance(standardised(names, values));
  }

  private double[] standardised(String[] names, double[] values) {
    int d = features.length;
    double[] x = new double[d];
    for (int j = 0; j < d; j++) {
      x[j] = (value(names, values, features[j]) - mean[j]) / scale[j];
    }
    return x;
  }

  private double kthDistance(double[] x) {
    int n = logLatency.length;
    int kk = Math.min(k, n);
    double[] best = new double[kk]; // the kk smallest distances, ascending
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      double dist = distance(x, i);
      if (dist < best[kk - 1]) {
        int p = kk - 1;
        while (p > 0 && best[p - 1] > dist) {
          best[p] = best[p - 1];
          p--;
        }
        best[p] = dist;
      }
    }
    return best[kk - 1];
  }

  private double distance(double[] x, int row) {
    int d = x.length;
    int base = row * d;
    double s = 0;
    for (int j = 0; j < d; j++) {
      double z = x[j] - points[base + j];
      s += z * z;
    }
    return s;
  }

  /** Neighbours. */
  public int k() {
    return k;
  }

  /** The feature names, as encoded. */
  public String[] features() {
    return features.clone();
  }

  /** Per feature, the mean used to standardise. */
  public double[] mean() {
    return mean.clone();
  }

  /** Per feature, the standard deviation used to standardise. */
  public double[] scale() {
    return scale.clone();
  }

  /** The standardised training points, row-major. */
  public double[] points() {
    return points.clone();
  }

  /** The farthest squared k-th-neighbour distance it answers for (positive infinity: any). */
  public double reach() {
    return reach;
  }

  /** The training rows' log latencies. */
  public double[] logLatency() {
    return logLatency.clone();
  }

  private static double value(String[] names, double[] values, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return 0;
  }
}
