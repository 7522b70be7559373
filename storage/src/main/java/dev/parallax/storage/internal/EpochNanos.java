package dev.parallax.storage.internal;

import java.time.Instant;

/** Instants as 64-bit epoch nanoseconds. Internal: may change at any time. */
public final class EpochNanos {

  /** First epoch second that does not fit. */
  static final long MAX_SECOND = Long.MAX_VALUE / 1_000_000_000L;

  private EpochNanos() {}

  /** Epoch nanoseconds, clamped to {@code [0, Long.MAX_VALUE]}. */
  public static long of(Instant instant) {
    if (instant.getEpochSecond() < 0) {
      return 0;
    }
    if (instant.getEpochSecond() >= MAX_SECOND) {
      return Long.MAX_VALUE;
    }
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** The instant of {@code epochNanos}. */
  public static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }
}
