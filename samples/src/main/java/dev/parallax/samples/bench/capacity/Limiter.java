package dev.parallax.samples.bench.capacity;

import com.netflix.concurrency.limits.Limit;
import dev.parallax.adaptive.limit.AdaptiveLimit;

/** Chooses how many calls may be in flight, from one sample per finished call. */
public interface Limiter {

  /** The current limit. */
  int limit();

  /**
   * Learns from a finished call.
   *
   * @param startNanos when it started, in virtual nanoseconds
   * @param latencyNanos how long it took
   * @param inFlight calls in flight when it started, itself included
   * @param failed whether it failed
   */
  void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed);

  /** A limit that never changes. */
  static Limiter fixed(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    return new Limiter() {
      @Override
      public int limit() {
        return limit;
      }

      @Override
      public void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed) {}
    };
  }

  /** Parallax's adaptive limit, told the expected no-load latency {@code referenceNanos}. */
  static Limiter adaptive(AdaptiveLimit limit, long referenceNanos) {
    return new Limiter() {
      @Override
      public int limit() {
        return limit.limit();
      }

      @Override
      public void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed) {
        limit.onSample(latencyNanos, inFlight, failed, referenceNanos);
      }
    };
  }

  /** A Netflix concurrency-limits {@link Limit} (for example {@code Gradient2Limit}). */
  static Limiter netflix(Limit limit) {
    return new Limiter() {
      @Override
      public int limit() {
        return limit.getLimit();
      }

      @Override
      public void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed) {
        limit.onSample(startNanos, latencyNanos, inFlight, failed);
      }
    };
  }
}
