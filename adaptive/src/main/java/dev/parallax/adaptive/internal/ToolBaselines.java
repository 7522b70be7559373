package dev.parallax.adaptive.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-tool exponentially weighted moving averages of log latency (with its variance) and of
 * success. Thread-safe: each tool's state is an immutable value replaced atomically.
 *
 * <p>The first samples of a tool are averaged plainly (weight {@code max(alpha, 1/n)}) so that one
 * early outlier does not dominate; after {@code 1/alpha} samples the weight is {@code alpha}.
 *
 * <p>Internal: may change at any time.
 */
public final class ToolBaselines {

  /**
   * One tool's averages.
   *
   * @param count samples seen
   * @param logLatency EWMA of the natural log of latency in seconds
   * @param logVariance EWMA of the squared deviation of log latency
   * @param successRate EWMA of success (1) and failure (0)
   * @param inFlight EWMA of the calls in flight when the tool's calls started
   */
  public record Stats(
      long count, double logLatency, double logVariance, double successRate, double inFlight) {

    /** The error rate, {@code 1 - successRate}. */
    public double errorRate() {
      return 1 - successRate;
    }

    Stats update(double alpha, double logLatencySample, boolean success, int inFlightSample) {
      long n = count + 1;
      double w = Math.max(alpha, 1.0 / n);
      double delta = logLatencySample - logLatency;
      double mean = logLatency + w * delta;
      double variance = (1 - w) * (logVariance + w * delta * delta);
      double rate = successRate + w * ((success ? 1 : 0) - successRate);
      double load = inFlight + w * (inFlightSample - inFlight);
      return new Stats(n, mean, variance, rate, load);
    }
  }

  private final double alpha;
  private final Map<String, Stats> byTool = new ConcurrentHashMap<>();

  /**
   * @param alpha weight of a new sample, in {@code (0, 1]}
   */
  public ToolBaselines(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    this.alpha = alpha;
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
          Stats start = old != null ? old : new Stats(0, 0, 0, 1, 0);
          return start.update(alpha, logLatency, success, inFlight);
        });
    return before[0];
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
