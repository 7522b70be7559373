package dev.parallax.storage.internal;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.RecordIds;
import dev.parallax.storage.Rejection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Validates a batch before a store writes it: every store rejects the same records for the same
 * reasons. Internal: may change at any time.
 */
public final class Batches {

  /** Default longest string field, in chars. */
  public static final int DEFAULT_MAX_STRING_CHARS = 16_384;

  private Batches() {}

  /**
   * A batch split into the records to store (validated, deduplicated by id, last wins, in first
   * appearance order) and the rejected ones.
   *
   * @param accepted records to store
   * @param rejected records refused
   */
  public record Split(List<PreparedRecord> accepted, List<Rejection> rejected) {}

  /** Validates every record of {@code records}. */
  public static Split prepare(
      List<ExecutionRecord> records, FeatureVectorizer vectorizer, int maxStringChars) {
    Map<String, PreparedRecord> accepted = new LinkedHashMap<>();
    List<Rejection> rejected = new ArrayList<>();
    for (ExecutionRecord record : records) {
      String id = RecordIds.of(record);
      String problem = problem(record, maxStringChars);
      float[] vector = null;
      if (problem == null) {
        try {
          vector = vectorizer.vectorize(record);
          problem = vectorProblem(vector, vectorizer.dimension());
        } catch (RuntimeException e) {
          problem = "the vectorizer failed: " + e;
        }
      }
      if (problem != null || vector == null) {
        rejected.add(
            new Rejection(
                clip(id), clip(record.tool()), clip(record.callId()), String.valueOf(problem)));
      } else {
        accepted.put(id, new PreparedRecord(id, record, vector));
      }
    }
    return new Split(List.copyOf(accepted.values()), rejected);
  }

  /** Why {@code vector} cannot be stored, or {@code null}. */
  public static @Nullable String vectorProblem(float[] vector, int dimension) {
    if (vector.length != dimension) {
      return "its vector has dimension " + vector.length + ", the store's is " + dimension;
    }
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        return "its vector component " + i + " is " + vector[i];
      }
    }
    return null;
  }

  /** Checks a query vector; throws {@link IllegalArgumentException} naming the problem. */
  public static void checkQuery(float[] vector, int k, int dimension) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    String problem = vectorProblem(vector, dimension);
    if (problem != null) {
      throw new IllegalArgumentException("query vector rejected: " + problem.replace("its ", ""));
    }
  }

  private static @Nullable String problem(ExecutionRecord r, int max) {
    for (Map.Entry<String, Double> feature : r.features().entrySet()) {
      if (feature.getValue() == null) {
        return "feature '" + clip(feature.getKey()) + "' is null";
      }
      if (!Double.isFinite(feature.getValue())) {
        return "feature '" + clip(feature.getKey()) + "' is " + feature.getValue();
      }
      if (feature.getKey().length() > max) {
        return tooLong("a feature name", feature.getKey(), max);
      }
    }
    String[][] strings = {
      {"tool", r.tool()},
      {"callId", r.callId()},
      {"traceId", r.traceId()},
      {"spanId", r.spanId()},
      {"runId", r.runId()},
      {"errorType", r.errorType()},
      {"fallbackFrom", r.fallbackFrom()},
      {"predictionSource", r.predictionSource()},
      {"arguments", r.arguments()}
    };
    for (String[] field : strings) {
      if (field[1] != null && field[1].length() > max) {
        return tooLong(field[0], field[1], max);
      }
    }
    if (r.traceId().isEmpty() || r.spanId().isEmpty()) {
      return "it has no trace id or span id, so it has no stable id";
    }
    if (r.predictedSuccess() != null && !Double.isFinite(r.predictedSuccess())) {
      return "predictedSuccess is " + r.predictedSuccess();
    }
    if (!fitsNanos(r.duration())
        || !fitsNanos(r.queueWait())
        || (r.predictedLatency() != null && !fitsNanos(r.predictedLatency()))) {
      return "a duration is negative or longer than 292 years: duration "
          + r.duration()
          + ", queueWait "
          + r.queueWait()
          + ", predictedLatency "
          + r.predictedLatency();
    }
    long startSecond = r.start().getEpochSecond();
    if (startSecond < 0 || startSecond >= EpochNanos.MAX_SECOND) {
      return "start " + r.start() + " is outside 1970..2262";
    }
    return null;
  }

  private static boolean fitsNanos(java.time.Duration d) {
    return !d.isNegative() && d.getSeconds() < Long.MAX_VALUE / 1_000_000_000L;
  }

  private static String tooLong(String field, String value, int max) {
    return field + " has " + value.length() + " chars, more than the limit of " + max;
  }

  /** Shortens a string for an error message. */
  static String clip(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…(" + s.length() + " chars)";
  }
}
