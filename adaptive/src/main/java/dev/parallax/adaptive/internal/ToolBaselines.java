package dev.parallax.adaptive.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-tool exponentially weighted moving averages of log latency (with its variance) and of
 * success, and a streaming estimate of the 90th percentile of log latency that learns from censored
 * samples too. Thread-safe: each tool's state is an immutable value replaced atomically.
 *
 * <p>The first samples of a tool are averaged plainly (weight {@code max(alpha, 1/n)}) so that one
 * early outlier does not dominate; after {@code 1/alpha} samples the weight is {@code alpha}.
 *
 * <p>Internal: may change at any time.
 */
/*
 * The upper estimate (p90 of log latency) is a Robbins-Monro quantile tracker, not mean + z * sd:
 * the tails the engine meets (a log-normal body plus rare stragglers) are not normal in log space,
 * and mean + 1.28 sd of such a mixture is not its p90. Each sample x moves the estimate q by
 *
 *   q += step * (0.9 - [x <= q]),   step = w * max(sd, 0.05)
 *
 * (up by 0.9 step when x lies above, down by 0.1 step when below), whose fixed point is where 90%
 * of samples lie at or below q: the p90, whatever the shape. The step scales with the tool's spread
 * (sd: the EWMA's) and the moving-average weight w, so alpha trades tracking speed for noise as it
 * does for the averages. Until the tool has 1/alpha samples, q is the normal approximation mean +
 * 1.28 sd (too few samples for a quantile).
 *
 * Censored samples: an attempt cancelled after running for c (the loser of a hedged call) says only
 * "its latency was more than c". If c >= q that is "above q" and moves q up by 0.9 step exactly as
 * a full sample above would; if c < q it says nothing about which side of q it lay and is left out.
 * Without this, hedging hides the very tail it reacts to: the slow first attempts are cancelled,
 * only the fast hedges are seen, and the learnt p90 drifts down. The averages (mean, variance,
 * success) learn from full samples only.
 */
public final class ToolBaselines {

  /** The quantile the upper estimate tracks. */
  static final double UPPER_QUANTILE = 0.9;

  private static final double Z90 = 1.2815515655446004;

  /** Least spread (in log seconds) the quantile step assumes, so that it never freezes. */
  private static final double MIN_STEP_SPREAD = 0.05;

  /**
   * One tool's averages.
   *
   * @param count samples seen
   * @param logLatency EWMA of the natural log of latency in seconds
   * @param logVariance EWMA of the squared deviation of log latency
   * @param successRate EWMA of success (1) and failure (0)
   * @param inFlight EWMA of the calls in flight when the tool's calls started
   * @param logUpper streaming estimate of the 90th percentile of log latency (censored samples
   *     included)
   */
  public record Stats(
      long count,
      double logLatency,
      double logVariance,
      double successRate,
      double inFlight,
      double logUpper) {

    /** The error rate, {@code 1 - successRate}. */
    public double errorRate() {
      return 1 - successRate;
    }

    Stats update(
        double alpha, long warmUp, double logLatencySample, boolean success, int inFlightSample) {
      long n = count + 1;
      double w = Math.max(alpha, 1.0 / n);
      double delta = logLatencySample - logLatency;
      double mean = logLatency + w * delta;
      double variance = (1 - w) * (logVariance + w * delta * delta);
      double rate = successRate + w * ((success ? 1 : 0) - successRate);
      double load = inFlight + w * (inFlightSample - inFlight);
      double upper;
      if (n <= warmUp) {
        upper = mean + Z90 * Math.sqrt(variance);
      } else {
        double step = alpha * Math.max(MIN_STEP_SPREAD, Math.sqrt(logVariance));
        upper = logUpper + step * (UPPER_QUANTILE - (logLatencySample <= logUpper ? 1 : 0));
      }
      return new Stats(n, mean, variance, rate, load, upper);
    }

    Stats censored(double alpha, long warmUp, double logLowerBound) {
      if (count < warmUp || logLowerBound < logUpper) {
        return this;
      }
      double step = alpha * Math.max(MIN_STEP_SPREAD, Math.sqrt(logVariance));
      return new Stats(
          count, logLatency, logVariance, successRate, inFlight, logUpper + step * UPPER_QUANTILE);
    }
  }

  private final double alpha;
  private final long warmUp;
  private final Map<String, Stats> byTool = new ConcurrentHashMap<>();

  /**
   * @param alpha weight of a new sample, in {@code (0, 1]}
   */
  public ToolBaselines(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    this.alpha = alpha;
    this.warmUp = (long) Math.ceil(1 / alpha);
  }

  /** The tool's averages, or {@code null} if it was never seen. */
  public @Nullable Stats get(String tool) {
    return byTool.get(tool);
  }

  /**
   * Adds a sample and returns the averages as they were before it (or {@code null}).
   *
   * @param logLatency natural log of the latency in seconds; must be finite
   */
  public @Nullable Stats update(String tool, double logLatency, boolean success, int inFlight) {
    Stats[] before = new Stats[1];
    byTool.compute(
        tool,
        (t, old) -> {
          before[0] = old;
          Stats start = old != null ? old : new Stats(0, 0, 0, 1, 0, 0);
          return start.update(alpha, warmUp, logLatency, success, inFlight);
        });
    return before[0];
  }

  /**
   * Adds a censored sample: an attempt of the tool that was stopped (cancelled) after running for
   * {@code exp(logLowerBound)} seconds, so its latency was at least that. Moves only the upper
   * estimate, and only when the bound lies at or above it; ignored for a tool not yet past its
   * first {@code 1/alpha} samples.
   *
   * @param logLowerBound natural log of the time the attempt ran, in seconds; must be finite
   */
  public void censored(String tool, double logLowerBound) {
    byTool.computeIfPresent(tool, (t, old) -> old.censored(alpha, warmUp, logLowerBound));
  }

  /** A copy of all tools' averages. */
  public Map<String, Stats> snapshot() {
    return Map.copyOf(byTool);
  }

  /** Replaces a tool's averages (used when loading saved state). */
  public void put(String tool, Stats stats) {
    byTool.put(tool, stats);
  }
}
