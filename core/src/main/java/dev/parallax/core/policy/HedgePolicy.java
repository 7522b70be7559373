package dev.parallax.core.policy;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When a slow attempt gets a second, concurrent attempt (a <em>hedge</em>), as in Dean and
 * Barroso's "The Tail at Scale": the first attempt to succeed answers the call and the other is
 * cancelled (interrupted; its concurrency slot stays taken until its body returns).
 *
 * <p>A call is hedged only if all of these hold when its first attempt has run for the hedge delay:
 *
 * <ul>
 *   <li>its tool is {@linkplain dev.parallax.core.tool.ToolSpec#idempotent() idempotent} (running
 *       it twice must be harmless; there is no override);
 *   <li>the delay is known: by default the call's predicted upper latency ({@link
 *       dev.parallax.core.spi.Prediction#upperLatency()} from the executor's predictor), never less
 *       than {@link Builder#minDelay}; a call without a prediction is not hedged. {@link
 *       Builder#fixedDelay} replaces the prediction by one delay for every call (the classic
 *       fixed-delay hedge, for comparison);
 *   <li>the budget has a token: every call's first attempt adds {@link Builder#budget} tokens to a
 *       bucket of the executor (at most {@link Builder#burst}), a hedge takes one. The bucket
 *       starts empty, so an executor that has started n calls has started at most {@code budget} ×
 *       n hedges (none before its {@code 1 / budget}-th call), and over any stretch of n calls at
 *       most {@code budget} × n + {@code burst};
 *   <li>the tool's backend does not look overloaded: the share of its recent attempts (a moving
 *       average over about the last 20) that failed or timed out is at most {@link
 *       Builder#maxFailureRate};
 *   <li>the run has a free slot: the hedge counts against the run's {@code maxConcurrency} and is
 *       asked for by admission control (an adaptive limit that has shrunk refuses it) like any
 *       attempt; a hedge refused is not tried again. A sequential plan (one call at a time) is
 *       therefore never hedged.
 * </ul>
 *
 * <p>The hedge runs the same tool, unless the fallback policy offers a healthy alternative ({@link
 * dev.parallax.core.spi.FallbackPolicy#alternativeForHedge}). A call is hedged at most once, on its
 * first attempt; retries are not hedged. While one attempt still runs, the failure of the other is
 * only recorded: the call retries or falls back (under its retry policy) only when both have
 * failed, with the later error. Each attempt has its own attempt timeout. The run deadline and
 * cancellation stop both. A hedge does not go through the result cache (it would only join the
 * first attempt's single flight), so its value is not cached.
 *
 * <p>Immutable and thread-safe. The builder is not thread-safe.
 */
public final class HedgePolicy {

  private static final HedgePolicy NONE = new HedgePolicy(new Builder(), false);

  private final boolean enabled;
  private final double budget;
  private final int burst;
  private final Duration minDelay;
  private final @Nullable Duration fixedDelay;
  private final double maxFailureRate;

  private HedgePolicy(Builder b, boolean enabled) {
    this.enabled = enabled;
    this.budget = b.budget;
    this.burst = b.burst;
    this.minDelay = b.minDelay;
    this.fixedDelay = b.fixedDelay;
    this.maxFailureRate = b.maxFailureRate;
  }

  /** No hedging: the executor's default. */
  public static HedgePolicy none() {
    return NONE;
  }

  /**
   * Hedging at the predicted upper latency with the defaults: budget 0.1 (hedges at most 10% of
   * calls, the first after ten calls), burst 10, no minimum delay beyond 1 ms, backends with more
   * than 25% failed or timed-out attempts not hedged.
   */
  public static HedgePolicy ofDefaults() {
    return builder().build();
  }

  /** Starts from the defaults of {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether calls are hedged at all ({@code false} only for {@link #none()}). */
  public boolean enabled() {
    return enabled;
  }

  /** Hedges per call, at most, in the long run. */
  public double budget() {
    return budget;
  }

  /** The most tokens the budget's bucket holds. */
  public int burst() {
    return burst;
  }

  /** The shortest hedge delay. */
  public Duration minDelay() {
    return minDelay;
  }

  /** The one delay of every call, or {@code null} for the call's predicted upper latency. */
  public @Nullable Duration fixedDelay() {
    return fixedDelay;
  }

  /** The largest share of failed or timed-out recent attempts of a tool that is still hedged. */
  public double maxFailureRate() {
    return maxFailureRate;
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "HedgePolicy[none]";
    }
    return "HedgePolicy[delay="
        + (fixedDelay == null ? "predicted upper latency" : fixedDelay.toString())
        + ", budget="
        + budget
        + ", burst="
        + burst
        + ", minDelay="
        + minDelay
        + ", maxFailureRate="
        + maxFailureRate
        + "]";
  }

  /** Builds a {@link HedgePolicy}; not thread-safe. */
  public static final class Builder {
    private double budget = 0.1;
    private int burst = 10;
    private Duration minDelay = Duration.ofMillis(1);
    private @Nullable Duration fixedDelay;
    private double maxFailureRate = 0.25;

    private Builder() {}

    /**
     * Hedges per call, at most, in the long run (default 0.1: 10% more calls at most).
     *
     * @throws IllegalArgumentException if not in {@code (0, 1]}
     */
    public Builder budget(double budget) {
      if (!(budget > 0 && budget <= 1)) {
        throw new IllegalArgumentException("hedge budget must be in (0, 1], was " + budget);
      }
      this.budget = budget;
      return this;
    }

    /**
     * The most tokens the bucket holds (default 10): how many hedges may start at once after a
     * quiet stretch.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder burst(int burst) {
      if (burst < 1) {
        throw new IllegalArgumentException("hedge burst must be >= 1, was " + burst);
      }
      this.burst = burst;
      return this;
    }

    /**
     * The shortest hedge delay (default 1 ms): a prediction below it is raised to it.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder minDelay(Duration minDelay) {
      Objects.requireNonNull(minDelay, "minDelay");
      if (minDelay.isNegative()) {
        throw new IllegalArgumentException("hedge minDelay must not be negative, was " + minDelay);
      }
      this.minDelay = minDelay;
      return this;
    }

    /**
     * One hedge delay for every call instead of its predicted upper latency (default: predicted).
     * For comparison with the classic fixed-delay hedge; calls need no prediction then.
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder fixedDelay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("hedge fixedDelay must be positive, was " + delay);
      }
      this.fixedDelay = delay;
      return this;
    }

    /**
     * The largest share of a tool's recent attempts that failed or timed out for which it is still
     * hedged (default 0.25): a failing backend is more likely overloaded than slow by chance, and a
     * hedge would add to its load.
     *
     * @throws IllegalArgumentException if not in {@code [0, 1]}
     */
    public Builder maxFailureRate(double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("hedge maxFailureRate must be in [0, 1], was " + rate);
      }
      this.maxFailureRate = rate;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException if a fixed delay is below the minimum delay
     */
    public HedgePolicy build() {
      if (fixedDelay != null && fixedDelay.compareTo(minDelay) < 0) {
        throw new IllegalStateException(
            "hedge fixedDelay " + fixedDelay + " is below minDelay " + minDelay);
      }
      return new HedgePolicy(this, true);
    }
  }
}
