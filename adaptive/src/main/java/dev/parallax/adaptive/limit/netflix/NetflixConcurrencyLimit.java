package dev.parallax.adaptive.limit.netflix;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import dev.parallax.adaptive.limit.AdaptiveAdmissionControl;
import dev.parallax.adaptive.limit.ConcurrencyLimit;
import java.util.Objects;

/**
 * A Netflix concurrency-limits {@link Limit} (Vegas, Gradient2, AIMD, …) as a {@link
 * ConcurrencyLimit}, so that {@link AdaptiveAdmissionControl} can run it:
 *
 * <pre>{@code
 * AdaptiveAdmissionControl.builder()
 *     .limits(() -> NetflixConcurrencyLimit.of(Gradient2Limit.newBuilder().build()))
 *     .build();
 * }</pre>
 *
 * <p>Each sample goes to {@link Limit#onSample} as it comes: the latency as the round-trip time,
 * the in-flight count as is, a failure or timeout as a drop. The no-load reference is not passed on
 * (Netflix's limits learn it from the latencies they see), and the start time passed is always 0:
 * the samples carry no clock. Limits that ignore the start time work unchanged — {@code
 * VegasLimit}, {@code GradientLimit}, {@code Gradient2Limit}, {@code AIMDLimit}, {@code
 * FixedLimit}, {@code SettableLimit} —; a {@link WindowedLimit} needs it and is refused.
 *
 * <p>Needs {@code com.netflix.concurrency-limits:concurrency-limits-core} on the class path (or
 * module path); Parallax declares it optional, so add it to your build to use this class. Thread
 * safety is the wrapped limit's (Netflix's limits are thread-safe).
 */
// "exports": the API names Netflix's Limit, from an optional module (`requires static`, not
// transitive, so that modules reading this one need not have it); its users have it anyway
@SuppressWarnings("exports")
public final class NetflixConcurrencyLimit implements ConcurrencyLimit {

  private final Limit limit;

  private NetflixConcurrencyLimit(Limit limit) {
    this.limit = limit;
  }

  /**
   * Wraps a Netflix limit.
   *
   * @throws IllegalArgumentException for a {@link WindowedLimit}, which needs start times
   */
  public static NetflixConcurrencyLimit of(Limit limit) {
    Objects.requireNonNull(limit, "limit");
    if (limit instanceof WindowedLimit) {
      throw new IllegalArgumentException(
          "a WindowedLimit needs the start time of each sample, which the samples do not carry;"
              + " wrap the limit it windows (Vegas, Gradient2, AIMD...) directly: "
              + limit);
    }
    return new NetflixConcurrencyLimit(limit);
  }

  /** The wrapped limit. */
  public Limit delegate() {
    return limit;
  }

  @Override
  public int limit() {
    return limit.getLimit();
  }

  @Override
  public int onSample(long latencyNanos, int inFlight, boolean failed, long referenceNanos) {
    if (latencyNanos > 0) {
      limit.onSample(0L, latencyNanos, inFlight, failed);
    }
    return limit.getLimit();
  }

  @Override
  public String toString() {
    return "NetflixConcurrencyLimit[" + limit + "]";
  }
}
