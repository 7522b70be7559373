package dev.parallax.samples.bench.workload;

import java.time.Duration;

/** Conversions of durations for reports. */
final class Durations {

  private Durations() {}

  /** {@code d} in milliseconds, with the nanoseconds as a fraction. */
  static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }
}
