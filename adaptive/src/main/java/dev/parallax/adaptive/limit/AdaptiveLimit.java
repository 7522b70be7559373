package dev.parallax.adaptive.limit;

import java.util.ArrayDeque;
import java.util.Locale;

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
 *     has none (R <= 0), measured: the pooled mean of a sliding pool of the last 8 windows that
 *     were not significantly slower than R and whose mean is below half-way to the target (all
 *     their samples, so its standard error is that of hundreds of calls). The first 30 samples
 *     seed the pool. Selecting windows by their latency lets R creep up: a window with a small
 *     queue passes as unloaded, R rises, the limit and the queue grow with it. So R never exceeds
 *     1.1 times the lowest mean a full pool of at least 400 samples has had (the 10% absorbs that
 *     minimum's own downward bias). It follows a faster backend down through the pool.
 *   - A window is at least max(minWindow, limit) samples (and 30 when R is measured: the first
 *     30 samples become R before anything is decided). Its mean latency divided by R, r, has a
 *     standard error from both sample variances. A decision is taken only when r is clearly (two
 *     standard errors) above or below 1 + tolerance; otherwise the window keeps growing, up to
 *     `windowGrowth` times its first size, after which the limit holds. Noisy backends (exponential
 *     service times, CV 1) thus get windows of a hundred samples, quiet ones of ten.
 *   - Clearly above: the limit shrinks to limit × (1 + tolerance) / r (at least by one, at most
 *     by half, as Gradient2 clamps its gradient), where the latency would meet the target if the
 *     work served stays the same. Clearly below, with the window having used at least half the
 *     limit: it grows by limit × ((1 + tolerance) / r − 1), at least one, at most doubling —
 *     multiplicative while far from the target, slow near it. Still unclear after the longest
 *     window, with the point estimate below the target: it probes one up.
 *   - A floor: the highest limit whose window showed no queue (not significantly slower than R,
 *     mean within half the tolerance, no failures) is no-overload evidence; decreases stop there, so
 *     noise cannot starve the limit below a level known to be safe. Only clear evidence at or below
 *     the floor — a window clearly above the target, or two failures — lowers it, one step a window
 *     (a capacity loss walks the floor down instead of dropping it).
 *   - Failures (errors, timeouts, rejections) are the backend's other overload signal: a window
 *     with a failure share above `dropTolerance` shrinks the limit by half that share (at least
 *     one), not below the floor.
 *   - After a decrease the limit does not grow for `holdWindows` windows; after any change the
 *     next `old limit` samples are skipped: they are the calls already in flight, describing the
 *     old limit.
 * Limitation: a measured R rises at most 10% above its lowest full pool; if the backend's no-load
 * latency rises for good by more, every window looks clearly slow and the limit walks down to
 * minLimit.
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
  /* windows in the measured reference's sliding pool */
  private static final int REFERENCE_WINDOWS = 8;
  /* the most one decision may cut, as a share of the limit kept (Gradient2 clamps at 0.5 too) */
  private static final double MAX_DECREASE = 0.5;
  /* how far above the lowest full pool's mean the measured reference may drift */
  private static final double REFERENCE_SLACK = 0.1;
  /* fewest samples in a full pool whose mean may anchor the reference (a 5% standard error at CV 1) */
  private static final int ANCHOR_SAMPLES = 400;

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
  private final ArrayDeque<Window> pool = new ArrayDeque<>();
  private int floor;
  private double lowestFullPool = Double.POSITIVE_INFINITY;
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
      addReference(window); // the first windows: nothing to compare with yet
      endWindow(limit);
      return;
    }
    double r;
    double error;
    if (supplied) {
      r = window.mean() / (suppliedSum / suppliedCount);
      error = window.relativeError();
    } else if (reference.n > 0) {
      r = window.mean() / referenceMean();
      error = Math.hypot(window.relativeError(), reference.relativeError());
    } else {
      r = 1;
      error = 0;
    }
    double target = 1 + tolerance;
    double low = r * (1 - Z_DECIDE * error);
    double high = r * (1 + Z_DECIDE * error);
    boolean used = 2 * window.maxInFlight >= limit;
    int next = limit;
    if (overloaded) {
      if (limit <= floor && window.drops >= 2) {
        floor = limit - 1; // repeated failures at a level that used to be safe: step down
      }
      int shrunk =
          limit - (int) Math.max(1, Math.round(limit * (double) window.drops / window.n / 2));
      next = Math.max(shrunk, Math.min(limit, floor)); // one failure at a safe level: a fluke
    } else if (low > target) {
      if (limit <= floor) {
        floor = limit - 1; // clearly slow at a level that used to be safe: step down
      }
      int shrunk = (int) Math.floor(limit * Math.max(target / r, MAX_DECREASE));
      next = Math.min(limit - 1, Math.max(shrunk, floor));
    } else if (high < target || last) {
      if (hold == 0 && used && r < target) {
        // clearly below the target: multiplicative; unclear after the longest window: probe by one
        int step = high < target ? (int) Math.floor(limit * (target / Math.max(r, 1) - 1)) : 1;
        next = limit + Math.min(limit, Math.max(1, step));
        if (next >= ceiling) {
          next = limit + 1;
        }
      }
    } else {
      return; // not clear yet: let the window grow
    }
    if (!overloaded && used && low <= 1 && r <= 1 + tolerance / 2) {
      floor = Math.max(floor, limit); // no sign of a queue at this level: never starve below it
    }
    if (!supplied && reference.n > 0 && low <= 1 && r <= 1 + tolerance / 2) {
      addReference(window);
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

  /**
   * The pool's mean, but never above the lowest mean a full pool has had times {@code 1 +
   * REFERENCE_SLACK}: windows that pass as unloaded while a small queue forms would otherwise raise
   * the reference, which lets the limit and the queue grow, which raises the reference further.
   */
  private double referenceMean() {
    return Math.min(reference.mean(), lowestFullPool * (1 + REFERENCE_SLACK));
  }

  /** Adds a window to the reference pool, dropping the oldest windows beyond the pool's size. */
  private void addReference(Window w) {
    Window copy = new Window();
    copy.addAll(w);
    pool.addLast(copy);
    reference.addAll(copy);
    while (pool.size() > REFERENCE_WINDOWS) {
      Window old = pool.removeFirst();
      reference.n -= old.n;
      reference.sum -= old.sum;
      reference.sumSquares -= old.sumSquares;
    }
    if (pool.size() == REFERENCE_WINDOWS && reference.n >= ANCHOR_SAMPLES) {
      lowestFullPool = Math.min(lowestFullPool, reference.mean());
    }
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
    return "AdaptiveLimit[limit="
        + limit
        + ", min="
        + minLimit
        + ", max="
        + maxLimit
        + ", floor="
        + floor
        + ", referenceMs="
        + (reference.n == 0 ? "none" : String.format(Locale.ROOT, "%.1f", referenceMean() / 1e6))
        + "]";
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
