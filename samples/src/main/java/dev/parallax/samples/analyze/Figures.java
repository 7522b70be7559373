package dev.parallax.samples.analyze;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How figures are written in the text and HTML reports. Stateless. */
final class Figures {

  private Figures() {}

  /**
   * A duration in a readable unit: {@code 812 µs}, {@code 12.3 ms}, {@code 4.56 s}, {@code 1234.5
   * s}.
   */
  static String time(@Nullable Duration d) {
    return d == null ? "n/a" : time(seconds(d));
  }

  /** Seconds in a readable unit; {@code n/a} for NaN. */
  static String time(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "n/a";
    }
    double abs = Math.abs(seconds);
    if (abs == 0) {
      return "0 s";
    }
    if (abs < 1e-3) {
      return format("%.0f µs", seconds * 1e6);
    }
    if (abs < 1) {
      return format("%.1f ms", seconds * 1e3);
    }
    if (abs < 100) {
      return format("%.2f s", seconds);
    }
    return format("%.1f s", seconds);
  }

  /** A number with {@code decimals} decimals; {@code n/a} for NaN. */
  static String number(double value, int decimals) {
    return Double.isFinite(value) ? format("%." + decimals + "f", value) : "n/a";
  }

  /** {@code a / b} as a percentage change, e.g. {@code -12.3%}; empty if undefined. */
  static String change(Duration value, Duration reference) {
    if (reference.isZero()) {
      return "";
    }
    double ratio = (double) value.toNanos() / reference.toNanos() - 1;
    return format("%+.1f%%", ratio * 100);
  }

  /** A duration in seconds. */
  static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
