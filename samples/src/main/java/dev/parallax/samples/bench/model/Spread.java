package dev.parallax.samples.bench.model;

import java.util.List;
import java.util.Locale;

/**
 * A figure measured in several repeats: their median, smallest and largest value, and every repeat
 * in the order it ran. Written to the JSON as {@code {"median": ..., "min": ..., "max": ...,
 * "repeats": [...]}}; printed as {@code 1.08 [1.02..1.15]}. Immutable.
 *
 * @param median the median of the repeats (the mean of the two middle ones for an even count)
 * @param min the smallest repeat
 * @param max the largest repeat
 * @param repeats the value of each repeat, in run order
 */
public record Spread(double median, double min, double max, List<Double> repeats) {

  /** Copies the repeats and checks that there is at least one. */
  public Spread {
    repeats = List.copyOf(repeats);
    if (repeats.isEmpty()) {
      throw new IllegalArgumentException("a spread needs at least one repeat");
    }
  }

  /**
   * The spread of {@code values}, one per repeat.
   *
   * @throws IllegalArgumentException if there are no values
   */
  public static Spread of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("a spread needs at least one repeat");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
      boxed[i] = values[i];
    }
    return new Spread(Stats.median(values), min, max, List.of(boxed));
  }

  /** {@code median [min..max]}, two decimals. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.2f [%.2f..%.2f]", median, min, max);
  }
}
