package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The standard {@link FeatureVectorizer}: component {@code i} of a record's vector is the value of
 * the {@code i}-th named feature in {@link ExecutionRecord#features()}, 0 when the record lacks it,
 * optionally scaled with {@code signum(x) * log1p(|x|)} so that sizes spanning orders of magnitude
 * (bytes, item counts) do not drown the small ones. Features not named are ignored; a named feature
 * that is NaN or infinite is passed through, and the store rejects the record.
 *
 * <p>Immutable and thread-safe. Two vectorizers with the same names in the same order and the same
 * scaling produce the same vectors; a store must be reopened with the one it was written with.
 */
public final class NamedFeatureVectorizer implements FeatureVectorizer {

  private final List<String> names;
  private final boolean log1p;

  NamedFeatureVectorizer(List<String> featureNames, boolean log1p) {
    this.names = List.copyOf(featureNames);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a vectorizer needs at least one feature name");
    }
    if (new HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("feature names must be distinct, were " + names);
    }
    this.log1p = log1p;
  }

  /** The feature names, in vector order. */
  public List<String> featureNames() {
    return names;
  }

  /** Whether values are log-scaled. */
  public boolean isLog1p() {
    return log1p;
  }

  @Override
  public int dimension() {
    return names.size();
  }

  @Override
  public float[] vectorize(ExecutionRecord record) {
    float[] vector = new float[names.size()];
    for (int i = 0; i < vector.length; i++) {
      Double value = record.features().get(names.get(i));
      double x = value == null ? 0 : value;
      vector[i] = (float) (log1p ? Math.signum(x) * Math.log1p(Math.abs(x)) : x);
    }
    return vector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedFeatureVectorizer other
        && other.names.equals(names)
        && other.log1p == log1p;
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, log1p);
  }

  @Override
  public String toString() {
    return "NamedFeatureVectorizer" + names + (log1p ? " log1p" : "");
  }
}
