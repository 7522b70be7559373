package dev.parallax.benchmarks;

import java.util.Locale;

/**
 * One line of the summary: a ratio against a baseline measured in the same run, its target and
 * whether it met it.
 *
 * @param name what the ratio compares
 * @param ratio the measured ratio, or {@code NaN} when one side was not measured
 * @param target the target, as printed (for example {@code "<= 1.5x"})
 * @param verdict whether the ratio met the target
 * @param detail the measurements behind the ratio
 */
public record Figure(String name, double ratio, String target, Verdict verdict, String detail) {

  /** Whether a figure met its target. */
  public enum Verdict {
    /** The target was met. */
    PASS,
    /** The target was missed. */
    MISS,
    /** Nothing to judge: a side of the ratio was not measured. */
    NA;

    /** PASS or MISS. */
    static Verdict of(boolean met) {
      return met ? PASS : MISS;
    }

    @Override
    public String toString() {
      return this == NA ? "n/a" : name();
    }
  }

  /** The figure as one aligned line. */
  public String line() {
    String value = Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2fx", ratio);
    return String.format(
        Locale.ROOT, "%-44s %8s  target %-12s %-4s  %s", name, value, target, verdict, detail);
  }
}
