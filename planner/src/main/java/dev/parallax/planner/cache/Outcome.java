package dev.parallax.planner.cache;

import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * How one shared computation ended: a value (with its weight, when the cache is bounded by weight)
 * or what the tool threw. Stored values are always successes.
 *
 * @param value the tool's value; {@code null} is a value too
 * @param error what the tool threw, or {@code null}
 * @param weight the entry's weight for a weight-bounded cache, else 1
 */
record Outcome(@Nullable Object value, @Nullable Throwable error, int weight) {

  static Outcome success(@Nullable Object value, int weight) {
    return new Outcome(value, null, weight);
  }

  static Outcome failure(Throwable error) {
    return new Outcome(null, error, 0);
  }

  boolean failed() {
    return error != null;
  }

  /** The value, or throws what the tool threw (the same instance to every caller). */
  @Nullable Object valueOrThrow() throws Exception {
    Throwable thrown = error;
    if (thrown == null) {
      return value;
    }
    if (thrown instanceof Exception e) {
      throw e;
    }
    if (thrown instanceof Error e) {
      throw e;
    }
    throw new ExecutionException(thrown);
  }
}
