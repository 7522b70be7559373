package dev.parallax.adaptive.limit;

/*
 * The algorithm (a latency-tolerance limit that decides only on statistically clear evidence).
 *
 * Little's law: with `limit` calls in flight, latency L against a no-load latency R, the backend
 * is serving about limit × R / L of them and the rest wait. The limit settles where the latency is
 * about (1 + tolerance) × R: a small standing queue, enough to keep a backend busy whose service
 * times vary, far from where waiting turns into timeouts and rejections. Nothing assumes how the
 * backend's latency grows with load: the decisions only compare measured means.
 *
 *   - R is supplied with each sample (the predictor's expected no-load latency) or, when the caller
 *     has none (R <= 0), measured: the pooled mean of the windows that were not significantly
 *     slower than R itself and whose mean is below half-way to the target (all their samples, so
 *     its standard error shrinks as it grows). A window
 *     significantly faster than R (at three standard errors) replaces the pool: the backend got
 *     faster, or the first windows were already loaded.
 *   - A window is at least max(minWindow, limit) samples (and 30 when R is measured: the first
 *     30 samples become R before anything is decided). Its mean latency divided by R, r, has a
 *     standard error from both sample variances. A decision is taken only when r is clearly (two
 *     standard errors) above or below 1 + tolerance; otherwise the window keeps growing, up to
 *     `windowGrowth` times its first size, after which the limit holds. Noisy backends (exponential
 *     service times, CV 1) thus get windows of a hundred samples, quiet ones of ten.
 *   - Clearly above: the limit shrinks to limit × (1 + tolerance) / r (at least by one), where the
 *     latency would meet the target if the work served stays the same. Clearly below, with the
 *     window having used at least half the limit: it grows by limit × ((1 + tolerance) / r − 1),
 *     at least one, at most doubling — multiplicative while far from the target, slow near it.
 *   - Failures (errors, timeouts, rejections) are the backend's other overload signal: a window
 *     with a failure share above `dropTolerance` shrinks the limit by a tenth (at least one).
 *   - After a decrease the limit does not grow for `holdWindows` windows; after any change the
 *     next `old limit` samples are skipped: they are the calls already in flight, describing the
 *     old limit.
 * Limitation: a measured R only moves down (or up through the pool); if the backend's no-load
 * latency rises for good while the limit sits at the target, the limit shrinks towards minLimit.
 * A supplied reference (a predictor's) does not have this problem. The limit stays within
 * [minLimit, maxLimit].
 */

/**
 * An adaptive concurrency limit: a pure state machine fed with one sample per finished call (its
 * latency, the calls in flight when it started, whether it failed, and the expected no-load latency
 * if known). No threads, no clock: the same samples always give the same limits. It keeps the
 * latency near {@code (1 + tolerance)} times the no-load latency, measuring that latency itself
 * when the caller supplies none, and shrinks on failures.
 *
 * <p>Not thread-safe: callers serialize {@link #onSample} (see {@link AdaptiveAdmissionControl}).
 */
public final class AdaptiveLimit implements ConcurrencyLimit {

  private static final double Z_DECIDE = 2;
  private static final double Z_RESET = 3;
  /* fewest samples behind a measured mean: a sample variance from fewer is not worth trusting */
  private static final int MIN_MEASURED = 30;

  private final int minLimit;
  private final int maxLimit;
  private final int minWindow;
  private final int windowGrowth;
  private final double tolerance;
  private final double dropTolerance;
  private final int holdWindows;
  private int hold;
  private int skip;
  private int ceiling = Integer.MAX_VALUE;

  private int limit;
  private final Window window = new Window();
  private final Window reference = new Window();
  private double suppliedSum;
  private int suppliedCount;

  /** Running sums of a set of latencies. */
  private static final class Window {
    int n;
    double sum;
    double sumSquares;
    int drops;
    int maxInFlight;

    void add(double latency) {
      n++;
      sum += latency;
      sumSquares += latency * latency;
    }

    void addAll(Window other) {
      n += other.n;
      sum += other.sum;
      sumSquares += other.sumSquares;
    }

    double mean() {
      return sum / n;
    }

    /** Standard error of the mean, relative to the mean. */
    double relativeError() {
      double mean = mean();
      double variance = Math.max(0, sumSquares / n - mean * mean);
      return Math.sqrt(variance / n) / mean;
    }

    void clear() {
      n = 0;
      sum = 0;
      sumSquares = 0;
      drops = 0;
      maxInFlight = 0;
    }
  }

  private AdaptiveLimit(Builder b) {
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.minWindow = b.minWindow;
    this.windowGrowth = b.windowGrowth;
    this.tolerance = b.tolerance;
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
    window.add(latencyNanos);
    window.maxInFlight = Math.max(window.maxInFlight, inFlight);
    if (failed) {
      window.drops++;
    }
    if (referenceNanos > 0) {
      suppliedSum += referenceNanos;
      suppliedCount++;
    }
    int size = Math.max(minWindow, limit);
    if (referenceNanos <= 0) {
      size = Math.max(size, MIN_MEASURED);
    }
    if (window.n >= size) {
      decide(window.n >= size * windowGrowth);
    }
    return limit;
  }

  private void decide(boolean last) {
    boolean overloaded = window.drops > dropTolerance * window.n;
    boolean supplied = suppliedCount > 0;
    if (!supplied && reference.n < MIN_MEASURED && !overloaded) {
      reference.addAll(window); // the first windows: nothing to compare with yet
      endWindow(limit);
      return;
    }
    double r;
    double error;
    if (supplied) {
      r = window.mean() / (suppliedSum / suppliedCount);
      error = window.relativeError();
    } else if (reference.n > 0) {
      r = window.mean() / reference.mean();
      error = Math.hypot(window.relativeError(), reference.relativeError());
    } else {
      r = 1;
      error = 0;
    }
    double target = 1 + tolerance;
    double low = r * (1 - Z_DECIDE * error);
    double high = r * (1 + Z_DECIDE * error);
    int next = limit;
    if (overloaded) {
      next = limit - (int) Math.max(1, Math.round(limit * (double) window.drops / window.n / 2));
    } else if (low > target) {
      next = Math.min(limit - 1, (int) Math.floor(limit * target / r));
    } else if (high < target) {
      if (hold == 0 && 2 * window.maxInFlight >= limit) {
        int step = (int) Math.floor(limit * (target / Math.max(r, 1) - 1));
        next = limit + Math.min(limit, Math.max(1, step));
        if (next >= ceiling) {
          next = limit + 1;
        }
      }
    } else if (!last) {
      return; // not clear yet: let the window grow
    }
    if (!supplied && reference.n > 0) {
      if (r * (1 + Z_RESET * error) < 1) {
        reference.clear();
        reference.addAll(window);
      } else if (low <= 1 && r <= 1 + tolerance / 2) {
        reference.addAll(window);
      }
    }
    if (hold > 0) {
      hold--;
    }
    if (next < limit) {
      hold = holdWindows;
      ceiling = limit;
    }
    endWindow(Math.max(minLimit, Math.min(maxLimit, next)));
  }

  private void endWindow(int next) {
    if (next != limit) {
      skip = limit;
    }
    limit = next;
    window.clear();
    suppliedSum = 0;
    suppliedCount = 0;
  }

  @Override
  public String toString() {
    return "AdaptiveLimit[limit=" + limit + ", min=" + minLimit + ", max=" + maxLimit + "]";
  }

  /**
   * Configures an {@link AdaptiveLimit}. Not thread-safe.
   *
   * <p>Defaults: initial 10, bounds [1, 200], windows of at least 10 samples growing up to 8 times
   * while the evidence is unclear, latency tolerance 0.25 (the limit settles where the latency is
   * about 1.25 times the no-load latency), failure tolerance 0, no growth for 3 windows after a
   * decrease.
   */
  public static final class Builder {
    private int initialLimit = 10;
    private int minLimit = 1;
    private int maxLimit = 200;
    private int minWindow = 10;
    private int windowGrowth = 8;
    private double tolerance = 0.25;
    private double dropTolerance = 0;
    private int holdWindows = 6;

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

    /**
     * How many times its first size a window may grow while its mean latency is not clearly above
     * or below the target (default 8); then the limit holds.
     */
    public Builder windowGrowth(int factor) {
      if (factor < 1) {
        throw new IllegalArgumentException("windowGrowth must be >= 1, was " + factor);
      }
      this.windowGrowth = factor;
      return this;
    }

    /**
     * The latency, relative to the no-load latency, that the limit aims at: {@code 1 + share}
     * (default 0.25). Larger keeps more calls queued at the backend.
     */
    public Builder latencyTolerance(double share) {
      if (!(share > 0 && share <= 10)) {
        throw new IllegalArgumentException("latencyTolerance must be in (0, 10], was " + share);
      }
      this.tolerance = share;
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
