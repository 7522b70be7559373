package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;
import java.util.List;

/**
 * Turns a record into the fixed-dimension vector a store indexes it by, so that nearest-neighbour
 * queries compare like with like. {@link #of(List)} and {@link #log1p(List)} build the standard
 * one; implementations must be deterministic and thread-safe.
 */
public interface FeatureVectorizer {

  /** The length of every vector this returns. */
  int dimension();

  /**
   * The record's vector. A store rejects the record if its length is not {@link #dimension()} or a
   * value is not finite.
   */
  float[] vectorize(ExecutionRecord record);

  /**
   * Raw values of the named features, in the given order; a missing feature is 0. See {@link
   * NamedFeatureVectorizer}.
   */
  static NamedFeatureVectorizer of(List<String> featureNames) {
    return new NamedFeatureVectorizer(featureNames, false);
  }

  /**
   * Log-scaled values of the named features, in the given order: {@code signum(x) * log1p(|x|)}; a
   * missing feature is 0. See {@link NamedFeatureVectorizer}.
   */
  static NamedFeatureVectorizer log1p(List<String> featureNames) {
    return new NamedFeatureVectorizer(featureNames, true);
  }
}
