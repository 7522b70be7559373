package dev.parallax.storage.neighbours;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.FeatureVectorizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/*
 * Why the scaling is fixed at write time. The adaptive module's in-memory k-nearest-neighbour
 * model (KnnIndex) measures squared Euclidean distance between standardised features: for each
 * tool, the signed log1p of each numeric call feature that varies among the tool's training calls,
 * minus its mean, over its standard deviation. A store indexes the vector its vectorizer gave at
 * append time and compares raw Euclidean distances; a weighted distance (1 / sd² per coordinate)
 * cannot be had by transforming the query alone. So the standardisation is part of the vectorizer:
 * fitted once on a sample of records (the history to be indexed, or a representative part of it),
 * then fixed for the store's life.
 *
 * One space for every tool: the vector's coordinates are the union of the tools' varying features
 * (sorted by name); a record fills its own tool's coordinates (standardised with its tool's mean
 * and deviation) and leaves the others 0. Queries are filtered by tool, so the coordinates of other
 * tools are 0 on both sides and add nothing to a distance. A feature a record lacks counts as 0
 * before scaling, as in the in-memory model; a tool with no varying feature, or one the fit never
 * saw, maps to the zero vector (every record of it is equally near).
 */
/**
 * A {@link FeatureVectorizer} that standardises each tool's log-scaled features: component {@code
 * j} of a record of tool {@code t} is {@code (signum(x) * log1p(|x|) - mean) / sd}, with {@code x}
 * the record's value of feature {@code j} (0 when absent) and the mean and standard deviation those
 * of tool {@code t}'s records in the sample it was {@linkplain #fit fitted} on; features that do
 * not vary among a tool's sampled records are 0 for that tool. Squared Euclidean distance between
 * two records of one tool is then the distance the adaptive module's in-memory nearest-neighbour
 * model uses.
 *
 * <p>A store must be reopened with a vectorizer fitted on the same sample (the fit is
 * deterministic); a store indexed with another would compare vectors of different spaces.
 *
 * <p>Immutable and thread-safe.
 */
public final class ToolScaledVectorizer implements FeatureVectorizer {

  private static final double MIN_VARIANCE = 1e-12;

  private final List<String> names;
  private final Map<String, Scaling> byTool;

  private ToolScaledVectorizer(List<String> names, Map<String, Scaling> byTool) {
    this.names = List.copyOf(names);
    this.byTool = Map.copyOf(byTool);
  }

  /**
   * Fitted on {@code sample}: per tool, the mean and standard deviation of the signed log1p of each
   * feature that varies among its records.
   *
   * @throws IllegalArgumentException if no feature varies for any tool (the vector would have no
   *     coordinate)
   */
  public static ToolScaledVectorizer fit(List<ExecutionRecord> sample) {
    Map<String, List<ExecutionRecord>> tools = new TreeMap<>();
    for (ExecutionRecord r : sample) {
      tools.computeIfAbsent(r.tool(), t -> new ArrayList<>()).add(r);
    }
    Map<String, Map<String, double[]>> stats = new HashMap<>();
    TreeSet<String> all = new TreeSet<>();
    for (Map.Entry<String, List<ExecutionRecord>> e : tools.entrySet()) {
      List<ExecutionRecord> rows = e.getValue();
      TreeSet<String> names = new TreeSet<>();
      rows.forEach(r -> names.addAll(r.features().keySet()));
      Map<String, double[]> varying = new TreeMap<>();
      for (String name : names) {
        double sum = 0;
        double sq = 0;
        for (ExecutionRecord r : rows) {
          double v = log1p(r.features().get(name));
          sum += v;
          sq += v * v;
        }
        double mean = sum / rows.size();
        double var = Math.max(0, sq / rows.size() - mean * mean);
        if (var > MIN_VARIANCE) {
          varying.put(name, new double[] {mean, Math.sqrt(var)});
        }
      }
      stats.put(e.getKey(), varying);
      all.addAll(varying.keySet());
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException(
          "no feature varies among the records of any tool in a sample of " + sample.size());
    }
    List<String> names = new ArrayList<>(all);
    Map<String, Scaling> byTool = new HashMap<>();
    stats.forEach(
        (tool, varying) -> {
          int d = varying.size();
          int[] index = new int[d];
          String[] features = new String[d];
          double[] mean = new double[d];
          double[] sd = new double[d];
          int j = 0;
          for (Map.Entry<String, double[]> f : varying.entrySet()) {
            features[j] = f.getKey();
            index[j] = names.indexOf(f.getKey());
            mean[j] = f.getValue()[0];
            sd[j] = f.getValue()[1];
            j++;
          }
          byTool.put(tool, new Scaling(features, index, mean, sd));
        });
    return new ToolScaledVectorizer(names, byTool);
  }

  /** Every coordinate's feature name, in vector order (the union over tools). */
  public List<String> featureNames() {
    return names;
  }

  /** The features that vary for {@code tool} (its coordinates), sorted; empty for another tool. */
  public List<String> featuresOf(String tool) {
    Scaling s = byTool.get(tool);
    return s == null ? List.of() : List.of(s.features);
  }

  @Override
  public int dimension() {
    return names.size();
  }

  @Override
  public float[] vectorize(ExecutionRecord record) {
    return vector(record.tool(), record.features());
  }

  /**
   * The vector of a call of {@code tool} with {@code features} (a query), in the same space as the
   * records'.
   */
  public float[] vector(String tool, Map<String, Double> features) {
    Objects.requireNonNull(features, "features");
    float[] v = new float[names.size()];
    Scaling s = byTool.get(Objects.requireNonNull(tool, "tool"));
    if (s != null) {
      for (int j = 0; j < s.features.length; j++) {
        v[s.index[j]] = (float) ((log1p(features.get(s.features[j])) - s.mean[j]) / s.sd[j]);
      }
    }
    return v;
  }

  private static double log1p(Double value) {
    double x = value == null ? 0 : value;
    return Math.signum(x) * Math.log1p(Math.abs(x));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolScaledVectorizer other
        && other.names.equals(names)
        && other.byTool.equals(byTool);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, byTool);
  }

  @Override
  public String toString() {
    return "ToolScaledVectorizer[" + byTool.size() + " tools, " + names.size() + " features]";
  }

  private record Scaling(String[] features, int[] index, double[] mean, double[] sd) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Scaling s
          && Arrays.equals(s.features, features)
          && Arrays.equals(s.index, index)
          && Arrays.equals(s.mean, mean)
          && Arrays.equals(s.sd, sd);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          Arrays.hashCode(features),
          Arrays.hashCode(index),
          Arrays.hashCode(mean),
          Arrays.hashCode(sd));
    }

    @Override
    public String toString() {
      return "Scaling" + Arrays.toString(features);
    }
  }
}
