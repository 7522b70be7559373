package dev.parallax.adaptive.limit;

/*
 * The algorithm (a windowed TCP-Vegas variant with an external no-load reference).
 *
 * Little's law: with `limit` calls in flight and latency L against a no-load latency R, about
 * limit × (1 − R / L) of them are queueing somewhere rather than being served. Vegas keeps that
 * estimated queue between `alpha` and `beta`: a backend under its capacity answers in ~R (queue
 * ≈ 0), so the limit grows; past its capacity latency rises in proportion and the queue estimate
 * is about the excess, so the limit shrinks back towards the capacity.
 *
 * Differences from Netflix's VegasLimit / Gradient2Limit:
 *   - R is supplied with each sample — the predictor's expected no-load latency for the call —
 *     rather than learnt from the minimum latency seen (which drifts and needs probing). When the
 *     caller has no reference (R <= 0), the smallest window average seen so far is used.
 *   - Decisions are taken once per window of max(minWindow, limit) samples on the window's mean
 *     latency, so one noisy sample does not move the limit. After the limit changes, the next
 *     `old limit` samples are skipped: they are the calls that were already in flight and
 *     describe the old limit, and counting them makes the limit overshoot in both directions.
 *   - Failures (errors, timeouts) are the backend's other overload signal: a window with a
 *     failure rate above `dropTolerance` never grows and shrinks by one; above the queue
 *     threshold the limit shrinks by the excess queue (at least one).
 *   - The limit grows only when the window actually used at least half of it (an idle caller
 *     learns nothing about capacity), and not in the `holdWindows` windows after a decrease: a
 *     backend just past its capacity fails only now and then, so probing upwards again at once
 *     would spend half the time overloaded.
 * The limit stays within [minLimit, maxLimit].
 */

/**
 * An adaptive concurrency limit: a pure state machine fed with one sample per finished call (its
 * latency, the calls in flight when it started, whether it failed, and the expected no-load
 * latency). No threads, no clock: the same samples always give the same limits.
 *
 * <p>Not thread-safe: callers serialize {@link #onSample} (see {@link AdaptiveAdmissionControl}).
 */
public final class AdaptiveLimit implements ConcurrencyLimit {

  private final int minLimit;
  private final int maxLimit;
  private final int minWindow;
  private final double alpha;
  private final double beta;
  private final double dropTolerance;
  private final int holdWindows;
  private int hold;
  private int skip;

  private int limit;
  private int samples;
  private int drops;
  private int maxInFlight;
  private double latencySum;
  private double referenceSum;
  private int referenceCount;
  private double smallestAverage = Double.POSITIVE_INFINITY;

  private AdaptiveLimit(Builder b) {
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.minWindow = b.minWindow;
    this.alpha = b.alpha;
    this.beta = b.beta;
    this.dropTolerance = b.dropTolerance;
    this.holdWindows = b.holdWindows;
    this.limit = Math.max(minLimit, Math.min(maxLimit, b.initialLimit));
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The current limit. */
  @Override
  public int limit() {
    return limit;
  }

  /**
   * Feeds one finished call.
   *
   * @param latencyNanos how long it took; non-positive samples are ignored
   * @param inFlight calls in flight when it started, itself included
   * @param failed whether it failed or timed out (a sign of overload)
   * @param referenceNanos expected latency of the call with no load, or {@code <= 0} if unknown
   * @return the limit after the sample
   */
  @Override
  public int onSample(long latencyNanos, int inFlight, boolean failed, long referenceNanos) {
    if (latencyNanos <= 0) {
      return limit;
    }
    if (skip > 0) {
      skip--;
      return limit;
    }
    samples++;
    latencySum += latencyNanos;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (failed) {
      drops++;
    }
    if (referenceNanos > 0) {
      referenceSum += referenceNanos;
      referenceCount++;
    }
    if (samples >= Math.max(minWindow, limit)) {
      decide();
    }
    return limit;
  }

  private void decide() {
    double average = latencySum / samples;
    smallestAverage = Math.min(smallestAverage, average);
    double reference = referenceCount > 0 ? referenceSum / referenceCount : smallestAverage;
    double queue = limit * Math.max(0, 1 - reference / average);
    boolean overloaded = drops > dropTolerance * samples;
    int next = limit;
    if (queue > beta) {
      next = limit - (int) Math.max(1, Math.round(queue - beta));
    } else if (overloaded) {
      next = limit - 1;
    } else if (queue < alpha && 2 * maxInFlight >= limit && hold == 0) {
      next = limit + 1;
    }
    if (hold > 0) {
      hold--;
    }
    if (next < limit) {
      hold = holdWindows;
    }
    next = Math.max(minLimit, Math.min(maxLimit, next));
    if (next != limit) {
      skip = limit;
    }
    limit = next;
    samples = 0;
    drops = 0;
    maxInFlight = 0;
    latencySum = 0;
    referenceSum = 0;
    referenceCount = 0;
  }

  @Override
  public String toString() {
    return "AdaptiveLimit[limit=" + limit + ", min=" + minLimit + ", max=" + maxLimit + "]";
  }

  /**
   * Configures an {@link AdaptiveLimit}. Not thread-safe.
   *
   * <p>Defaults: initial 10, bounds [1, 200], windows of at least 10 samples, queue target between
   * 0.5 and 1.5 calls, failure tolerance 0, no growth for 3 windows after a decrease.
   */
  public static final class Builder {
    private int initialLimit = 10;
    private int minLimit = 1;
    private int maxLimit = 200;
    private int minWindow = 10;
    private double alpha = 0.5;
    private double beta = 1.5;
    private double dropTolerance = 0;
    private int holdWindows = 3;

    private Builder() {}

    /** Windows after a decrease during which the limit does not grow. */
    public Builder holdWindows(int windows) {
      if (windows < 0) {
        throw new IllegalArgumentException("holdWindows must be >= 0, was " + windows);
      }
      this.holdWindows = windows;
      return this;
    }

    /** The limit before any sample. */
    public Builder initialLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("initialLimit must be >= 1, was " + limit);
      }
      this.initialLimit = limit;
      return this;
    }

    /** The lowest limit, at least 1. */
    public Builder minLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("minLimit must be >= 1, was " + limit);
      }
      this.minLimit = limit;
      return this;
    }

    /** The highest limit. */
    public Builder maxLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxLimit must be >= 1, was " + limit);
      }
      this.maxLimit = limit;
      return this;
    }

    /** Fewest samples per decision (a window is at least the current limit). */
    public Builder minWindow(int samples) {
      if (samples < 1) {
        throw new IllegalArgumentException("minWindow must be >= 1, was " + samples);
      }
      this.minWindow = samples;
      return this;
    }

    /** Grow below {@code alpha} queued calls, shrink above {@code beta}. */
    public Builder queue(double alpha, double beta) {
      if (!(alpha >= 0 && beta >= alpha)) {
        throw new IllegalArgumentException(
            "need 0 <= alpha <= beta, was alpha=" + alpha + ", beta=" + beta);
      }
      this.alpha = alpha;
      this.beta = beta;
      return this;
    }

    /** Share of failed samples in a window tolerated before shrinking, in {@code [0, 1]}. */
    public Builder dropTolerance(double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("dropTolerance must be in [0, 1], was " + share);
      }
      this.dropTolerance = share;
      return this;
    }

    /** The limit. */
    public AdaptiveLimit build() {
      if (minLimit > maxLimit) {
        throw new IllegalStateException("minLimit " + minLimit + " > maxLimit " + maxLimit);
      }
      return new AdaptiveLimit(this);
    }
  }
}
