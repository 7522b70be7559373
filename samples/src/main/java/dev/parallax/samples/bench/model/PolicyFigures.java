package dev.parallax.samples.bench.model;

import org.jspecify.annotations.Nullable;

/**
 * The figures of one policy of a workload, under the names of the JSON contract. A figure is {@code
 * null} where the workload does not measure it (for example a makespan in a closed-loop throughput
 * test); a figure is never made up.
 *
 * @param makespanMs time from the first call's start to the last result, in milliseconds (summed
 *     over runs when a workload has many)
 * @param lowerBoundMs the least makespan any schedule could reach, computed from the calls' known
 *     durations (summed like the makespan)
 * @param successRate share of calls that succeeded, in {@code [0, 1]}
 * @param p95Ms 95th percentile, in milliseconds, of what the workload repeats (a run, a call)
 * @param toolExecutions how many times a tool was started
 * @param cacheHits how many results came from a result cache
 * @param throughputPerS successful calls per second
 */
public record PolicyFigures(
    @Nullable Double makespanMs,
    @Nullable Double lowerBoundMs,
    @Nullable Double successRate,
    @Nullable Double p95Ms,
    @Nullable Long toolExecutions,
    @Nullable Long cacheHits,
    @Nullable Double throughputPerS) {

  /** A builder with every figure unset ({@code null}). */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the figures of a {@link PolicyFigures}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Double makespanMs;
    private @Nullable Double lowerBoundMs;
    private @Nullable Double successRate;
    private @Nullable Double p95Ms;
    private @Nullable Long toolExecutions;
    private @Nullable Long cacheHits;
    private @Nullable Double throughputPerS;

    private Builder() {}

    /** See {@link PolicyFigures#makespanMs()}. */
    public Builder makespanMs(double value) {
      this.makespanMs = value;
      return this;
    }

    /** See {@link PolicyFigures#lowerBoundMs()}. */
    public Builder lowerBoundMs(double value) {
      this.lowerBoundMs = value;
      return this;
    }

    /** See {@link PolicyFigures#successRate()}. */
    public Builder successRate(double value) {
      this.successRate = value;
      return this;
    }

    /** See {@link PolicyFigures#p95Ms()}. */
    public Builder p95Ms(double value) {
      this.p95Ms = value;
      return this;
    }

    /** See {@link PolicyFigures#toolExecutions()}. */
    public Builder toolExecutions(long value) {
      this.toolExecutions = value;
      return this;
    }

    /** See {@link PolicyFigures#cacheHits()}. */
    public Builder cacheHits(long value) {
      this.cacheHits = value;
      return this;
    }

    /** See {@link PolicyFigures#throughputPerS()}. */
    public Builder throughputPerS(double value) {
      this.throughputPerS = value;
      return this;
    }

    /** The figures. */
    public PolicyFigures build() {
      return new PolicyFigures(
          makespanMs, lowerBoundMs, successRate, p95Ms, toolExecutions, cacheHits, throughputPerS);
    }
  }
}
