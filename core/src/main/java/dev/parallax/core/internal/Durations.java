package dev.parallax.core.internal;

import java.time.Duration;

/**
 * Durations as nanoseconds without overflow: {@code Duration.ofSeconds(Long.MAX_VALUE)}, a common
 * way to say "no limit", becomes {@link Long#MAX_VALUE} instead of an {@link ArithmeticException}.
 * Internal; may change at any time.
 */
public final class Durations {

  private Durations() {}

  /** The duration in nanoseconds, saturated to {@code [Long.MIN_VALUE, Long.MAX_VALUE]}. */
  public static long toNanosSaturated(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** {@code a + b}, saturated instead of overflowing. */
  public static long addSaturated(long a, long b) {
    long sum = a + b;
    // overflow iff both operands have the sign opposite to the sum's
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }
}
